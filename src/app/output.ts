/**
 * What a command prints: lines for people, or with `--json` one JSON object per line.
 */
export class Output {
  readonly #json: boolean;
  readonly #write: (line: string) => void;
  readonly #writeNote: (line: string) => void;

  constructor(
    json: boolean,
    write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    writeNote: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {
    this.#json = json;
    this.#write = write;
    this.#writeNote = writeNote;
  }

  /** A remark for people beside the output (standard error); nothing with --json. */
  note(line: string): void {
    if (!this.#json) this.#writeNote(line);
  }

  get json(): boolean {
    return this.#json;
  }

  /** Prints `human` for people, or `data` as one JSON line. */
  print(data: Readonly<Record<string, unknown>>, human: string): void {
    this.#write(this.#json ? JSON.stringify(data) : human);
  }
}
