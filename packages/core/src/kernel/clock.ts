import type { Micros } from '../time/time.ts';

/** Largest drift accepted, in parts per million (±50%): beyond this a "clock" is not a clock. */
export const MAX_DRIFT_PPM = 500_000;

/**
 * A node's local clock as a piecewise-linear function of global time:
 * local = segmentLocal + (global - segmentGlobal) × (1 + driftPpm / 1e6), rounded down.
 * A jump or a drift change starts a new segment, so values stay small integers and exact.
 */
export class NodeClock {
  private segmentGlobal: Micros = 0;
  private segmentLocal: Micros;
  private drift: number;

  constructor(offsetMicros: Micros = 0, driftPpm = 0) {
    this.segmentLocal = offsetMicros;
    this.drift = driftPpm;
  }

  get driftPpm(): number {
    return this.drift;
  }

  /** Local time at a global instant (at or after the current segment's start). */
  localAt(global: Micros): Micros {
    const elapsed = global - this.segmentGlobal;
    if (this.drift === 0) return this.segmentLocal + elapsed;
    return this.segmentLocal + elapsed + Math.floor((elapsed * this.drift) / 1_000_000);
  }

  /** How far the local clock is ahead of global time at `global` (negative when behind). */
  offsetAt(global: Micros): Micros {
    return this.localAt(global) - global;
  }

  /** The earliest global instant ≥ `notBefore` at which the local clock reads at least `local`. */
  globalWhenLocalReaches(local: Micros, notBefore: Micros): Micros {
    if (this.drift === 0) {
      // Local time runs at global speed: the answer is exact in integers (every timer a protocol sets asks this).
      const at = this.segmentGlobal + (local - this.segmentLocal);
      return at > notBefore ? at : notBefore;
    }
    if (this.localAt(notBefore) >= local) return notBefore;
    const rate = 1 + this.drift / 1_000_000;
    let estimate = this.segmentGlobal + Math.ceil((local - this.segmentLocal) / rate);
    if (estimate < notBefore) estimate = notBefore;
    // The estimate can be off by a microsecond either way from rounding; settle it exactly.
    while (this.localAt(estimate) < local) estimate++;
    while (estimate > notBefore && this.localAt(estimate - 1) >= local) estimate--;
    return estimate;
  }

  /** Moves the local clock by `deltaMicros` (negative jumps go backwards) at global instant `now`. */
  jump(now: Micros, deltaMicros: Micros): void {
    this.startSegment(now);
    this.segmentLocal += deltaMicros;
  }

  /** Changes the rate at global instant `now`; time already elapsed keeps its reading. */
  setDrift(now: Micros, driftPpm: number): void {
    this.startSegment(now);
    this.drift = driftPpm;
  }

  private startSegment(now: Micros): void {
    this.segmentLocal = this.localAt(now);
    this.segmentGlobal = now;
  }
}
