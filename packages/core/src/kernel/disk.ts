import type { Random } from '../random/random.ts';
import type { Micros } from '../time/time.ts';
import { sampleLatency, type LatencyDistribution } from './latency.ts';

/**
 * A node's disk when syncs take time: one sync at a time, in the order they were asked for, so a
 * sync asked while another is in progress completes after it (a write-ahead log's fsyncs queue
 * on one device). A crash empties the queue.
 */
export class NodeDisk {
  /** When the sync in progress completes; a new one starts no earlier. */
  private freeAt: Micros = 0;

  constructor(
    private readonly latency: LatencyDistribution,
    private readonly random: Random,
  ) {}

  /** Starts a sync at `now` (or when the one in progress completes) and returns when it completes. */
  sync(now: Micros): Micros {
    const start = this.freeAt > now ? this.freeAt : now;
    this.freeAt = start + sampleLatency(this.latency, this.random);
    return this.freeAt;
  }

  crash(): void {
    this.freeAt = 0;
  }
}
