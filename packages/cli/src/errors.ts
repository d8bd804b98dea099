/** Bad input or usage: the message says what is wrong and how to fix it; exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export { EXIT_OK, EXIT_VIOLATION, EXIT_USAGE, EXIT_INTERNAL, EXIT_UNKNOWN, EXIT_INTERRUPTED } from './exit-codes.ts';
