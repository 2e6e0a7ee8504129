/**
 * A private X server (Xvfb) for GUI tests: it picks a free display number itself
 * (-displayfd), listens on no TCP port, and is stopped by the test that started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface XServer {
  /** The value for $DISPLAY, e.g. ":12". */
  readonly display: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

export async function startXvfb(width = 1280, height = 800): Promise<XServer> {
  const child: ChildProcess = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      reject(new Error(`Xvfb did not start within ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line !== null) {
        clearTimeout(timer);
        resolve(`:${line[1] ?? ''}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${String(code)}: ${stderr}`));
    });
  });
  return {
    display,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
