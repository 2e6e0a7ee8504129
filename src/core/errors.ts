/**
 * The error types of swarmpress. Every error carries a string `code` that callers switch
 * on; the message is for humans (app/messages.ts maps codes to the words a user sees).
 */
export class AppError extends Error {
  /** Stable, machine-readable code such as `ERR_USAGE`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The command line or a caller asked for something malformed; nothing was done. */
export class UsageError extends AppError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}

