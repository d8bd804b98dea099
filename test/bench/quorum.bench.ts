/**
 * Raft's quorum value (`jointValue`, packages/protocols/raft/src/quorum.ts), which a leader asks
 * after every acknowledgement that moves a follower's match index, beside its peer measured in
 * the same run: the textbook way, a fresh array of the voters' values sorted in descending order
 * and read at the majority's position. Clusters of 3, 5 and 7 voters whose followers stand at the
 * leader's last index or one or two behind, as in the Raft hour. Each figure is the best of the
 * rounds, both ways timed alternately on the same clusters.
 *
 *   npx -y pnpm@10 bench quorum
 */
import { jointValue, VOTES_INCOMING } from '../../packages/protocols/raft/src/quorum.ts';
import type { BenchRow } from './kernel.bench.ts';

interface Member {
  readonly votes: number;
  readonly match: number;
}

interface Cluster {
  readonly leaderIndex: number;
  readonly followers: readonly Member[];
}

const CLUSTERS = 4096;
const ROUNDS = 15;
const REPEATS = 50;

const matchOf = (member: Member): number => member.match;

/** The peer: every voter's value in a new array, sorted, read at the majority's position. */
function sortedQuorumValue(followers: readonly Member[], leaderIndex: number): number {
  const values = [leaderIndex];
  for (const follower of followers) if ((follower.votes & VOTES_INCOMING) !== 0) values.push(follower.match);
  values.sort((a, b) => b - a);
  return values[values.length >> 1]!;
}

/** Leaders of `voters` voters with followers at their last index or one or two behind, from a fixed seed. */
function clusters(voters: number): Cluster[] {
  let seed = 7;
  const draw = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
  return Array.from({ length: CLUSTERS }, (_, i) => {
    const leaderIndex = 1000 + i;
    const followers = Array.from({ length: voters - 1 }, () => ({
      votes: VOTES_INCOMING,
      match: leaderIndex - Math.floor(draw() * 3),
    }));
    return { leaderIndex, followers };
  });
}

/** Nanoseconds per call of `quorum` over the clusters, best of the rounds; `sink` keeps the results alive. */
function timeRound(data: readonly Cluster[], quorum: (cluster: Cluster) => number, sink: { total: number }): number {
  const started = process.hrtime.bigint();
  let total = 0;
  for (let repeat = 0; repeat < REPEATS; repeat++) for (const cluster of data) total += quorum(cluster);
  sink.total += total;
  return Number(process.hrtime.bigint() - started) / (REPEATS * data.length);
}

export async function benchQuorum(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const sink = { total: 0 };
  const counted = (cluster: Cluster): number => jointValue(cluster.followers, matchOf, cluster.leaderIndex, 1);
  const sorted = (cluster: Cluster): number => sortedQuorumValue(cluster.followers, cluster.leaderIndex);
  for (const voters of [3, 5, 7]) {
    const data = clusters(voters);
    for (const cluster of data)
      if (counted(cluster) !== sorted(cluster))
        throw new Error(`jointValue and the sorted peer disagree on a cluster of ${voters} voters`);
    let best = Infinity;
    let peer = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      best = Math.min(best, timeRound(data, counted, sink));
      peer = Math.min(peer, timeRound(data, sorted, sink));
    }
    rows.push({
      name: `jointValue, ${voters} voters`,
      value: Math.round(best * 10) / 10,
      unit: 'ns/call',
      note: `${(best / peer).toFixed(2)}× the sorted peer (${peer.toFixed(1)} ns/call, same run)`,
    });
  }
  if (sink.total === 0) throw new Error('no quorum value was computed');
  return rows;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const rows = await benchQuorum();
  const { printRows } = await import('./run.ts');
  printRows('quorum', rows);
}
