import type { History, Micros } from '@dsim/core';
import type { Model } from './model.ts';
import { preparePartitions, type CheckedOperation, type HistoryRecord, type Partition } from './operations.ts';
import { searchPartition, type SearchBudget, type SearchFailure } from './search.ts';
import { checkUniqueWrites } from './unique-writes.ts';

export type LinearizabilityVerdict = 'linearizable' | 'not-linearizable' | 'unknown';

/** A key's verdict; `skipped` when the check stopped at an earlier failing key. */
export type KeyVerdict = LinearizabilityVerdict | 'skipped';

/** Which algorithm decided a key. */
export type CheckMethod = 'unique-writes' | 'search' | 'none';

export interface LinearizabilityOptions {
  /**
   * Search steps for the whole history (one step tries one operation at one point). When they run
   * out the verdict is `unknown`, never a guess. Steps, not wall time, so a verdict is the same on
   * every machine. Default 10 million (about a second).
   */
  readonly maxSteps?: number;
  /**
   * Check every key even after one fails, and report every failing key. Default false: the check
   * stops at the first key that is not linearizable (one is enough for the verdict), as Porcupine does.
   */
  readonly allKeys?: boolean;
  /**
   * Decide read/write partitions whose written values are all distinct with the polynomial
   * unique-writes check (default true); false sends every key to the search.
   */
  readonly uniqueWrites?: boolean;
  /**
   * Leave the order of appends that nothing has observed yet undecided in the search (default
   * true; see searchPartition); false searches every order of them.
   */
  readonly deferAppends?: boolean;
  /**
   * Called now and then with the steps used so far; returning true stops the check (the keys not
   * decided are `unknown`). The checker reads no clock: a caller with a time budget passes it here.
   */
  readonly poll?: (steps: number) => boolean;
  /** Called after each key is decided, with the number of keys decided so far. */
  readonly onKey?: (result: KeyLinearizability, decided: number) => void;
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
  readonly type: 'ok' | 'info' | 'fail';
  readonly invokeIndex: number;
  /** null for an operation that never completed. */
  readonly completeIndex: number | null;
  /** null when the history has no times. */
  readonly invokeTime: Micros | null;
  /** null when the operation may take effect at any later time, or the history has no times. */
  readonly completeTime: Micros | null;
  /** 1-based lines in the file the history was read from (null when not read from a file). */
  readonly invokeLine: number | null;
  readonly completeLine: number | null;
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
  /** Set when the unique-writes check found the violation: the conflict it found, for people. */
  readonly conflict?: string;
}

export interface KeyLinearizability {
  readonly key: string | null;
  readonly verdict: KeyVerdict;
  /** Operations checked (fail operations that observe nothing and unknown reads are dropped first). */
  readonly operations: number;
  readonly steps: number;
  /** Which algorithm decided the key. */
  readonly method: CheckMethod;
  readonly evidence?: LinearizabilityEvidence;
}

export interface LinearizabilityResult {
  readonly verdict: LinearizabilityVerdict;
  readonly model: string;
  /** One result per key, in order of first completion in the history. */
  readonly keys: readonly KeyLinearizability[];
  /** For `not-linearizable`: the first key found to be not linearizable. */
  readonly evidence?: LinearizabilityEvidence;
  /** Search steps used in total. */
  readonly steps: number;
  readonly operations: number;
  /** Keys decided by each algorithm. */
  readonly methods: Readonly<Record<CheckMethod, number>>;
  /** One paragraph for people. */
  readonly message: string;
}

export const DEFAULT_MAX_STEPS = 10_000_000;

/** The search for evidence after the unique-writes check found a violation: at most this many steps... */
const EVIDENCE_STEPS_BASE = 100_000;
/** ... plus this many per operation of the key. */
const EVIDENCE_STEPS_PER_OPERATION = 50;

/**
 * Checks that a history is linearizable with respect to a model (Herlihy & Wing 1990).
 *
 * The history is split by key (P-compositionality: a history is linearizable iff each key's
 * sub-history is). A key holding only reads and writes of distinct values is decided by the
 * polynomial unique-writes check (checkUniqueWrites); every other key by the memoized search
 * (searchPartition). The check stops at the first key that is not linearizable unless `allKeys`.
 *
 * `fail` operations are dropped (they never took effect), except those the model keeps as
 * observations (a failed cas saw another value). `info` operations may take effect at any time
 * after their invocation, or never: they complete "at infinity", and the search succeeds once
 * every completed operation is linearized, whether or not the `info` ones were.
 *
 * Throws when the history does not fit the model (an unknown operation, a cas without
 * [expected, next], a completion without an invoke); the message names the history entry.
 */
