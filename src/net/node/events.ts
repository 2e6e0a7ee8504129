/**
 * What a node reports (serve prints it, the app presents it, tests wait for it): one
 * discriminated union, a member per kind of event, with typed fields. Keys, infohashes
 * and ids are lower-case hex and seqs decimal strings, as the CLI's `--json` prints them.
 * The sentence a person reads is made from the fields by {@link describeEvent}, once.
 */
import { assertNever } from '../../core/assert-never.js';

/** Where the time of a publish went (ms). */
export interface PublishTimes {
  readonly lookups: number;
  readonly build: number;
  readonly records: number;
}

/** Where the time of a fetch went (ms). */
export interface FetchTimes {
  readonly download: number;
  readonly verify: number;
  readonly resume: number;
}

/** One event of a node, or of the program around it (started, stopped, duties). */
export type NodeEvent = Readonly<
  | { type: 'started'; dataDir: string; pid: number; port: number; libtorrent: string; seeding: number }
  | { type: 'resumed'; dataDir: string; pid: number; port: number; libtorrent: string; seeding: number }
  | { type: 'waiting'; dataDir: string }
  | { type: 'handed-over' }
  | { type: 'stopped'; signal: string }
  | { type: 'seeding'; versions: number }
  | { type: 'published'; site: string; key: string; seq: string; infohash: string; ms: PublishTimes }
  | { type: 'outbox'; key: string; seq: string }
  | { type: 'outbox-flushed'; records: number }
  | { type: 'conflict'; key: string; seq: string }
  | { type: 'fetched'; infohash: string; items: number; ms: FetchTimes }
  | { type: 'pushed'; key: string; seq: string; infohash: string; from: string }
  | { type: 'updated'; key: string; title: string; seq: string | undefined; infohash: string; newItems: number; via?: 'push' }
  | { type: 'block-list'; key: string; entries: number; refused: number; dropped: number; infohash: string | undefined; problem?: string }
  | { type: 'block-list-refused'; key: string; code: string; reason: string }
  | { type: 'evicted'; versions: number }
  | { type: 'reput'; put: number; failed: number }
  | { type: 'poll-failed'; key: string; reason: string }
  | { type: 'lan'; interfaceAddress?: string }
  | { type: 'lan-warning'; reason: string }
  | { type: 'reply-sent'; reply: string; target: string; title: string }
  | { type: 'reply-notice'; key: string; reply: string; target: string; infohash: string; from: string }
  | { type: 'reply'; key: string; reply: string; target: string; infohash: string; seq: string; site: string; title: string; targetTitle: string }
  | { type: 'warning'; text: string; code?: string; key?: string; infohash?: string }
  | { type: 'error'; text: string }
>;

/** The kinds of event. */
export type NodeEventType = NodeEvent['type'];

/** Where a node's events go. */
export type NodeLog = (event: NodeEvent) => void;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The sentence a person reads for `event` (serve's text line, the app's status). */
export function describeEvent(event: NodeEvent): string {
  switch (event.type) {
    case 'started':
      return `swarmpress node started (pid ${event.pid}): data in ${event.dataDir}, listening on port ${event.port}, libtorrent ${event.libtorrent}; Ctrl-C stops it`;
    case 'resumed':
      return `swarmpress node running again (pid ${event.pid}): data in ${event.dataDir}, listening on port ${event.port}, libtorrent ${event.libtorrent}; Ctrl-C stops it`;
    case 'waiting':
      return `another swarmpress node runs on ${event.dataDir} (a window, or another serve); this one starts when it stops`;
    case 'handed-over':
      return 'a window opened on this data folder and runs its node now; this one starts again when the window closes';
    case 'stopped':
      return `swarmpress node stopped (${event.signal})`;
    case 'seeding':
      return `seeding ${plural(event.versions, 'stored version')}`;
    case 'published':
      return `published ${event.site} version ${event.seq} (${event.infohash})`;
    case 'outbox':
      return `put the pending record seq ${event.seq} of ${event.key}`;
    case 'outbox-flushed':
      return `put ${plural(event.records, 'pending record')}`;
    case 'conflict':
      return `two values at seq ${event.seq} for ${event.key}: using the one every reader picks`;
    case 'fetched':
      return `fetched version ${event.infohash}`;
    case 'pushed':
      return `${event.key}: record seq ${event.seq} pushed by ${event.from}`;
    case 'updated':
      return `${event.title}: version ${event.seq ?? '?'} (${plural(event.newItems, 'new item')})`;
    case 'block-list':
      return `block list ${event.key}: ${plural(event.entries, 'entry', 'entries')}${event.problem === undefined ? '' : ` (${event.problem})`}`;
    case 'block-list-refused':
      return `block list ${event.key} refused: ${event.reason}`;
    case 'evicted':
      return `the cache budget removed ${plural(event.versions, 'version')}`;
    case 'reput':
      return `re-put ${plural(event.put, 'record')}${event.failed > 0 ? ` (${event.failed} failed)` : ''}`;
    case 'poll-failed':
      return `${event.key}: ${event.reason}`;
    case 'lan':
      return `LAN discovery on${event.interfaceAddress === undefined ? '' : ` (${event.interfaceAddress})`}`;
    case 'lan-warning':
      return event.reason;
    case 'reply-sent':
      return `told the peers of the original that ${event.title === '' ? 'a reply' : `'${event.title}'`} replies to it`;
    case 'reply-notice':
      return `${event.from} says ${event.key} replied to ${event.target}: fetching its version`;
    case 'reply':
      return `${event.site}: '${event.title}' replies to ${event.targetTitle}`;
    case 'warning':
    case 'error':
      return event.text;
    default:
      return assertNever(event);
  }
}

/**
 * The JSON form of `event`, as `--json` prints it: `event` names the kind (the field name
 * scripts and tests read), `message` is {@link describeEvent}'s sentence, then the fields.
 */
export function eventRecord(event: NodeEvent): Record<string, unknown> {
  const { type, ...fields } = event;
  const data: Record<string, unknown> = { ...fields };
  // A warning's or error's text is its message; it is not printed twice.
  delete data['text'];
  return { event: type, message: describeEvent(event), ...data };
}
