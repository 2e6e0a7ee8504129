/**
 * The part of NodeGui that swarmpress uses. tools/bundle.js bundles NodeGui's JavaScript
 * for these names only (with what their files import), not its whole index: loading all of
 * NodeGui's ~300 exports built every class and enum at start, ~1 MB more of V8 heap and
 * ~15 ms more of each start than these (measured: the bundle loaded alone).
 *
 * Code reaches NodeGui only through a `Qt` (src/widgets/qt-runtime.ts loads it), so a name missing
 * here is a compile error, not a surprise at run time: add it to the list.
 */
import type * as NodeGui from '@nodegui/nodegui';

export const NODEGUI_NAMES = [
  'AcceptMode', 'AlignmentFlag', 'AspectRatioMode', 'Direction', 'FileMode', 'FocusPolicy', 'ItemFlag',
  'Orientation', 'QAction', 'QApplication', 'QBoxLayout', 'QCheckBox', 'QClipboardMode', 'QComboBox', 'QDialog',
  'QFileDialog', 'QFont', 'QFontMetrics', 'QFontWeight', 'QGridLayout', 'QKeySequence', 'QLabel', 'QLineEdit', 'QListWidget',
  'QListWidgetItem', 'QMainWindow', 'QMenu', 'QMenuBar', 'QPixmap', 'QPlainTextEdit', 'QPoint', 'QProgressBar',
  'QPushButton', 'QScrollArea', 'QScrollBar', 'QShortcut', 'QSizePolicyPolicy', 'QSpinBox', 'QStackedWidget', 'QWidget',
  'ScrollBarPolicy', 'ShortcutContext', 'TextElideMode', 'TextFormat', 'TextInteractionFlag', 'TransformationMode',
  'WidgetEventTypes',
] as const;

/** Palette roles that `Qt.setColours` sets (native/src/runtime/widget_look.cpp). */
export type PaletteRole =
  | 'window' | 'windowText' | 'base' | 'alternateBase' | 'text' | 'button' | 'buttonText' | 'highlight'
  | 'highlightedText' | 'link' | 'linkVisited' | 'placeholderText' | 'toolTipBase' | 'toolTipText';

/** Colours of palette roles, in a form QColor reads ('#rrggbb'). */
export type PaletteColours = Partial<Record<PaletteRole, string>>;

/** What swarmpress's runtime module adds to NodeGui, for what NodeGui 0.61 cannot do. */
export interface QtAdditions {
  /**
   * Sets these colours of `widget`'s palette, in every colour group; its children inherit
   * them. NodeGui has no QWidget.setPalette. A role or colour Qt does not know throws
   * TypeError, and nothing is changed.
   */
  setColours(widget: NodeGui.QWidget, colours: PaletteColours): void;
  /**
   * Decodes a PNG, JPEG or GIF at `width` × `height` (QImageReader's scaled decode) into a
   * picture held natively, not by a JS wrapper; returns its handle, or 0 when Qt cannot
   * decode the bytes (native/src/runtime/image_decode.cpp). Free it with `freeImage`.
   */
  decodeImage(data: Uint8Array, width: number, height: number): number;
  /** Shows the picture `handle` in `label` (shared: no copy of the pixels). RangeError for an unknown handle. */
  showImage(label: NodeGui.QLabel, handle: number): void;
  /** Frees the picture `handle`; labels showing it keep their share until they are deleted. */
  freeImage(handle: number): void;
  /** Pictures held now and their pixels (tests, benchmarks). */
  imageStats(): { readonly images: number; readonly pixels: number };
}

/** NodeGui as swarmpress sees it: only the names above, and swarmpress's additions. */
export type Qt = Pick<typeof NodeGui, (typeof NODEGUI_NAMES)[number]> & QtAdditions;
