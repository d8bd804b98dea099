import type { History, Micros } from '@dsim/core';
import { IMPOSSIBLE, type Model } from './model.ts';
import { preparePartitions, type CheckedOperation, type Partition } from './operations.ts';

export type LinearizabilityVerdict = 'linearizable' | 'not-linearizable' | 'unknown';

export interface LinearizabilityOptions {
  /**
   * Search steps for the whole history (one step tries one operation at one point). When they run
   * out the verdict is `unknown`, never a guess. Steps, not wall time, so a verdict is the same on
   * every machine. Default 10 million (about a second).
   */
  readonly maxSteps?: number;
}

/** One operation as evidence: plain JSON (no Infinity, no undefined) for the trace and the visualizer. */
export interface EvidenceOperation {
  readonly process: number;
  readonly f: string;
  readonly key: string | null;
  /** The invoke's argument. */
  readonly value: unknown;
  /** The ok result (null when there is none). */
  readonly output: unknown;
  readonly type: 'ok' | 'info';
  readonly invokeIndex: number;
  /** null for an operation that never completed (or completed `info`). */
  readonly completeIndex: number | null;
  readonly invokeTime: Micros;
  /** null when the operation may take effect at any later time. */
  readonly completeTime: Micros | null;
  /** 'write 3', 'read → 1'. */
  readonly description: string;
}

/**
 * Why a key is not linearizable, in the form Porcupine draws partial linearizations: the longest
 * order of operations the search could linearize, the model state after it, and the operation
 * that could not be placed before it completed.
 */
export interface LinearizabilityEvidence {
  readonly key: string | null;
  /** The longest linearizable prefix found, in linearization order. */
  readonly linearized: readonly EvidenceOperation[];
  /** The model state after `linearized`. */
  readonly stateAfter: unknown;
  /** The operation that completed before the search could place it after any such prefix. */
  readonly blocked: EvidenceOperation;
  /** Operations concurrent with `blocked` that were not linearized at that point (the candidates it raced with). */
  readonly concurrent: readonly EvidenceOperation[];
}

export interface KeyLinearizability {
  readonly key: string | null;
  readonly verdict: LinearizabilityVerdict;
  /** Operations searched (fail operations and unknown reads are dropped first). */
  readonly operations: number;
  readonly steps: number;
  readonly evidence?: LinearizabilityEvidence;
}

export interface LinearizabilityResult {
  readonly verdict: LinearizabilityVerdict;
  readonly model: string;
  /** One result per key, in order of first appearance in the history. */
  readonly keys: readonly KeyLinearizability[];
  /** For `not-linearizable`: the first key found to be not linearizable. */
  readonly evidence?: LinearizabilityEvidence;
  /** Search steps used in total. */
  readonly steps: number;
  readonly operations: number;
  /** One paragraph for people. */
  readonly message: string;
}

export const DEFAULT_MAX_STEPS = 10_000_000;

/**
 * Checks that a history is linearizable with respect to a model (Herlihy & Wing 1990).
 *
 * The history is split by key (P-compositionality: a history is linearizable iff each key's
 * sub-history is), then each key is searched in the style of Wing & Gong with Lowe's memoization,
 * as Porcupine does: a depth-first search that linearizes one pending operation at a time, never
 * past an operation that has already completed, and remembers every (set of linearized
 * operations, model state) it has explored, so no configuration is searched twice.
 *
 * `fail` operations are dropped (they never took effect). `info` operations may take effect at
 * any time after their invocation, or never: they complete "at infinity", and the search succeeds
 * once every `ok` operation is linearized, whether or not the `info` ones were.
 *
 * Throws when the history does not fit the model (an unknown operation, a cas without
 * [expected, next], a completion without an invoke); the message names the history entry.
 */
export function checkLinearizability(
  history: History,
  model: Model,
  options: LinearizabilityOptions = {},
): LinearizabilityResult {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(Number.isInteger(maxSteps) && maxSteps > 0))
    throw new Error(`maxSteps must be a positive whole number of search steps, got ${maxSteps}`);
  const partitions = preparePartitions(history, model);
  // Small keys first: when the budget runs out, as many keys as possible have a definite verdict.
  const order = partitions
    .map((_, i) => i)
    .sort((a, b) => partitions[a]!.operations.length - partitions[b]!.operations.length || a - b);
  const results: KeyLinearizability[] = new Array(partitions.length);
  let used = 0;
  for (const i of order) {
    const partition = partitions[i]!;
    const remaining = maxSteps - used;
    if (remaining <= 0) {
      results[i] = { key: partition.key, verdict: 'unknown', operations: partition.operations.length, steps: 0 };
      continue;
    }
    const result = searchPartition(partition, model, remaining);
    used += result.steps;
    results[i] = result;
  }
  const operations = partitions.reduce((sum, partition) => sum + partition.operations.length, 0);
  const failed = results.find((result) => result.verdict === 'not-linearizable');
  const unknown = results.filter((result) => result.verdict === 'unknown');
  const verdict: LinearizabilityVerdict = failed ? 'not-linearizable' : unknown.length > 0 ? 'unknown' : 'linearizable';
  const keyCount = `${results.length} key${results.length === 1 ? '' : 's'}`;
  let message: string;
  if (failed) message = describeFailure(failed.evidence!, model);
  else if (unknown.length > 0) {
    message =
      `unknown: the search ran out of its budget of ${maxSteps} steps before deciding ` +
      `${unknown.length} of ${keyCount} (${unknown
        .map((result) => showKey(result.key))
        .slice(0, 5)
        .join(', ')}${unknown.length > 5 ? ', ...' : ''}); ` +
      `no violation was found. Raise maxSteps, or check a shorter history with less concurrency.`;
  } else
    message = `linearizable: ${operations} operations on ${keyCount} against the ${model.name} model (${used} search steps)`;
  return {
    verdict,
    model: model.name,
    keys: results,
    ...(failed ? { evidence: failed.evidence! } : {}),
    steps: used,
    operations,
    message,
  };
}

