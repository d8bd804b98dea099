/** Bad input or usage: the message says what is wrong and how to fix it; exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C (SIGINT), after printing what finished: 128 + SIGINT's number, as shells report it. */
export const EXIT_INTERRUPTED = 130;
