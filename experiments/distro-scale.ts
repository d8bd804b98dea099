/**
 * Distro's message load as the cluster and the registry grow (issue #19: "messages per second per
 * node as the cluster grows to 50 nodes and 10,000 instances"):
 *
 *   npx -y pnpm@10 experiment distro-scale [--sizes 3,5,10,20,50] [--instances 100,1000,10000]
 *
 * Steady state, no faults: every instance's client beats every 5 s through the node it is
 * connected to (a non-owner forwards the beat to the owner), reads a service in between (think
 * time 5 s), and nothing changes, so pushes are rare; each node verifies its own clients with every
 * other member every 5 s (one batched Verify per member, where Nacos 2.x sends one verify RPC per
 * client), and member health sends a report every 2 s. Messages received per second per node from
 * 20 s to 40 s of simulated time (after every instance registered and the pushes settled), by type.
 */
import { runScenario, type Scenario } from '@dsim/core';
import { distro, type DistroMessage } from '@dsim/distro';
import { parseFlags } from './lib/flags.ts';

export const description = 'Distro: messages per second per node as the cluster grows to 50 nodes and 10,000 instances';
export const usage = '[--sizes 3,5,10,20,50] [--instances 100,1000,10000]';

const windowFrom = 20_000_000;
const windowTo = 40_000_000;

function wholeNumbers(text: string, flag: string): number[] {
  return text.split(',').map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${flag}: '${part}' is not a whole number above 0; give a list like 3,5,10`);
    return value;
  });
}

interface Load {
  readonly perNode: number;
  readonly byType: Readonly<Record<string, number>>;
  readonly clientOpsPerSecond: number;
  readonly wallSeconds: number;
}

/** One run, counting the messages every node receives inside the window, by type. */
function measure(nodes: number, instances: number): Load {
  const counts: Record<string, number> = {};
  let operations = 0;
  const counting = {
    ...distro,
    onMessage(
      state: Parameters<typeof distro.onMessage>[0],
      from: string,
      msg: DistroMessage,
      ctx: Parameters<typeof distro.onMessage>[3],
    ) {
      const now = ctx.now();
      if (now >= windowFrom && now < windowTo) counts[msg.type] = (counts[msg.type] ?? 0) + 1;
      distro.onMessage(state, from, msg, ctx);
    },
    onRequest(
      state: Parameters<NonNullable<typeof distro.onRequest>>[0],
      request: Parameters<NonNullable<typeof distro.onRequest>>[1],
      ctx: Parameters<NonNullable<typeof distro.onRequest>>[2],
    ) {
      const now = ctx.now();
      if (now >= windowFrom && now < windowTo) operations++;
      distro.onRequest!(state, request, ctx);
    },
  } as typeof distro;
  const scenario: Scenario = {
    name: `distro-scale-${nodes}n-${instances}`,
    protocol: counting,
    nodes,
    seed: 1,
    until: windowTo,
    // No clock faults here, so a node's local time is global time and ctx.now() bounds the window.
    network: { latency: { dist: 'uniform', min: 1_000, max: 5_000 }, fifo: true },
    workload: {
      name: 'registry',
      clients: instances,
      thinkTime: '5s',
      timeout: '3s',
      startAt: '1s',
      options: { services: 20 },
    },
    invariants: [],
    budget: { events: 200_000_000, messages: 100_000_000 },
  };
  const started = process.hrtime.bigint();
  const result = runScenario(scenario, {}, { trace: 'off', stateMode: 'mutable' });
  if (result.endReason !== 'until')
    throw new Error(`${scenario.name} ended early: ${result.endReason} ${result.error ?? ''}`);
  const seconds = (windowTo - windowFrom) / 1e6;
  const byType = Object.fromEntries(Object.entries(counts).map(([type, count]) => [type, count / seconds / nodes]));
  const perNode = Object.values(byType).reduce((sum, value) => sum + value, 0);
  return {
    perNode,
    byType,
    clientOpsPerSecond: operations / seconds,
    wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

export function main(args: readonly string[]): number {
  const { values } = parseFlags(args, ['sizes', 'instances'], []);
  const sizes = wholeNumbers(values.sizes ?? '3,5,10,20,50', 'sizes');
  const instanceCounts = wholeNumbers(values.instances ?? '100,1000,10000', 'instances');
  const types = ['Forward', 'ForwardReply', 'Verify', 'VerifyFailed', 'Sync', 'SyncAck', 'Report', 'ReportAck'];
  console.log('Messages received per second per node, 20 s..40 s of simulated time, steady state\n');
  console.log(
    `| nodes | instances | msgs/s/node | ${types.join(' | ')} | Nacos per-client verify/s/node | client ops/s (cluster) | wall s |`,
  );
  console.log(`|---|---|---|${types.map(() => '---|').join('')}---|---|---|`);
  for (const instances of instanceCounts)
    for (const nodes of sizes) {
      const load = measure(nodes, instances);
      const cells = types.map((type) => (load.byType[type] ?? 0).toFixed(1));
      // Nacos 2.x verifies each owned client with each other member every 5 s, one RPC per client.
      const nacosVerify = ((instances / nodes) * (nodes - 1)) / 5;
      console.log(
        `| ${nodes} | ${instances} | ${load.perNode.toFixed(1)} | ${cells.join(' | ')} | ${nacosVerify.toFixed(0)} | ${load.clientOpsPerSecond.toFixed(0)} | ${load.wallSeconds.toFixed(1)} |`,
      );
    }
  return 0;
}