// --------------------------------------------------------------------------- the search

/**
 * The entries of one partition as a doubly linked list of calls and returns in history order,
 * held in typed arrays (entry 0 is the head sentinel). Linearizing an operation unlinks its call
 * and its return ("lift"); backtracking links them back in place ("unlift"), as in Lowe's
 * just-in-time linearization and Porcupine.
 */
function searchPartition(partition: Partition, model: Model, maxSteps: number): KeyLinearizability {
  const ops = partition.operations;
  const n = ops.length;
  const base = { key: partition.key, operations: n };
  if (n === 0) return { ...base, verdict: 'linearizable', steps: 0 };

  // Entries 1..2n: a call and a return per operation, sorted by history position. Returns of
  // `info` operations sit at +∞, after every real return, ordered by operation id.
  const entryCount = 2 * n + 1;
  const isCall = new Uint8Array(entryCount);
  const opOf = new Int32Array(entryCount);
  const match = new Int32Array(entryCount);
  const next = new Int32Array(entryCount);
  const prev = new Int32Array(entryCount);
  const order: Array<{ position: number; call: boolean; op: number }> = [];
  for (const op of ops) {
    order.push({ position: op.invoke, call: true, op: op.id });
    order.push({ position: op.complete, call: false, op: op.id });
  }
  order.sort((a, b) => a.position - b.position || a.op - b.op);
  const callEntry = new Int32Array(n);
  const returnEntry = new Int32Array(n);
  order.forEach((item, i) => {
    const entry = i + 1;
    isCall[entry] = item.call ? 1 : 0;
    opOf[entry] = item.op;
    if (item.call) callEntry[item.op] = entry;
    else returnEntry[item.op] = entry;
  });
  for (let op = 0; op < n; op++) {
    match[callEntry[op]!] = returnEntry[op]!;
    match[returnEntry[op]!] = callEntry[op]!;
  }
  const NIL = -1;
  for (let entry = 0; entry < entryCount; entry++) {
    next[entry] = entry + 1 < entryCount ? entry + 1 : NIL;
    prev[entry] = entry - 1;
  }
  const completed = ops.map((op) => op.model.completed);

  const lift = (entry: number) => {
    next[prev[entry]!] = next[entry]!;
    prev[next[entry]!] = prev[entry]!;
    const other = match[entry]!;
    next[prev[other]!] = next[other]!;
    if (next[other]! !== NIL) prev[next[other]!] = prev[other]!;
  };
  const unlift = (entry: number) => {
    const other = match[entry]!;
    next[prev[other]!] = other;
    if (next[other]! !== NIL) prev[next[other]!] = other;
    next[prev[entry]!] = entry;
    prev[next[entry]!] = entry;
  };

  // The memo: every (linearized set, state) explored. The set is a bitset; its hash is kept
  // incrementally (Zobrist hashing: XOR of a fixed random word per operation, two words wide).
  const words = (n + 31) >>> 5;
  const bits = new Uint32Array(words);
  const zobristLow = new Int32Array(n);
  const zobristHigh = new Int32Array(n);
  let seed = 0x9e3779b9 | 0;
  const nextWord = () => {
    // xorshift32: a fixed sequence, so the memo behaves identically on every run.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed;
  };
  for (let op = 0; op < n; op++) {
    zobristLow[op] = nextWord();
    zobristHigh[op] = nextWord();
  }
  let hashLow = 0;
  let hashHigh = 0;
  const memo = new Map<number, Array<{ bits: Uint32Array; state: unknown }>>();
  const toggle = (op: number) => {
    bits[op >>> 5]! ^= 1 << (op & 31);
    hashLow ^= zobristLow[op]!;
    hashHigh ^= zobristHigh[op]!;
  };
  /** Records (bits, state) and returns true when it is new. */
  const remember = (stateKey: unknown): boolean => {
    const slot = (hashLow >>> 0) * 2_097_152 + (hashHigh & 0x1fffff);
    let bucket = memo.get(slot);
    if (bucket) {
      outer: for (const seen of bucket) {
        if (seen.state !== stateKey) continue;
        for (let w = 0; w < words; w++) if (seen.bits[w] !== bits[w]) continue outer;
        return false;
      }
    } else memo.set(slot, (bucket = []));
    bucket.push({ bits: bits.slice(), state: stateKey });
    return true;
  };

  const stackEntries: number[] = [];
  const stackStates: unknown[] = [];
  let state = model.init();
  let steps = 0;
  let bestDepth = -1;
  let bestPrefix: number[] = [];
  let bestState: unknown = state;
  let bestBlocked = -1;
  let bestConcurrent: number[] = [];
  let entry = next[0]!;

  for (;;) {
    if (entry === NIL) return { ...base, verdict: 'linearizable', steps };
    if (++steps > maxSteps) return { ...base, verdict: 'unknown', steps: steps - 1 };
    const op = opOf[entry]!;
    if (isCall[entry] === 1) {
      const after = model.step(state, ops[op]!.model);
      if (after !== IMPOSSIBLE) {
        toggle(op);
        if (remember(model.key(after))) {
          stackEntries.push(entry);
          stackStates.push(state);
          state = after;
          lift(entry);
          entry = next[0]!;
          continue;
        }
        toggle(op);
      }
      entry = next[entry]!;
      continue;
    }
    // A return: its operation is not linearized yet and cannot move past its completion.
    if (!completed[op]) {
      // Only `info` returns (at +∞) remain: every ok operation is linearized.
      return { ...base, verdict: 'linearizable', steps };
    }
    if (stackEntries.length > bestDepth) {
      bestDepth = stackEntries.length;
      bestPrefix = stackEntries.map((call) => opOf[call]!);
      bestState = state;
      bestBlocked = op;
      // The candidates: calls still in the list before this return.
      bestConcurrent = [];
      for (let scan = next[0]!; scan !== NIL && scan !== entry; scan = next[scan]!)
        if (isCall[scan] === 1 && opOf[scan] !== op) bestConcurrent.push(opOf[scan]!);
    }
    if (stackEntries.length === 0) {
      return {
        ...base,
        verdict: 'not-linearizable',
        steps,
        evidence: {
          key: partition.key,
          linearized: bestPrefix.map((id) => evidenceOperation(ops[id]!, model)),
          stateAfter: model.describeState(bestState),
          blocked: evidenceOperation(ops[bestBlocked]!, model),
          concurrent: bestConcurrent.map((id) => evidenceOperation(ops[id]!, model)),
        },
      };
    }
    const call = stackEntries.pop()!;
    state = stackStates.pop();
    toggle(opOf[call]!);
    unlift(call);
    entry = next[call]!;
  }
}

