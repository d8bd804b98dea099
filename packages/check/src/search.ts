import { IMPOSSIBLE, type Model } from './model.ts';
import { ConfigurationMemo } from './memo.ts';
import type { CheckedOperation } from './operations.ts';

/** How long a search may run: steps (deterministic), and an optional outside check (a clock). */
export interface SearchBudget {
  readonly maxSteps: number;
  /**
   * Called every POLL_STEPS steps with the steps used so far; returning true stops the search with
   * an `unknown` verdict. The checker reads no clock itself (it runs inside deterministic runs);
   * the CLI passes its time budget and progress bar through here.
   */
  readonly poll?: ((steps: number) => boolean) | undefined;
}

export const POLL_STEPS = 1 << 16;

/** Why a partition is not linearizable, as operation ids of the partition. */
export interface SearchFailure {
  /** The longest linearizable prefix found, in linearization order. */
  readonly prefix: readonly number[];
  readonly stateAfter: unknown;
  readonly blocked: number;
  readonly concurrent: readonly number[];
}

export interface SearchOutcome {
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  readonly steps: number;
  readonly failure?: SearchFailure;
}

/**
 * Searches one partition in the style of Wing & Gong with Lowe's memoization, as Porcupine does:
 * a depth-first search that linearizes one pending operation at a time, never past an operation
 * that has already completed, and remembers every (set of linearized operations, model state) it
 * has explored, so no configuration is searched twice.
 *
 * The entries are a doubly linked list of calls and returns in history order, held in typed arrays
 * (entry 0 is the head sentinel). Linearizing an operation unlinks its call and its return
 * ("lift"); backtracking links them back in place ("unlift"), as in Lowe's just-in-time
 * linearization. `info` operations return at +∞: the search succeeds once every completed
 * operation is linearized, whether or not the `info` ones were.
 */
