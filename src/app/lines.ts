/**
 * Newline-delimited text arriving in chunks (a socket, stdin): the JSON-lines channels of
 * the control socket (control.ts) and of the window's automation (automation.ts).
 */

/**
 * A handler for text chunks that calls `onLine` with each whole line, without its "\n"
 * (nor a "\r" before it); a partial line waits for the chunk that ends it.
 */
export function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end).replace(/\r$/, '');
      pending = pending.slice(end + 1);
      onLine(line);
    }
  };
}
