/**
 * What a command prints: lines for people, or with `--json` one JSON object per line.
 */
export class Output {
  readonly #json: boolean;
  readonly #write: (line: string) => void;

  constructor(json: boolean, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.#json = json;
    this.#write = write;
  }

  get json(): boolean {
    return this.#json;
  }

  /** Prints `human` for people, or `data` as one JSON line. */
  print(data: Readonly<Record<string, unknown>>, human: string): void {
    this.#write(this.#json ? JSON.stringify(data) : human);
  }
}