export function searchPartition(ops: readonly CheckedOperation[], model: Model, budget: SearchBudget): SearchOutcome {
  const n = ops.length;
  if (n === 0) return { verdict: 'linearizable', steps: 0 };

  // Entries 1..2n: a call and a return per operation, sorted by history position. Returns of
  // `info` operations sit at +∞, after every real return, ordered by operation id.
  const entryCount = 2 * n + 1;
  const isCall = new Uint8Array(entryCount);
  const opOf = new Int32Array(entryCount);
  const match = new Int32Array(entryCount);
  const next = new Int32Array(entryCount);
  const prev = new Int32Array(entryCount);
  const positions = new Float64Array(2 * n);
  const order = new Int32Array(2 * n);
  for (let op = 0; op < n; op++) {
    positions[2 * op] = ops[op]!.invoke;
    positions[2 * op + 1] = ops[op]!.complete;
    order[2 * op] = 2 * op;
    order[2 * op + 1] = 2 * op + 1;
  }
  order.sort((a, b) => positions[a]! - positions[b]! || (a >> 1) - (b >> 1) || a - b);
  const callEntry = new Int32Array(n);
  const returnEntry = new Int32Array(n);
  for (let i = 0; i < order.length; i++) {
    const item = order[i]!;
    const entry = i + 1;
    const op = item >> 1;
    const call = (item & 1) === 0;
    isCall[entry] = call ? 1 : 0;
    opOf[entry] = op;
    if (call) callEntry[op] = entry;
    else returnEntry[op] = entry;
  }
  for (let op = 0; op < n; op++) {
    match[callEntry[op]!] = returnEntry[op]!;
    match[returnEntry[op]!] = callEntry[op]!;
  }
  const NIL = -1;
  /** The cursor of a configuration that has failed without reaching its first return. */
  const NIL_RETURN = -2;
  for (let entry = 0; entry < entryCount; entry++) {
    next[entry] = entry + 1 < entryCount ? entry + 1 : NIL;
    prev[entry] = entry - 1;
  }
  const completed = new Uint8Array(n);
  for (let op = 0; op < n; op++) completed[op] = ops[op]!.completed ? 1 : 0;
  /** 1 for an operation that only observes the state (Model.observesOnly). */
  const observes = new Uint8Array(n);
  let observers = 0;
  if (model.observesOnly !== undefined)
    for (let op = 0; op < n; op++) if (model.observesOnly(ops[op]!)) ((observes[op] = 1), observers++);

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

  const unknownOps: number[] = [];
  for (let op = 0; op < n; op++) if (completed[op] === 0) unknownOps.push(op);
  const memo = new ConfigurationMemo(n, unknownOps);
  // States are interned: equal model keys get one small integer, the memo's exact state identity.
  const stateIds = new Map<string | number | boolean | null, number>();
  const stateId = (state: unknown): number => {
    const key = model.key(state);
    let id = stateIds.get(key);
    if (id === undefined) stateIds.set(key, (id = stateIds.size));
    return id;
  };

  const stackEntries = new Int32Array(n);
  const stackStates: unknown[] = new Array<unknown>(n);
  const stackStateIds = new Int32Array(n);
  /** 1 when the frame's operation left the state unchanged: its configuration had no other choice to try. */
  const stackForced = new Uint8Array(n);
  let depth = 0;
  let state = model.init();
  let currentStateId = stateId(state);
  let steps = 0;
  const maxSteps = budget.maxSteps;
  const poll = budget.poll;
  // The longest prefix so far. `agree` counts how many of its first entries the stack still
  // shares, so recording a longer one copies only the part that changed (linear, not quadratic).
  let bestDepth = -1;
  const bestPrefix: number[] = [];
  let agree = 0;
  let bestState: unknown = state;
  let bestBlocked = -1;
  let bestConcurrent: number[] = [];
  let entry = next[0]!;
  /** True on entering a configuration: look for an operation that leaves the state unchanged first. */
  let fresh = true;

  const descend = (call: number, after: unknown, afterId: number, forced: boolean) => {
    const op = opOf[call]!;
    if (agree === depth && agree < bestPrefix.length && bestPrefix[agree] === op) agree++;
    stackEntries[depth] = call;
    stackStates[depth] = state;
    stackStateIds[depth] = currentStateId;
    stackForced[depth] = forced ? 1 : 0;
    depth++;
    state = after;
    currentStateId = afterId;
    lift(call);
    entry = next[0]!;
    fresh = true;
  };

  /** Keeps the current prefix when it is the longest: `returnEntry` is the return that blocks it. */
  const recordBest = (returnEntry: number) => {
    if (depth <= bestDepth) return;
    const op = opOf[returnEntry]!;
    bestDepth = depth;
    bestPrefix.length = agree;
    for (let i = agree; i < depth; i++) bestPrefix.push(opOf[stackEntries[i]!]!);
    agree = depth;
    bestState = state;
    bestBlocked = op;
    // The candidates: calls still in the list before this return.
    bestConcurrent = [];
    for (let scan = next[0]!; scan !== NIL && scan !== returnEntry; scan = next[scan]!)
      if (isCall[scan] === 1 && opOf[scan] !== op) bestConcurrent.push(opOf[scan]!);
  };
  const canReach = model.canReach?.bind(model);
  const pending: CheckedOperation[] = [];

  for (;;) {
    if (entry === NIL) return { verdict: 'linearizable', steps };
    if (steps >= maxSteps) return { verdict: 'unknown', steps };
    if (fresh) {
      // An operation that only observes (a read, a failed cas: it leaves every state as it is or
      // is impossible there) and fits the state now can be moved to the front of any
      // linearization that completes this configuration: wherever it stood, it changed nothing any
      // other operation sees, and it is a candidate now, so nothing has to precede it. So this
      // configuration succeeds iff the one with it linearized does, and nothing else needs trying
      // here (a partial-order reduction). Without it, every interleaving of a busy key's
      // concurrent reads with its writes is searched; with it, a read costs one step where it fits.
      fresh = false;
      if (observers === 0) continue;
      let forced = false;
      let failed = false;
      let firstReturn = entry;
      for (; firstReturn !== NIL && isCall[firstReturn] === 1; firstReturn = next[firstReturn]!) {
        const op = opOf[firstReturn]!;
        if (observes[op] === 0) continue;
        steps++;
        const after = model.step(state, ops[op]!);
        if (after === IMPOSSIBLE) continue;
        const afterId = stateId(after);
        if (afterId !== currentStateId) continue;
        memo.toggle(op);
        if (memo.remember(afterId)) {
          descend(firstReturn, after, afterId, true);
          forced = true;
        } else {
          // Explored before and failed, so this configuration fails too.
          memo.toggle(op);
          failed = true;
        }
        break;
      }
      if (forced) continue;
      if (!failed && canReach !== undefined && firstReturn !== NIL) {
        // The operation of the first return must be linearized before anything invoked after
        // that return, so from the calls before it alone. When it only observes and the model
        // can tell that no sequence of those calls leads to a state it fits (a read of "1,a,"
        // after the state became "1,b,"), this configuration fails without trying their orders.
        const blocked = opOf[firstReturn]!;
        if (observes[blocked] === 1 && completed[blocked] === 1) {
          pending.length = 0;
          for (let scan = entry; scan !== firstReturn; scan = next[scan]!) pending.push(ops[opOf[scan]!]!);
          if (!canReach(state, ops[blocked]!, pending)) {
            recordBest(firstReturn);
            failed = true;
          }
        }
      }
      if (!failed) continue;
      entry = NIL_RETURN;
    }
    if (entry !== NIL_RETURN) {
      steps++;
      if (poll !== undefined && (steps & (POLL_STEPS - 1)) === 0 && poll(steps)) return { verdict: 'unknown', steps };
      const op = opOf[entry]!;
      if (isCall[entry] === 1) {
        // Operations that only observe were tried on entering this configuration: none fits.
        if (observes[op] === 0) {
          const after = model.step(state, ops[op]!);
          if (after !== IMPOSSIBLE) {
            const afterId = stateId(after);
            memo.toggle(op);
            if (memo.remember(afterId)) {
              descend(entry, after, afterId, false);
              continue;
            }
            memo.toggle(op);
          }
        }
        entry = next[entry]!;
        continue;
      }
      // A return: its operation is not linearized yet and cannot move past its completion.
      if (completed[op] === 0) {
        // Only `info` returns (at +∞) remain: every completed operation is linearized.
        return { verdict: 'linearizable', steps };
      }
      recordBest(entry);
    }
    // This configuration fails: back up to the last one with a choice left.
    let resumed = false;
    while (depth > 0) {
      depth--;
      if (agree > depth) agree = depth;
      const call = stackEntries[depth]!;
      state = stackStates[depth];
      stackStates[depth] = undefined;
      currentStateId = stackStateIds[depth]!;
      memo.toggle(opOf[call]!);
      unlift(call);
      if (stackForced[depth] === 0) {
        entry = next[call]!;
        resumed = true;
        break;
      }
    }
    if (!resumed) {
      return {
        verdict: 'not-linearizable',
        steps,
        failure: {
          prefix: bestPrefix,
          stateAfter: model.describeState(bestState),
          blocked: bestBlocked,
          concurrent: bestConcurrent,
        },
      };
    }
  }
}
