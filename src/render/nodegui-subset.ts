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
  'AcceptMode', 'AlignmentFlag', 'AspectRatioMode', 'Direction', 'FileMode', 'FocusPolicy', 'ItemFlag', 'Orientation',
  'QAction', 'QApplication', 'QBoxLayout', 'QCheckBox', 'QClipboardMode', 'QComboBox', 'QDialog', 'QFileDialog',
  'QGridLayout', 'QKeySequence', 'QLabel', 'QLineEdit', 'QListWidget', 'QListWidgetItem', 'QMainWindow', 'QMenu',
  'QMenuBar', 'QPixmap', 'QPlainTextEdit', 'QPoint', 'QProgressBar', 'QPushButton', 'QScrollArea', 'QScrollBar',
  'QShortcut', 'QSpinBox', 'QStackedWidget', 'QWidget', 'ScrollBarPolicy', 'ShortcutContext', 'TextFormat',
  'TextInteractionFlag', 'TransformationMode', 'WidgetEventTypes',
] as const;

/** NodeGui as swarmpress sees it: only the names above. */
export type Qt = Pick<typeof NodeGui, (typeof NODEGUI_NAMES)[number]>;
