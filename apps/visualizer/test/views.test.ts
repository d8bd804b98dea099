import { parseTrace, runScenario, Simulation, type NodeView, type TraceEvent } from '@dsim/core';
import { raft } from '@dsim/raft';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import kip101CaseA from '../../../simulations/kafka/s1-kip101-case-a.ts';
import figure8Bug from '../../../simulations/raft/figure8-bug.ts';
import { causalCut, laneOf } from '../src/model/causality.ts';
import { countsLabel, traceCounts } from '../src/model/counts.ts';
import { foldTo } from '../src/model/frame.ts';
import { FrameSeeker } from '../src/model/seeker.ts';
import { buildTraceModel, indexAtTime, KIND, type TraceModel } from '../src/model/trace-model.ts';
import { committedEntriesOf } from '../src/model/view-facts.ts';
import { indexesNamedIn, violationsOf } from '../src/model/violations.ts';

function modelOf(scenario: unknown, until?: string): TraceModel {
  const result = runScenario(until ? { ...(scenario as object), until } : scenario, { registry }, { trace: 'memory' });
  return buildTraceModel(parseTrace(result.traceText));
}

const figure8 = modelOf(figure8Bug);

describe('node views in the fold', () => {
  it('reconstructs each Raft node’s view at the end as the protocol draws it from the final state', () => {
    // The same run, stopped early, with the kernel's live states to compare against.
    const scenario = { ...figure8Bug, until: '4.3s' };
    const result = runScenario(scenario, { registry }, { trace: 'memory' });
    const model = buildTraceModel(parseTrace(result.traceText));
    const frame = foldTo(model, model.events.length);
    const simulation = Simulation.fromScenario(scenario, { registry }, { trace: 'off' });
    simulation.run();
    for (const [index, id] of model.nodes.entries()) {
      const state = simulation.stateOf(id);
      if (state === undefined) continue; // crashed: its last view stays, drawn dimmed
      expect(frame.nodes[index]!.view).toEqual(JSON.parse(JSON.stringify(raft.view!(state as never, id))) as NodeView);
    }
  });

  it('gives the same views seeking back and forth as folding from the start', () => {
    const seeker = new FrameSeeker(figure8, 512);
    for (const t of [4_300_000, 1_000_000, 3_955_000, 200_000, 4_500_000]) {
      const index = indexAtTime(figure8.times, t);
      const sought = seeker.frameAt(index).nodes.map((node) => [node.view, node.lost]);
      expect(sought).toEqual(foldTo(figure8, index).nodes.map((node) => [node.view, node.lost]));
    }
  });

  it('finds the same first commitments as reading every node’s logs after every event of the fold', () => {
    for (const model of [figure8, modelOf(kip101CaseA)]) {
      // The reference: each log entry under a commit mark, first seen in a folded frame.
      const expected = new Map<string, Map<number, { label: string; node: number; time: number }>>();
      const seeker = new FrameSeeker(model);
      for (let i = 0; i < model.events.length; i++) {
        const node = model.nodeA[i]!;
        if (model.kinds[i] !== KIND.view || node < 0) continue;
        seeker.frameAt(i + 1).nodes[node]!.view?.logs?.forEach((log, position) => {
          const key = log.name ?? String(position);
          const marks = Object.entries(log.marks ?? {}).filter(([name]) =>
            ['commit', 'applied', 'hw', 'chosen', 'committed'].includes(name),
          );
          const through = Math.max(-Infinity, ...marks.map(([, at]) => at!));
          log.entries.forEach((entry, k) => {
            const index = log.start + k;
            if (index > through || (entry.marks ?? []).includes('uncommitted')) return;
            if (!expected.has(key)) expected.set(key, new Map());
            if (!expected.get(key)!.has(index))
              expected.get(key)!.set(index, { label: entry.label, node, time: model.times[i]! });
          });
        });
      }
      const found = committedEntriesOf(model);
      expect(expected.size).toBeGreaterThan(0);
      expect(
        new Map(
          [...found].map(([key, byIndex]) => [
            key,
            new Map([...byIndex].map(([index, { entry, node, time }]) => [index, { label: entry.label, node, time }])),
          ]),
        ),
      ).toEqual(expected);
    }
  });

  it('knows index 2 was first committed by n1 with the client’s write, in term 1', () => {
    const committed = committedEntriesOf(figure8).get('0')!.get(2)!;
    expect(figure8.nodes[committed.node]).toBe('n1');
    expect(committed.entry.term).toBe(1);
    expect(committed.entry.label).toMatch(/^put k0=/);
    // And n5 ends with a different entry there, from term 2.
    const end = foldTo(figure8, figure8.events.length);
    const n5 = end.nodes[figure8.nodeIndex.get('n5')!]!.view!.logs![0]!;
    expect(n5.entries[2 - n5.start]!.term).toBe(2);
  });
});

