/**
 * Colours and type of the page per theme and zoom: a palette and a font on the page that
 * every block inherits, a font of their own for headings, and a style sheet of their own
 * for the few roles that need borders, padding or backgrounds. Pure: the widgets carry
 * `role` and `quoted` properties, which those sheets select.
 */
import type { PaletteColours } from './nodegui-subset.js';

export type ThemeName = 'light' | 'dark';

interface Palette {
  readonly page: string;
  readonly text: string;
  readonly muted: string;
  readonly codeBg: string;
  readonly rule: string;
  readonly quoteBar: string;
  readonly link: string;
  readonly tableBorder: string;
  readonly headerBg: string;
  readonly placeholderBg: string;
}

const PALETTES: Readonly<Record<ThemeName, Palette>> = {
  light: {
    page: '#ffffff', text: '#1d1d1f', muted: '#55555f', codeBg: '#f4f4f6', rule: '#d0d0d6', quoteBar: '#c8c8d0',
    link: '#0b57d0', tableBorder: '#d0d0d6', headerBg: '#eef0f4', placeholderBg: '#fbf3e4',
  },
  dark: {
    page: '#1b1c1f', text: '#e6e6ea', muted: '#a6a6b0', codeBg: '#2a2b30', rule: '#44454c', quoteBar: '#55565e',
    link: '#8ab4f8', tableBorder: '#44454c', headerBg: '#2a2b30', placeholderBg: '#3a3326',
  },
};

/** Smallest and largest zoom factors. */
export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 3;

/** Base font size of body text at zoom 1, in pixels. */
export const BODY_PX = 15;
/** h4 to h6 share a size: h5 and h6 smaller than body text would read as footnotes. */
const HEADING_PX = [30, 24, 20, 17, 17, 17] as const;
const CODE_PX = 13;

/** Font size of a role at a zoom, in pixels (integers: Qt style sheets round anyway). */
export function fontPx(role: string, zoom: number): number {
  const heading = /^h([1-6])$/.exec(role);
  const base = heading !== null ? (HEADING_PX[Number(heading[1]) - 1] ?? BODY_PX) : role === 'code' || role === 'literal' ? CODE_PX : BODY_PX;
  return Math.max(6, Math.round(base * zoom));
}

/** The colour of links in rich text (Qt does not style `<a>` from the widget's sheet). */
export function linkColour(theme: ThemeName): string {
  return PALETTES[theme].link;
}

export function clampZoom(zoom: number): number {
  return Number.isFinite(zoom) ? Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom)) : 1;
}

/** The palette of the page's content widget, which every block inherits. */
export function pageColours(theme: ThemeName): PaletteColours {
  const p = PALETTES[theme];
  return { window: p.page, windowText: p.text, text: p.text, link: p.link };
}

/** Size, weight and family of type (CSS weights: 400 normal, 600 semi-bold, 700 bold; no family: inherited). */
export interface TypeFace {
  readonly px: number;
  readonly weight: 400 | 600 | 700;
  readonly family?: string;
}

const MONOSPACE = 'DejaVu Sans Mono';

/** The type of body text at `zoom`: the page's font, which every block inherits. */
export function bodyFace(zoom: number): TypeFace {
  return { px: fontPx('paragraph', clampZoom(zoom)), weight: 400 };
}

/**
 * How a widget of `role` without a style sheet of its own differs from the page: its type,
 * palette colours, a filled background, padding. Empty for paragraphs.
 */
export interface RoleLook {
  readonly face?: TypeFace;
  readonly colours?: PaletteColours;
  /** Paints its background with its palette's window colour. */
  readonly fill?: boolean;
  /** Space between its edges and its text, in pixels (the role is drawn by a label). */
  readonly padding?: number;
}

