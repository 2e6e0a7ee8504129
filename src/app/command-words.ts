/**
 * The words that name a command (`swarmpress publish …`); without one, swarmpress opens the
 * window. In a module of its own so that bin/swarmpress.js can tell, before the program
 * loads, whether the window will open (and read ahead what it needs).
 */
export const COMMAND_WORDS = ['publish', 'post', 'get', 'follow', 'unfollow', 'block', 'unblock', 'mute', 'unmute', 'block-list', 'serve', 'render', 'identity', 'sites', 'search', 'history', 'help'] as const;

/** Whether `argv` (the arguments after the script) opens the window: no command word, no --help or --version. */
export function opensWindow(argv: readonly string[]): boolean {
  const words: readonly string[] = COMMAND_WORDS;
  return !argv.some((arg) => words.includes(arg) || arg === '--help' || arg === '-h' || arg === '--version' || arg === '-V');
}