describe('violations in the picture', () => {
  it('finds the log indexes a message names', () => {
    expect([...indexesNamedIn('n5 applies 2:noop:n5 at index 2, but n1 applied 1:c1:1 there')]).toEqual([2]);
    expect([...indexesNamedIn('n5 leads term 4 without 2/1, committed in term 3 by n1')]).toEqual([2]);
  });

  it('lists Figure 8’s violations with the nodes the invariants reported, as the kernel wrote them', () => {
    const violations = violationsOf(figure8);
    expect(violations.map((v) => v.invariant)).toEqual([
      'leader-completeness',
      'state-machine-safety',
      'state-machine-safety',
      'state-machine-safety',
    ]);
    // The new leader lacking the entry and the node that committed it; each applier and the first applier.
    expect(violations.map((v) => [...v.nodes].map((n) => figure8.nodes[n]))).toEqual([
      ['n5', 'n1'],
      ['n5', 'n1'],
      ['n3', 'n1'],
      ['n4', 'n1'],
    ]);
    // The same nodes as the run's result reports, from the violation lines' `nodes` field.
    const result = runScenario(figure8Bug, { registry }, { trace: 'memory' });
    expect(result.violations.map((v) => v.nodes)).toEqual(
      violations.map((v) => [...v.nodes].map((n) => figure8.nodes[n])),
    );
  });

  it('marks no node for a violation line without `nodes`, and ignores ids that are not nodes', () => {
    const header = JSON.parse(parseLines(figure8Bug)[0]!) as Record<string, unknown>;
    const lines = [
      JSON.stringify(header),
      JSON.stringify({ t: 1, k: 'violation', invariant: 'a', kind: 'always', message: 'n1 and n2 disagree' }),
      JSON.stringify({ t: 2, k: 'violation', invariant: 'b', kind: 'always', message: 'x', nodes: ['n2', 'ghost'] }),
      JSON.stringify({ t: 3, k: 'end', reason: 'until' }),
    ];
    const model = buildTraceModel(parseTrace(lines.join('\n') + '\n'));
    expect(model.problems).toEqual([]);
    expect(violationsOf(model).map((v) => [...v.nodes].map((n) => model.nodes[n]))).toEqual([[], ['n2']]);
  });

  it('reads a violation line whose `nodes` is not a list of strings as a problem on its line', () => {
    const header = parseLines(figure8Bug)[0]!;
    const bad = JSON.stringify({ t: 1, k: 'violation', invariant: 'a', kind: 'always', message: 'm', nodes: 'n1' });
    const end = JSON.stringify({ t: 2, k: 'end', reason: 'until' });
    const parsed = parseTrace(`${header}\n${bad}\n${end}\n`);
    expect(parsed.problems.map((p) => p.message)).toEqual([
      "'violation' event's field 'nodes' must be an array of strings",
    ]);
  });
});