export function roleLook(role: string, theme: ThemeName, zoom: number): RoleLook {
  const p = PALETTES[theme];
  const z = clampZoom(zoom);
  const heading = /^h([1-6])$/.exec(role);
  if (heading !== null) {
    const face: TypeFace = { px: fontPx(role, z), weight: Number(heading[1]) <= 2 ? 700 : 600 };
    return role === 'h6' ? { face, colours: { windowText: p.muted } } : { face };
  }
  switch (role) {
    case 'literal':
      // 12 px: where a code block's text starts (8 px of padding, and the 4 px QLabel indents text in a frame).
      return { face: { px: fontPx(role, z), weight: 400, family: MONOSPACE }, colours: { window: p.codeBg }, fill: true, padding: 12 };
    case 'rule':
      return { colours: { window: p.rule }, fill: true };
    default:
      return {};
  }
}

/** Roles whose look needs a style sheet: borders, and children to style. */
const SHEET_ROLES = new Set(['code-frame', 'placeholder', 'table', 'media']);

/**
 * The style sheet a widget of `role` carries of its own, or '' for roles drawn without one
 * (roleLook): every block but code, tables, media, image placeholders and quotes.
 *
 * A sheet on the page itself put every block under QStyleSheetStyle, which polishes each
 * widget with render rules of its own, and one sheet anywhere on the page brings Qt's CSS
 * machinery in (1.2 to 1.8 MiB more with a 1,000-post index open; measured). A widget under
 * a sheet no longer inherits its parent's palette and font (Qt turns that propagation off),
 * so each sheet starts from the page's colour and body size and has the whole look of its
 * role. Selectors name roles, as a widget's sheet also applies to its children: a code
 * frame styles its label and Copy button, a table grid its cells, a media block its name.
 */
export function roleStyleSheet(role: string, quoted: boolean, theme: ThemeName, zoom: number): string {
  if (!quoted && !SHEET_ROLES.has(role)) return '';
  const p = PALETTES[theme];
  const z = clampZoom(zoom);
  const px = (of: string): string => `${fontPx(of, z)}px`;
  const mono = `font-family: "${MONOSPACE}", monospace; font-size: ${px('code')}; background: ${p.codeBg}; padding: 8px;`;
  const cell = `border: 1px solid ${p.tableBorder}; padding: 4px 8px;`;
  const rules = [`QLabel { color: ${p.text}; font-size: ${px('paragraph')}; }`, `QPushButton { font-size: ${px('paragraph')}; }`];
  const { face } = roleLook(role, theme, z);
  if (/^h[1-6]$/.test(role) && face !== undefined) rules.push(`QLabel[role="${role}"] { font-size: ${face.px}px; font-weight: ${face.weight}; }`);
  switch (role) {
    case 'h6':
      rules.push(`QLabel[role="h6"] { color: ${p.muted}; }`);
      break;
    case 'literal':
      rules.push(`QLabel[role="literal"] { ${mono} }`);
      break;
    case 'code-frame':
      rules.push(`QScrollArea[role="code-frame"] { background: ${p.codeBg}; border: none; }`, `QLabel[role="code"] { ${mono} }`);
      break;
    case 'placeholder':
      rules.push(`QLabel[role="placeholder"] { color: ${p.muted}; background: ${p.placeholderBg}; border: 1px dashed ${p.rule}; padding: 10px; }`);
      break;
    case 'rule':
      rules.push(`QLabel[role="rule"] { background: ${p.rule}; }`);
      break;
    case 'table':
      rules.push(`QLabel[role="cell"] { ${cell} }`, `QLabel[role="header-cell"] { ${cell} font-weight: 700; background: ${p.headerBg}; }`);
      break;
    case 'media':
      rules.push(`QWidget[role="media"] { background: ${p.codeBg}; }`, `QLabel[role="media-name"] { font-weight: 600; }`);
      break;
    default:
      break;
  }
  if (quoted) {
    rules.push(`QLabel[quoted="true"] { color: ${p.muted}; border-width: 0 0 0 3px; border-style: solid; border-color: ${p.quoteBar}; padding-left: 10px; }`);
  }
  return rules.join('\n');
}
