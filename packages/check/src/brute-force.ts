import { pairOperations, type History, type PairedOperation } from '@dsim/core';
import { IMPOSSIBLE, type Model } from './model.ts';

export interface BruteForceOptions {
  /** Refuse histories with more operations than this: the search is factorial. Default 10. */
  readonly maxOperations?: number;
}

/**
 * The reference checker: tries every order of the operations that respects real time, straight
 * from the definition (Herlihy & Wing 1990), with no splitting by key, no memo and no shared code
 * with the fast search beyond the model. It exists to keep `checkLinearizability` honest in a
 * differential test, and is only usable on tiny histories.
 *
 * The definition used: a history is linearizable when some subset of its operations, containing
 * every `ok` operation, every failed cas the model reads as an observation, and any of the `info`
 * ones (never another `fail` one), can be put in a total
 * order that respects real time (if a completed before b was invoked, a comes first) and that the
 * model accepts, each `ok` operation with its recorded result.
 */
export function checkLinearizabilityBruteForce(
  history: History,
  model: Model,
  options: BruteForceOptions = {},
): boolean {
  const maxOperations = options.maxOperations ?? 10;
  const positioned = history.map((entry, i) => ({ ...entry, index: i }));
  // Every ok and info operation, and the fail operations the model keeps as observations (a
  // failed cas saw another value): those must be placed like ok ones, but change nothing.
  const ops = pairOperations(positioned).filter(
    (op) => op.type !== 'fail' || (op.f === 'cas' && !model.isIrrelevant(op)),
  );
  if (ops.length > maxOperations) {
    throw new Error(
      `the brute-force checker takes at most ${maxOperations} operations (this history has ${ops.length}); use checkLinearizability`,
    );
  }
  for (const op of ops) {
    const problem = model.validate(op);
    if (problem !== undefined) throw new Error(`history entry ${op.invokeIndex}: ${problem}`);
  }
  const keyOf = (op: PairedOperation) => (model.partitionByKey && op.key !== undefined ? String(op.key) : '');
  const done = new Array<boolean>(ops.length).fill(false);
  const completeAt = (op: PairedOperation) => (op.type === 'info' ? Infinity : op.completeIndex);

  const search = (states: ReadonlyMap<string, unknown>): boolean => {
    // Success: every ok operation is placed (info operations may never take effect).
    if (ops.every((op, i) => done[i] || op.type === 'info')) return true;
    for (let i = 0; i < ops.length; i++) {
      if (done[i]) continue;
      const op = ops[i]!;
      // op may go next only if no unplaced operation completed before op was invoked.
      if (ops.some((other, j) => !done[j] && j !== i && completeAt(other) < op.invokeIndex)) continue;
      const key = keyOf(op);
      const before = states.has(key) ? states.get(key) : model.init();
      const after = model.step(before, {
        f: op.f,
        input: op.input,
        output: op.output,
        completed: op.type !== 'info',
        failed: op.type === 'fail',
      });
      if (after === IMPOSSIBLE) continue;
      done[i] = true;
      const next = new Map(states);
      next.set(key, after);
      const found = search(next);
      done[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(new Map());
}
