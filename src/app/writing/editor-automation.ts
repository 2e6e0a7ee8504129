/**
 * Automation commands for the editor (automation.ts): tests drive the editor as a person
 * would — through its buttons and keys — and read back what Qt shows.
 *   {"cmd":"newPost"}                     opens an editor on a new post (as Ctrl+N) -> {draftId}
 *   {"cmd":"drafts"}                      -> {drafts: [{id, title, savedMs, isOpen}]}, newest first
 *   {"cmd":"openDraft","id":ID}           opens a draft -> {draftId}
 *   {"cmd":"editor", "do": …, "draftId"?}  acts on an editor (default: the newest one open):
 *     "dump"                              -> the editor (editor-panel.ts EditorDump) and its last save
 *     "press","action":A                  presses toolbar button A (bold, link, image, publish, …)
 *     "select","start":N,"end":M          selects text
 *     "publishButton","name":B            presses a button of the publish panel (publish, copy, …)
 *     "delay","minutes":N                 sets the publish delay
 *     "chooseImage","file":F              answers the open picture chooser with F
 *     "preview"                           waits until the preview shows the current text -> its stats
 *     "grab","path":P                     screenshot of the editor window
 *     "close"                             closes the editor window
 */
import { assertNever } from '../../core/assert-never.js';
import type { EditorAction } from '../../widgets/editor-panel.js';
import type { PublishButton } from '../../widgets/publish-panel.js';
import type { AutomationHandlers, AutomationRequest } from '../automation.js';
import type { SaveReport } from './draft-saver.js';
import type { OpenEditor, Writing } from './writing.js';

const EDITOR_ACTIONS = new Set<string>(['heading', 'bold', 'italic', 'code', 'bullets', 'numbers', 'quote', 'link', 'image', 'publish']);
const PUBLISH_BUTTONS = new Set<string>(['cancel', 'publish', 'now', 'copy', 'done', 'retry', 'back']);
type EditorVerb = 'dump' | 'press' | 'select' | 'publishButton' | 'delay' | 'chooseImage' | 'preview' | 'grab' | 'close';
const VERBS = new Set<string>(['dump', 'press', 'select', 'publishButton', 'delay', 'chooseImage', 'preview', 'grab', 'close']);

function field<T extends 'string' | 'number'>(request: AutomationRequest, name: string, type: T): T extends 'string' ? string : number {
  const value = request[name];
  if (typeof value !== type) throw new TypeError(`'${name}' must be a ${type}`);
  return value as T extends 'string' ? string : number;
}

/** The editor commands for `writing`; `saves` holds the last save of each draft. */
export function editorAutomation(writing: Writing, saves: ReadonlyMap<string, SaveReport & { readonly count: number }>): AutomationHandlers {
  const target = (request: AutomationRequest): OpenEditor => {
    const editors = writing.editors;
    const id = request['draftId'];
    const found = typeof id === 'string' ? editors.find((editor) => editor.draftId === id) : editors.at(-1);
    if (found === undefined) throw new Error(typeof id === 'string' ? `no editor is open on draft ${id}` : 'no editor is open');
    return found;
  };
  return {
    newPost: () => ({ draftId: writing.newPost().draftId }),
    drafts: () => ({ drafts: writing.list() }),
    openDraft: (request) => ({ draftId: writing.openDraft(field(request, 'id', 'string')).draftId }),
    editor: (request) => {
      const verb = request['do'];
      if (typeof verb !== 'string' || !VERBS.has(verb)) throw new TypeError(`'do' must be one of ${[...VERBS].join(', ')}`);
      const editor = target(request);
      const panel = editor.window.panel;
      switch (verb as EditorVerb) {
        case 'dump':
          return { draftId: editor.draftId, windowTitle: editor.window.title, ...panel.dump(), save: saves.get(editor.draftId) ?? null };
        case 'press': {
          const action = field(request, 'action', 'string');
          if (!EDITOR_ACTIONS.has(action)) throw new TypeError(`unknown editor action '${action}'`);
          panel.press(action as EditorAction);
          return { ok: true };
        }
        case 'select':
          panel.select({ start: field(request, 'start', 'number'), end: field(request, 'end', 'number') });
          return { ok: true };
        case 'publishButton': {
          const name = field(request, 'name', 'string');
          if (!PUBLISH_BUTTONS.has(name)) throw new TypeError(`unknown publish button '${name}'`);
          return { ok: panel.pressPublishButton(name as PublishButton) };
        }
        case 'delay':
          panel.setPublishDelay(field(request, 'minutes', 'number'));
          return { ok: true };
        case 'chooseImage':
          panel.chooseImageFile(field(request, 'file', 'string'));
          return { ok: true };
        case 'preview':
          return new Promise((resolve) => {
            panel.whenPreviewCurrent(() => {
              resolve({ ...panel.previewStats });
            });
          });
        case 'grab':
          return { ok: editor.window.grab(field(request, 'path', 'string')) };
        case 'close':
          editor.window.close();
          return { ok: true };
        default:
          return assertNever(verb as never, 'editor verb');
      }
    },
  };
}
