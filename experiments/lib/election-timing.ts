import { formatMicros, parseDuration, type Micros } from '@dsim/core';
import type { MicrosRange } from './election-run.ts';
import { paperRanges, uncontestedElectionBoundMicros } from './paper-figure16.ts';

/**
 * The network and disk timing of the Raft paper's election experiment, each figure with the
 * source it comes from. The cluster (the dissertation's setup table, §9.4): five servers running
 * LogCabin, Xeon X3470, "ext4 file system on Crucial M4 SSDs", "Protocol Buffers over TCP/IP over
 * 1 gigabit Ethernet"; the network was not slowed down ("the fixed network in our real-world test
 * cluster", §9.4).
 */

/**
 * One-way latency on that LAN. The dissertation measured the same servers and network (§10.3 and
 * its setup table): "The latency for a kilobyte-sized write is ... about 1.0 ms for two- to
 * five-server clusters. This includes the time to write one kilobyte durably to disk, which we
 * measured in a microbenchmark to be about .25 ms." The other 0.75 ms are two round trips (client
 * to leader, leader to followers), so a one-way trip, RPC handling included, is about 0.19 ms; the
 * range spreads it by a third either way.
 */
export const lanLatencyMicros: MicrosRange = { min: 125, max: 250 };

/** A disk-write cost for every step that persists something before its messages leave. */
export interface DiskSetup {
  readonly name: string;
  /** The mean cost of one durable write. */
  readonly writeMicros: Micros;
  readonly source: string;
}

/**
 * The slowest write the paper's own fastest trials allow: an uncontested election holds three
 * writes (the candidate's, the vote's, the new leader's no-op) and three one-way trips, and
 * Figure 16's fastest trials bound it (paper-figure16.ts, uncontestedElectionBoundMicros).
 */
function fastestTrialWriteMicros(): Micros {
  const bound = Math.min(
    ...paperRanges.filter(([a, b]) => a !== b).map((range) => uncontestedElectionBoundMicros(range)!),
  );
  return Math.round((bound - (3 * (lanLatencyMicros.min + lanLatencyMicros.max)) / 2) / 3);
}

/**
 * The costs the sources give. `stated`: the paper's "broadcast time (network round trip plus
 * disk write) of roughly 15ms" taken as the cost of every durable write, less the LAN round trip.
 * `microbenchmark`: the durable kilobyte write measured on the same cluster (§10.3; the later
 * performance runs used Intel DC S3500 SSDs with write caching off rather than the M4s).
 * `fastestTrial`: the slowest write consistent with Figure 16's fastest trials, a bound read from
 * the paper's results rather than a stated setup.
 */
export const diskSetups: Readonly<Record<string, DiskSetup>> = {
  stated: {
    name: 'stated',
    writeMicros: 15_000 - (lanLatencyMicros.min + lanLatencyMicros.max),
    source: '"broadcast time (network round trip plus disk write) of roughly 15ms" less the LAN round trip',
  },
  microbenchmark: {
    name: 'microbenchmark',
    writeMicros: 250,
    source: '"the time to write one kilobyte durably to disk ... about .25 ms" (dissertation §10.3)',
  },
  fastestTrial: {
    name: 'fastestTrial',
    writeMicros: fastestTrialWriteMicros(),
    source: "the slowest write Figure 16's fastest trials allow: three writes and three trips within 9.3 ms",
  },
};

/**
 * A write's cost varies by ±20% around its mean (uniformly): no source gives the spread of an
 * fsync's latency, and a constant would line every server's writes up unnaturally.
 */
export function writeRange(writeMicros: Micros): MicrosRange {
  return { min: Math.round(writeMicros * 0.8), max: Math.round(writeMicros * 1.2) };
}

function duration(text: string, flag: string): Micros {
  const micros = parseDuration(text);
  if (typeof micros !== 'number' || micros < 0)
    throw new Error(`--${flag}: expected a duration like 15ms or 500us, got '${text}'`);
  return micros;
}

/** `a..b` or a single duration (a constant). */
export function parseMicrosRange(text: string, flag: string): MicrosRange {
  const [a, b] = text.split('..');
  const min = duration(a!.trim(), flag);
  const max = b === undefined ? min : duration(b.trim(), flag);
  if (max < min) throw new Error(`--${flag}: the range must not run backwards, got '${text}'`);
  return { min, max };
}

/** A named disk setup or a mean write cost such as `2ms` (±20%); a list is comma-separated. */
export function parseDiskSetups(text: string): DiskSetup[] {
  return text.split(',').map((part) => {
    const name = part.trim();
    const named = diskSetups[name];
    if (named !== undefined) return named;
    const micros = parseDuration(name);
    if (typeof micros !== 'number' || micros < 0)
      throw new Error(
        `--disk: expected ${Object.keys(diskSetups).join(', ')} or a mean write cost like 2ms (got '${name}')`,
      );
    return { name: formatMicros(micros), writeMicros: micros, source: 'given on the command line' };
  });
}
