/**
 * Colours and type of the page, as one Qt style sheet per theme and zoom. Pure: the widgets
 * carry `role` and `quoted` properties and this sheet styles them.
 */

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
const HEADING_PX = [30, 24, 20, 17, 16, 15] as const;
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

/** The style sheet of the page widget for `theme` at `zoom`. */
export function pageStyleSheet(theme: ThemeName, zoom: number): string {
  const p = PALETTES[theme];
  const z = clampZoom(zoom);
  const px = (role: string): string => `${fontPx(role, z)}px`;
  return `
  #page { background: ${p.page}; }
  QLabel { color: ${p.text}; font-size: ${px('paragraph')}; }
  QLabel[role="h1"] { font-size: ${px('h1')}; font-weight: 700; }
  QLabel[role="h2"] { font-size: ${px('h2')}; font-weight: 700; }
  QLabel[role="h3"] { font-size: ${px('h3')}; font-weight: 600; }
  QLabel[role="h4"], QLabel[role="h5"], QLabel[role="h6"] { font-size: ${px('h4')}; font-weight: 600; }
  QLabel[role="h6"] { color: ${p.muted}; }
  QLabel[role="code"], QLabel[role="literal"] { font-family: "DejaVu Sans Mono", monospace; font-size: ${px('code')}; background: ${p.codeBg}; padding: 8px; }
  QLabel[role="notice"] { background: ${p.placeholderBg}; padding: 6px; }
  QLabel[role="placeholder"] { color: ${p.muted}; background: ${p.placeholderBg}; border: 1px dashed ${p.rule}; padding: 10px; }
  QLabel[role="rule"] { background: ${p.rule}; }
  QLabel[role="cell"] { border: 1px solid ${p.tableBorder}; padding: 4px 8px; }
  QLabel[role="header-cell"] { border: 1px solid ${p.tableBorder}; padding: 4px 8px; font-weight: 700; background: ${p.headerBg}; }
  QLabel[quoted="true"] { color: ${p.muted}; border-width: 0 0 0 3px; border-style: solid; border-color: ${p.quoteBar}; padding-left: 10px; }
  QScrollArea[role="code-frame"] { background: ${p.codeBg}; border: none; }
  QWidget[role="media"] { background: ${p.codeBg}; }
  QPushButton { font-size: ${px('paragraph')}; }
  QLabel[role="media-name"] { font-weight: 600; }
`;
}
