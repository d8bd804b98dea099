import { style } from './style.ts';

/**
 * The progress line of a long `dsim check` on stderr: drawn in place at most ten times a second,
 * and only on a terminal (piped output and CI logs get nothing, the result says it all).
 */
export class CheckProgress {
  private lastDraw = 0;
  private drawn = false;
  private readonly started = performance.now();

  private constructor(private readonly label: string) {}

  /** A progress line when stderr is a terminal; undefined otherwise. */
  static create(label: string): CheckProgress | undefined {
    return process.stderr.isTTY === true ? new CheckProgress(label) : undefined;
  }

  update(done: number, total: number, note: string, unit: 'bytes' | 'keys'): void {
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    const width = 30;
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(fraction * width);
    const bar = style.green('█'.repeat(filled)) + style.dim('░'.repeat(width - filled));
    const amount =
      unit === 'bytes'
        ? `${(done / 2 ** 20).toFixed(0)}/${(total / 2 ** 20).toFixed(0)} MB`
        : `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} keys`;
    const elapsed = (now - this.started) / 1000;
    process.stderr.write(`\r${this.label.padEnd(5)} ${bar} ${amount}  ${note}  ${elapsed.toFixed(1)}s\u001b[K`);
  }

  finish(): void {
    if (this.drawn) process.stderr.write('\r\u001b[K');
  }
}
