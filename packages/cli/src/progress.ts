import { style } from './style.ts';

/**
 * A progress bar on stderr for long sweeps: redrawn in place on a terminal (at most 10 times a
 * second), or a plain line every 10% when output is piped, so CI logs stay readable.
 */
export class ProgressBar {
  private readonly tty = process.stderr.isTTY === true;
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly label: string,
  ) {}

  update(done: number, failing: number): void {
    const now = performance.now();
    if (this.tty) {
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      process.stderr.write(`\r${this.line(done, failing, now)}\u001b[K`);
    } else {
      const decile = Math.floor((done / this.total) * 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      process.stderr.write(`${this.line(done, failing, now)}\n`);
    }
  }

  finish(done: number, failing: number): void {
    if (this.tty) process.stderr.write(`\r${this.line(done, failing, performance.now())}\u001b[K\n`);
  }

  private line(done: number, failing: number, now: number): string {
    const width = 30;
    const fraction = this.total === 0 ? 1 : done / this.total;
    const filled = Math.round(fraction * width);
    const bar = style.green('█'.repeat(filled)) + style.dim('░'.repeat(width - filled));
    const elapsed = (now - this.started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const failText = failing > 0 ? style.red(`  ✗ ${failing} failing`) : style.green('  ✓ none failing');
    return `${this.label} ${bar} ${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}  ${Math.round(rate).toLocaleString('en-US')}/s  ${done < this.total ? `ETA ${formatSeconds(eta)}` : `in ${formatSeconds(elapsed)}`}${failText}`;
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
