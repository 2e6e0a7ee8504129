/**
 * The composition root: parses the command line, runs one command, turns failures into one
 * clear line and an exit code.
 */
import { readFileSync } from 'node:fs';
import { assertNever } from '../core/assert-never.js';
import { libtorrentVersion } from '../net/native.js';
import { HELP, HELP_TOPICS, parseCommandLine, type Invocation } from './cli.js';
import { identity } from './commands/identity.js';
import { render } from './commands/render.js';
import { serve } from './commands/serve.js';
import { runSiteCommand } from './commands/site.js';
import { onNode } from './node-setup.js';
import { openWindow } from './commands/window.js';
import { EXIT_OK, presentError } from './messages.js';
import { installNativeHashes } from './native-hashes.js';
import { Output } from './output.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function runInvocation({ command, common }: Invocation, out: Output): Promise<number> {
  switch (command.name) {
    case 'help': {
      const text = command.topic === undefined ? HELP : HELP_TOPICS[command.topic] ?? HELP;
      out.print({ command: command.topic ?? null, help: text }, text);
      return EXIT_OK;
    }
    case 'version': {
      const lt = libtorrentVersion();
      out.print(
        { swarmpress: packageVersion(), libtorrent: lt.runtime, node: process.versions.node },
        `swarmpress ${packageVersion()} (libtorrent ${lt.runtime}, node ${process.versions.node})`,
      );
      return EXIT_OK;
    }
    case 'window':
      return openWindow(command, common, out);
    case 'serve':
      return serve(common, out);
    case 'render':
      return render(command, out);
    case 'publish':
    case 'post':
    case 'get':
    case 'follow':
    case 'unfollow':
    case 'block':
    case 'unblock':
    case 'mute':
    case 'unmute':
    case 'block-list':
    case 'sites':
    case 'search':
    case 'history':
      return onNode(command, common, out, runSiteCommand);
    case 'identity':
      return identity(command, common, out);
    default:
      return assertNever(command, 'command');
  }
}

/** Runs swarmpress with `argv` (the arguments after the script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  installNativeHashes();
  let json = argv.includes('--json');
  try {
    const invocation = parseCommandLine(argv);
    json = invocation.common.json;
    return await runInvocation(invocation, new Output(json));
  } catch (error) {
    const shown = presentError(error);
    process.stderr.write(`swarmpress: ${shown.message}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ error: shown.code, message: shown.message })}\n`);
    return shown.exitCode;
  }
}
