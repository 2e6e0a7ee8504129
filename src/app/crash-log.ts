/**
 * The window's crash log (issue #22: a window that dies must leave a trace). While the window
 * runs, a crash (a fatal signal, a V8 fatal error) appends a one-line reason and the native
 * stack to `crash.log` in the data folder (native/src/runtime/crash_log.cpp). The next start
 * finds it, says so on stderr and in the status line, and keeps it as `last-crash.log`
 * (replacing an older one) so that it is reported once.
 *
 * SWARMPRESS_TEST_CRASH=segv|abort makes the window crash on purpose once its first page is
 * painted: the test of the log uses it; nothing else sets it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crashForTest, installCrashLog } from '../widgets/qt-runtime.js';

/** Where a crash of the window is written, in the data folder. */
export const CRASH_LOG_FILE = 'crash.log';
/** Where the last crash's log is kept once it was reported. */
export const LAST_CRASH_LOG_FILE = 'last-crash.log';
/** Tests only: the window crashes on purpose after its first paint ('segv' or 'abort'). */
export const CRASH_TEST_ENV = 'SWARMPRESS_TEST_CRASH';

/** A crash of an earlier run, found at start. */
export interface CrashReport {
  /** The log's first line: what happened. */
  readonly reason: string;
  /** Where the whole log is now (last-crash.log). */
  readonly file: string;
  /** One sentence for the reader (status line, stderr). */
  readonly message: string;
}

/** Most bytes of the log read for its first line. */
const FIRST_LINE_BYTES = 1024;

/** Takes the crash log an earlier run left in `dataDir`, if any: moved to last-crash.log and described. */
export function takeCrashReport(dataDir: string): CrashReport | undefined {
  const log = path.join(dataDir, CRASH_LOG_FILE);
  let head: string;
  try {
    const fd = fs.openSync(log, 'r');
    try {
      const buffer = Buffer.alloc(FIRST_LINE_BYTES);
      head = buffer.subarray(0, fs.readSync(fd, buffer, 0, FIRST_LINE_BYTES, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const file = path.join(dataDir, LAST_CRASH_LOG_FILE);
  fs.renameSync(log, file);
  const reason = (head.split('\n')[0] ?? '').replace(/^swarmpress crashed: /, '').trim();
  return { reason, file, message: `swarmpress stopped unexpectedly last time (${reason === '' ? 'no reason was written' : reason}); the details are in ${file}.` };
}

/**
 * Reports a crash an earlier run left (returned, and said on stderr), then starts logging
 * crashes of this run to the data folder. Qt must be loaded.
 */
export function startCrashLog(dataDir: string): CrashReport | undefined {
  let report: CrashReport | undefined;
  try {
    report = takeCrashReport(dataDir);
  } catch (error) {
    process.stderr.write(`swarmpress: the crash log of the last run could not be read: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  if (report !== undefined) process.stderr.write(`swarmpress: ${report.message}\n`);
  installCrashLog(path.resolve(dataDir, CRASH_LOG_FILE));
  return report;
}

/** Crashes on purpose when a test asked for it (CRASH_TEST_ENV); otherwise does nothing. */
export function crashIfTestAsks(env: NodeJS.ProcessEnv = process.env): void {
  const kind = env[CRASH_TEST_ENV];
  if (kind === 'segv' || kind === 'abort') crashForTest(kind);
}
