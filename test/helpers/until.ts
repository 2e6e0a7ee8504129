/**
 * Waiting in tests for something another thread, process or timer brings about.
 */

/** Resolves when `condition` holds, polling every `everyMs`; fails after `timeoutMs`, naming `what`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