describe('what the header counts', () => {
  it('counts Figure 8’s bug run as `dsim run` does: the kernel’s events and the trace file’s lines', () => {
    const result = runScenario(figure8Bug, { registry }, { trace: 'memory' });
    const counts = traceCounts(figure8);
    // `dsim run` prints stats.events on its events line and the file's line count on its trace line.
    expect(counts).toEqual({ events: result.stats.events, lines: result.traceText.split('\n').length - 1 });
    expect(counts.lines).toBeGreaterThan(counts.events!);
    expect(countsLabel(counts)).toBe(
      `${result.stats.events.toLocaleString('en-US')} events · ${result.trace.length.toLocaleString('en-US')} trace lines`,
    );
  });

  it('counts only lines for a trace cut short (no end line, so no kernel count)', () => {
    const lines = parseLines(figure8Bug).slice(0, 40);
    const model = buildTraceModel(parseTrace(lines.join('\n') + '\n'));
    expect(traceCounts(model)).toEqual({ events: undefined, lines: 40 });
    expect(countsLabel(traceCounts(model))).toBe('40 trace lines');
  });
});

/** The trace's lines of a scenario's run. */
function parseLines(scenario: unknown): readonly string[] {
  return runScenario(scenario, { registry }, { trace: 'memory' }).trace;
}

/** Happens-before by brute force: reachability over lane order and send → deliver edges. */
function reference(model: TraceModel, event: number): { past: Set<number>; future: Set<number> } {
  const count = model.events.length;
  const successors: number[][] = Array.from({ length: count }, () => []);
  const lastOnLane = new Map<number, number>();
  const sendOf = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const lane = laneOf(model, i);
    if (lane < 0) continue;
    const previous = lastOnLane.get(lane);
    if (previous !== undefined) successors[previous]!.push(i);
    lastOnLane.set(lane, i);
    if (model.kinds[i] === KIND.send) sendOf.set(model.messageIds[i]!, i);
    if (model.kinds[i] === KIND.deliver) {
      const send = sendOf.get(model.messageIds[i]!);
      if (send !== undefined) successors[send]!.push(i);
    }
  }
  const predecessors: number[][] = Array.from({ length: count }, () => []);
  successors.forEach((next, i) => next.forEach((j) => predecessors[j]!.push(i)));
  const reach = (from: number, edges: number[][]) => {
    const seen = new Set<number>([from]);
    const stack = [from];
    while (stack.length) for (const j of edges[stack.pop()!]!) if (!seen.has(j)) (seen.add(j), stack.push(j));
    return seen;
  };
  return { past: reach(event, predecessors), future: reach(event, successors) };
}

describe('causality', () => {
  const model = figure8;
  it('has each event’s causal past and future equal to reachability over happens-before', () => {
    const candidates = [...model.events.keys()].filter((i) => laneOf(model, i) >= 0);
    for (let k = 0; k < candidates.length; k += Math.max(1, Math.floor(candidates.length / 12))) {
      const event = candidates[k]!;
      const cut = causalCut(model, event);
      const { past, future } = reference(model, event);
      const wrong: string[] = [];
      for (let i = 0; i < model.events.length && wrong.length < 5; i++) {
        const lane = laneOf(model, i);
        if (lane < 0) continue;
        if (i <= cut.past[lane]! !== past.has(i)) wrong.push(`${i} in the past of ${event}: ${past.has(i)}`);
        if (i >= cut.future[lane]! !== future.has(i)) wrong.push(`${i} in the future of ${event}: ${future.has(i)}`);
      }
      expect(wrong).toEqual([]);
      // The vector clock counts each lane's events in the past.
      const counts = new Int32Array(model.nodes.length);
      for (const i of past) counts[laneOf(model, i)]!++;
      expect([...cut.clock]).toEqual([...counts]);
    }
  });

  it('puts a delivery after its send and nothing of an unrelated partitioned lane in its past', () => {
    const deliver = model.kinds.findIndex((kind) => kind === KIND.deliver);
    const send = model.messages.sendIndex[model.messageIds[deliver]!]!;
    const cut = causalCut(model, deliver);
    expect(cut.past[model.nodeA[send]!]).toBeGreaterThanOrEqual(send);
    const event = model.events[deliver] as Extract<TraceEvent, { k: 'deliver' }>;
    expect(event.k).toBe('deliver');
  });
});
