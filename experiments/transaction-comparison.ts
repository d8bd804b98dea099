/**
 * 2PC, 3PC, TCC and Saga on one transfer workload under the same faults: the same nodes (a
 * coordinator and three participants), the same network (1–5 ms links), the same client workload
 * (three clients sending random three-site transfers, drawn from the same seeds), and the same
 * generated fault schedule per seed (partitions, crashes, pauses, loss, duplication until 10 s, then
 * 6 s of quiet). Prints one table: outcomes, how long resources stay locked (2PC/3PC: from the YES
 * vote to the decision's arrival) or frozen (TCC: from a successful debit Try to its Confirm or
 * Cancel), messages per transaction, and the invariant violations seen.
 *
 * Usage: node --import ./packages/cli/bin/register-typescript.mjs experiments/transaction-comparison.ts [seeds]
 */
import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';

const seeds = Number(process.argv[2] ?? 20);

interface Row {
  commits: number;
  aborts: number;
  unknown: number;
  held: number[];
  messages: number;
  transactions: number;
  violations: Map<string, number>;
}

function scenario(protocol: string, seed: number): Scenario {
  return {
    name: `${protocol}-comparison`,
    protocol,
    nodes: ['c', 'p1', 'p2', 'p3'],
    seed,
    until: '16s',
    ...(protocol === '3pc' ? { config: { variant: 'skeen' } } : {}),
    workload: { name: 'transfers', clients: 3, thinkTime: '50ms', timeout: '1s' },
    nemesis: {
      faults: 5,
      kinds: ['partition', 'crash', 'pause', 'loss', 'duplicate'],
      from: '500ms',
      healAt: '10s',
      minDuration: '50ms',
      maxDuration: '3s',
    },
    // Each protocol's own default invariants; the first violation stops that run.
  };
}

interface Line {
  t: number;
  k: string;
  id?: number;
  from?: string;
  to?: string;
  desc?: string;
}

/** Lock or freeze intervals from the trace: start at the participant's send, end at the first phase-2 delivery to it. */
function heldTimes(protocol: string, trace: readonly string[], end: number): { held: number[]; transactions: number } {
  const sent = new Map<number, Line>();
  const open = new Map<string, number>();
  const held: number[] = [];
  const transactions = new Set<string>();
  const isStart =
    protocol === 'tcc'
      ? (desc: string) => desc.startsWith('TryResult') && desc.includes(' ok (done)')
      : (desc: string) => desc.startsWith('Vote') && desc.endsWith(' yes');
  const isEnd =
    protocol === 'tcc'
      ? (desc: string) => desc.startsWith('Confirm ') || desc.startsWith('Cancel ')
      : (desc: string) => desc.startsWith('Commit ') || desc.startsWith('Abort ');
  const txOf = (desc: string) => /(?:tx|g)=(\d+)/.exec(desc)?.[1] ?? '?';
  const debitTries = new Set<string>();
  for (let index = 1; index < trace.length; index++) {
    const line = JSON.parse(trace[index]!) as Line;
    if (line.k === 'send') {
      sent.set(line.id!, line);
      const desc = line.desc ?? '';
      if (/^(Prepare|Try|Action) /.test(desc)) transactions.add(txOf(desc));
      if (desc.startsWith('Try ') && desc.includes('-')) debitTries.add(`${line.to}|${txOf(desc)}`);
      if (isStart(desc)) {
        const key = `${line.from}|${txOf(desc)}`;
        // A TCC credit-only branch freezes nothing; every 2PC/3PC YES vote holds locks.
        if ((protocol !== 'tcc' || debitTries.has(key)) && !open.has(key)) open.set(key, line.t);
      }
    } else if (line.k === 'deliver') {
      const send = sent.get(line.id!);
      if (!send || !isEnd(send.desc ?? '')) continue;
      const key = `${send.to}|${txOf(send.desc!)}`;
      const started = open.get(key);
      if (started === undefined) continue;
      held.push(line.t - started);
      open.delete(key);
      open.set(`${key}|done`, -1);
    }
  }
  for (const [key, started] of open) if (started >= 0 && !key.endsWith('|done')) held.push(end - started);
  return { held, transactions: transactions.size };
}

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

const rows = new Map<string, Row>();
for (const protocol of ['2pc', '3pc', 'tcc', 'saga']) {
  const row: Row = { commits: 0, aborts: 0, unknown: 0, held: [], messages: 0, transactions: 0, violations: new Map() };
  for (let seed = 1; seed <= seeds; seed++) {
    const result = runScenario(scenario(protocol, seed), { registry }, { stateMode: 'mutable', trace: 'memory' });
    for (const entry of result.history) {
      if (entry.type === 'ok') row.commits++;
      else if (entry.type === 'fail') row.aborts++;
      else if (entry.type === 'info') row.unknown++;
    }
    const { held, transactions } =
      protocol === 'saga' ? { held: [], transactions: 0 } : heldTimes(protocol, result.trace, result.endTime);
    row.held.push(...held);
    row.messages += result.stats.messagesSent;
    row.transactions +=
      protocol === 'saga'
        ? new Set(result.trace.filter((line) => line.includes('"Action g=')).map((line) => /g=(\d+)/.exec(line)![1]))
            .size
        : transactions;
    for (const violation of result.violations)
      row.violations.set(violation.invariant, (row.violations.get(violation.invariant) ?? 0) + 1);
  }
  rows.set(protocol, row);
}

const allowed: Record<string, string> = {
  '2pc': 'none (blocks instead: locks held while the coordinator is unreachable)',
  '3pc': 'split decisions under partitions (nonblocking only under crashes)',
  tcc: 'none with the barrier (frozen money is invisible to other Tries)',
  saga: 'lost update, dirty read of compensated values, fuzzy read (no isolation)',
};
const ms = (micros: number) => (micros / 1000).toFixed(1);
console.log(`${seeds} seeds per protocol, the same seeds, workload and fault schedules for all four\n`);
console.log(
  '| protocol | commits | aborts | unknown | locked/frozen median ms | p99 ms | messages/tx | runs with a violation | anomalies allowed |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [protocol, row] of rows) {
  const violations = [...row.violations].map(([name, count]) => `${count} ${name}`).join(', ') || '0';
  const held = protocol === 'saga' ? '0 (nothing locked)' : ms(quantile(row.held, 0.5));
  const p99 = protocol === 'saga' ? '0' : ms(quantile(row.held, 0.99));
  console.log(
    `| ${protocol} | ${row.commits} | ${row.aborts} | ${row.unknown} | ${held} | ${p99} | ${(row.messages / Math.max(1, row.transactions)).toFixed(1)} | ${violations} | ${allowed[protocol]} |`,
  );
}