function evidenceOperation(op: CheckedOperation, model: Model): EvidenceOperation {
  const paired = op.paired;
  const type = paired.type === 'ok' ? 'ok' : 'info';
  return {
    process: paired.process,
    f: paired.f,
    key: paired.key ?? null,
    value: paired.input ?? null,
    output: paired.output ?? null,
    type,
    invokeIndex: paired.invokeIndex,
    completeIndex: paired.completeIndex >= 0 ? paired.completeIndex : null,
    invokeTime: paired.invokeTime,
    completeTime: Number.isFinite(paired.completeTime) ? paired.completeTime : null,
    description: model.describe({ f: paired.f, input: paired.input, output: paired.output, type: paired.type }),
  };
}

function showKey(key: string | null): string {
  return key === null ? 'the register' : `key ${JSON.stringify(key)}`;
}

function describeOp(op: EvidenceOperation): string {
  const span = `entries ${op.invokeIndex}..${op.completeIndex ?? '∞'}`;
  return `process ${op.process} ${op.description} (${span})`;
}

function describeFailure(evidence: LinearizabilityEvidence, model: Model): string {
  const prefix = evidence.linearized;
  const shown = prefix.length <= 6 ? prefix : prefix.slice(prefix.length - 6);
  const order =
    prefix.length === 0
      ? 'nothing can be linearized before it'
      : `the longest linearizable prefix has ${prefix.length} operation${prefix.length === 1 ? '' : 's'} (${prefix.length > 6 ? '..., ' : ''}${shown.map((op) => op.description).join(', ')}), leaving the value ${JSON.stringify(evidence.stateAfter)}`;
  const raced =
    evidence.concurrent.length > 0
      ? `; no order of the ${evidence.concurrent.length} concurrent operation${evidence.concurrent.length === 1 ? '' : 's'} (${evidence.concurrent
          .slice(0, 4)
          .map((op) => op.description)
          .join(', ')}${evidence.concurrent.length > 4 ? ', ...' : ''}) makes it possible`
      : '';
  return `not linearizable (${model.name} model), ${showKey(evidence.key)}: ${describeOp(evidence.blocked)} cannot be placed: ${order}${raced}`;
}