export function checkLinearizability(
  history: History | readonly HistoryRecord[],
  model: Model,
  options: LinearizabilityOptions = {},
): LinearizabilityResult {
  validateOptions(options);
  return checkPartitions(preparePartitions(history, model), model, options);
}

function validateOptions(options: LinearizabilityOptions): void {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(Number.isInteger(maxSteps) && maxSteps > 0))
    throw new Error(`maxSteps must be a positive whole number of search steps, got ${maxSteps}`);
}

/** Checks partitions already split (by PartitionCollector, or a streaming reader). */
export function checkPartitions(
  partitions: readonly Partition[],
  model: Model,
  options: LinearizabilityOptions = {},
): LinearizabilityResult {
  validateOptions(options);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  // Small keys first: when the budget runs out, as many keys as possible have a definite verdict.
  const order = partitions
    .map((_, i) => i)
    .sort((a, b) => partitions[a]!.operations.length - partitions[b]!.operations.length || a - b);
  const results: KeyLinearizability[] = new Array(partitions.length);
  let used = 0;
  let stopped = false;
  let failed = false;
  let decided = 0;
  for (const i of order) {
    const partition = partitions[i]!;
    const remaining = maxSteps - used;
    if (failed && !options.allKeys) {
      results[i] = skipped(partition, 'skipped');
      continue;
    }
    if (remaining <= 0 || stopped) {
      results[i] = skipped(partition, 'unknown');
      continue;
    }
    const base = used;
    const poll = options.poll;
    const result = checkPartition(partition, model, {
      maxSteps: remaining,
      uniqueWrites: options.uniqueWrites ?? true,
      deferAppends: options.deferAppends ?? true,
      poll:
        poll === undefined
          ? undefined
          : (steps) => {
              if (poll(base + steps)) stopped = true;
              return stopped;
            },
    });
    used += result.steps;
    results[i] = result;
    if (result.verdict === 'not-linearizable') failed = true;
    if (poll !== undefined && !stopped && poll(used)) stopped = true;
    options.onKey?.(result, ++decided);
  }
  return summarizeLinearizability(results, model, { maxSteps, allKeys: options.allKeys ?? false });
}

function skipped(partition: Partition, verdict: 'skipped' | 'unknown'): KeyLinearizability {
  return { key: partition.key, verdict, operations: partition.operations.length, steps: 0, method: 'none' };
}

export interface PartitionCheckOptions extends SearchBudget {
  readonly uniqueWrites: boolean;
}

/**
 * Decides one key: by the unique-writes check where it applies, else by the search. When the
 * unique-writes check finds a violation, the search runs too (within the budget) for the longest
 * linearizable prefix as evidence; the two must agree, and an assertion stops the check if not.
 */
export function checkPartition(partition: Partition, model: Model, options: PartitionCheckOptions): KeyLinearizability {
  const ops = partition.operations;
  const base = { key: partition.key, operations: ops.length };
  if (ops.length === 0) return { ...base, verdict: 'linearizable', steps: 0, method: 'none' };
  const fast = options.uniqueWrites && model.readWrite ? checkUniqueWrites(ops, model.readWrite) : undefined;
  if (fast?.verdict === 'linearizable') return { ...base, verdict: 'linearizable', steps: 0, method: 'unique-writes' };
  // After the unique-writes check has found a violation, the search only looks for the longest
  // prefix to show, so it gets a bounded share of the budget: the verdict is already exact.
  const searched = searchPartition(
    ops,
    model,
    fast?.verdict === 'not-linearizable'
      ? {
          ...options,
          maxSteps: Math.min(options.maxSteps, EVIDENCE_STEPS_BASE + EVIDENCE_STEPS_PER_OPERATION * ops.length),
        }
      : options,
  );
  if (fast?.verdict === 'not-linearizable') {
    if (searched.verdict === 'linearizable')
      throw new Error(
        `internal error: the unique-writes check and the search disagree on ${showKey(partition.key)}; please report this history`,
      );
    const evidence =
      searched.failure !== undefined
        ? evidenceOf(partition, model, searched.failure)
        : {
            // The search ran out before it finished; the conflict names the violation.
            key: partition.key,
            linearized: [],
            stateAfter: null,
            blocked: evidenceOperation(ops[fast.blocked]!, model),
            concurrent: [],
          };
    return {
      ...base,
      verdict: 'not-linearizable',
      steps: searched.steps,
      method: 'unique-writes',
      evidence: { ...evidence, conflict: fast.reason },
    };
  }
  return {
    ...base,
    verdict: searched.verdict,
    steps: searched.steps,
    method: 'search',
    ...(searched.failure ? { evidence: evidenceOf(partition, model, searched.failure) } : {}),
  };
}

function evidenceOf(partition: Partition, model: Model, failure: SearchFailure): LinearizabilityEvidence {
  const ops = partition.operations;
  return {
    key: partition.key,
    linearized: failure.prefix.map((id) => evidenceOperation(ops[id]!, model)),
    stateAfter: failure.stateAfter,
    blocked: evidenceOperation(ops[failure.blocked]!, model),
    concurrent: failure.concurrent.map((id) => evidenceOperation(ops[id]!, model)),
  };
}

/** The verdict and message over per-key results (also used when keys were checked in parallel). */
export function summarizeLinearizability(
  results: readonly KeyLinearizability[],
  model: Model,
  options: { readonly maxSteps: number; readonly allKeys: boolean },
): LinearizabilityResult {
  const used = results.reduce((sum, result) => sum + result.steps, 0);
  const operations = results.reduce((sum, result) => sum + result.operations, 0);
  const failures = results.filter((result) => result.verdict === 'not-linearizable');
  const unknown = results.filter((result) => result.verdict === 'unknown');
  const skippedCount = results.filter((result) => result.verdict === 'skipped').length;
  const methods: Record<CheckMethod, number> = { 'unique-writes': 0, search: 0, none: 0 };
  for (const result of results)
    if (result.verdict !== 'skipped' && result.verdict !== 'unknown') methods[result.method]++;
  const failed = failures[0];
  const verdict: LinearizabilityVerdict = failed ? 'not-linearizable' : unknown.length > 0 ? 'unknown' : 'linearizable';
  const keyCount = `${results.length} key${results.length === 1 ? '' : 's'}`;
  let message: string;
  if (failed) {
    message = describeFailure(failed.evidence!, model);
    if (failures.length > 1) message += ` (${failures.length} keys are not linearizable)`;
    if (skippedCount > 0)
      message += `; the check stopped at this key, ${skippedCount} other key${skippedCount === 1 ? ' was' : 's were'} not checked (check every key with allKeys / --all-keys)`;
  } else if (unknown.length > 0) {
    message =
      `unknown: the search ran out of its budget of ${options.maxSteps} steps before deciding ` +
      `${unknown.length} of ${keyCount} (${unknown
        .map((result) => showKey(result.key))
        .slice(0, 5)
        .join(', ')}${unknown.length > 5 ? ', ...' : ''}); ` +
      `no violation was found. Raise maxSteps, or check a shorter history with less concurrency.`;
  } else
    message = `linearizable: ${operations} operations on ${keyCount} against the ${model.name} model (${used} search steps; ${describeMethods(methods)})`;
  return {
    verdict,
    model: model.name,
    keys: results,
    ...(failed ? { evidence: failed.evidence! } : {}),
    steps: used,
    operations,
    methods,
    message,
  };
}

function describeMethods(methods: Readonly<Record<CheckMethod, number>>): string {
  const parts: string[] = [];
  if (methods['unique-writes'] > 0) parts.push(`${methods['unique-writes']} by the unique-writes check`);
  if (methods.search > 0) parts.push(`${methods.search} by search`);
  if (methods.none > 0) parts.push(`${methods.none} empty`);
  return parts.length > 0 ? `keys decided ${parts.join(', ')}` : 'no keys';
}

export function evidenceOperation(op: CheckedOperation, model: Model): EvidenceOperation {
  return {
    process: op.process,
    f: op.f,
    key: op.key ?? null,
    value: op.input ?? null,
    output: op.output ?? null,
    type: op.type,
    invokeIndex: op.invoke,
    completeIndex: op.completeIndex >= 0 ? op.completeIndex : null,
    invokeTime: op.invokeTime,
    completeTime: op.completeTime,
    invokeLine: op.invokeLine,
    completeLine: op.completeLine,
    description: model.describe({ f: op.f, input: op.input, output: op.output, type: op.type }),
  };
}

export function showKey(key: string | null): string {
  return key === null ? 'the register' : `key ${JSON.stringify(key)}`;
}

function describeOp(op: EvidenceOperation): string {
  const span =
    op.invokeLine !== null
      ? `lines ${op.invokeLine}..${op.completeLine ?? '∞'}`
      : `entries ${op.invokeIndex}..${op.completeIndex ?? '∞'}`;
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
  const conflict = evidence.conflict !== undefined ? ` (unique-writes check: ${evidence.conflict})` : '';
  return `not linearizable (${model.name} model), ${showKey(evidence.key)}: ${describeOp(evidence.blocked)} cannot be placed: ${order}${raced}${conflict}`;
}
