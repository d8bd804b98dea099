import { IMPOSSIBLE, type Model } from './model.ts';
import { ConfigurationMemo, mix32 } from './memo.ts';
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
  /**
   * Leave the order of appends nothing has observed undecided where the model allows it
   * (Model.appendRole; default true). false searches every order, as a plain search does.
   */
  readonly deferAppends?: boolean | undefined;
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
 *
 * Appends (a key's string grown by concurrent clients) make every order of k concurrent appends a
 * distinct state, k! configurations that the memo cannot merge, until a read shows which order
 * happened. Where the model describes its appends (Model.appendRole) and a key holds only reads,
 * writes and appends, the state is kept as (the value at the last read or write, the set of
 * appends linearized since): appends commute in it, so all their orders are one configuration.
 * A read then fits when its output is that value followed by the appends' pieces in some order
 * that respects real time among them (if one completed before another was invoked, it comes
 * first); the appends since the last observation are contiguous in the linearization, so any
 * such order of them is as good as the one the search happened to take. A write makes the order
 * irrelevant. The observer reduction below is applied only to settled states (no appends
 * pending), where it is the plain model's.
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

  // Append deferral: role per operation (1 append, 2 overwrite, 3 read), when every operation has one.
  const roles = new Uint8Array(n);
  let defer = (budget.deferAppends ?? true) && model.appendRole !== undefined && model.appendBase !== undefined;
  let appends = 0;
  for (let op = 0; op < n && defer; op++) {
    const role = model.appendRole!(ops[op]!);
    if (role === undefined) defer = false;
    else roles[op] = role === 'append' ? 1 : role === 'overwrite' ? 2 : 3;
    if (role === 'append') appends++;
  }
  if (appends < 2) defer = false;

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
  let nextStateId = 0;
  const stateId = (state: unknown): number => {
    const key = model.key(state);
    let id = stateIds.get(key);
    if (id === undefined) stateIds.set(key, (id = nextStateId++));
    return id;
  };

  // A state with appends pending is (the settled value's id, the set of pending appends), interned
  // apart from settled states but numbered from the same counter.
  // The set's hash is the XOR of a fixed random word per append (so it does not depend on the
  // order), mixed with the value's id into 52 bits; equal hashes are compared exactly.
  // Each interned pending state keeps its set (in the order one path linearized it, a valid one).
  const pendingHashes = new Map<number, number[]>();
  const pendingBases: number[] = [];
  const pendingSets: Array<readonly number[]> = [];
  const pendingStateIds: number[] = [];
  const pieceHash = (op: number): number => mix32(op, 0x3c6ef372);
  /** The interned pending state (base, set ∪ {op}), as its index in pendingSets. */
  const internPending = (baseId: number, set: readonly number[], op: number, setHash: number): number => {
    const hash = (mix32(setHash ^ Math.imul(baseId, 0x9e3779b1), 0x510e527f) >>> 0) * 0x100000 + (baseId & 0xfffff);
    let bucket = pendingHashes.get(hash);
    if (bucket === undefined) pendingHashes.set(hash, (bucket = []));
    for (const candidate of bucket) {
      if (pendingBases[candidate] !== baseId) continue;
      const other = pendingSets[candidate]!;
      if (other.length !== set.length + 1 || !other.includes(op)) continue;
      let same = true;
      for (const member of set) if (!other.includes(member)) same = false;
      if (same) return candidate;
    }
    const candidate = pendingSets.length;
    pendingBases.push(baseId);
    pendingSets.push([...set, op]);
    pendingStateIds.push(nextStateId++);
    bucket.push(candidate);
    return candidate;
  };
  const NO_PENDING: readonly number[] = [];

  const stackEntries = new Int32Array(n);
  const stackStates: unknown[] = new Array<unknown>(n);
  const stackStateIds = new Int32Array(n);
  const stackPending: Array<readonly number[]> = new Array<readonly number[]>(n);
  const stackBaseIds = new Int32Array(n);
  const stackPendingHashes = new Int32Array(n);
  /**
   * How the frame's operation was chosen: CHOICE (in list order: on backtracking, try the calls
   * after it) or FORCED (it left the state unchanged: its configuration had no other choice).
   */
  const stackForced = new Uint8Array(n);
  const CHOICE = 0;
  const FORCED = 1;
  let depth = 0;
  /** The settled value: the state itself, or the value the pending appends extend. */
  let state = model.init();
  /** Appends linearized since the last read or write, in the order the search took them. */
  let pendingOps: readonly number[] = NO_PENDING;
  /** XOR of pieceHash over pendingOps. */
  let pendingHash = 0;
  let baseId = stateId(state);
  let currentStateId = baseId;
  let steps = 0;
  /** A read's match against pending appends ran out of steps: no verdict but unknown. */
  let aborted = false;
  const maxSteps = budget.maxSteps;
  const poll = budget.poll;

  const pieceOf: string[] = new Array<string>(n).fill('');
  if (defer) for (let op = 0; op < n; op++) if (roles[op] === 1) pieceOf[op] = String(ops[op]!.input);

  /**
   * Whether target[from..] is the pieces of `ids` in an order that respects real time among them.
   * A depth-first search over the appends placed so far (the offset follows from them), with the
   * sets that failed remembered. Of two ready appends with the same piece only the one that
   * completes first is tried: whatever has to follow the other has to follow it too, so it can
   * take the other's place.
   */
  const spells = (target: string, from: number, ids: readonly number[]): boolean => {
    const k = ids.length;
    const placed = new Uint8Array(k);
    let placedCount = 0;
    const failedSets = new Set<string>();
    const ready = (i: number): boolean => {
      const invoke = ops[ids[i]!]!.invoke;
      for (let j = 0; j < k; j++) if (placed[j] === 0 && j !== i && ops[ids[j]!]!.complete < invoke) return false;
      return true;
    };
    const visit = (at: number): boolean => {
      if (placedCount === k) return at === target.length;
      steps++;
      if (steps >= maxSteps) {
        aborted = true;
        return false;
      }
      let key = '';
      for (let i = 0; i < k; i++) key += placed[i] === 1 ? '1' : '0';
      if (failedSets.has(key)) return false;
      for (let i = 0; i < k; i++) {
        if (placed[i] === 1) continue;
        const x = ids[i]!;
        const piece = pieceOf[x]!;
        if (!target.startsWith(piece, at) || !ready(i)) continue;
        let dominated = false;
        for (let j = 0; j < k && !dominated; j++) {
          if (j === i || placed[j] === 1) continue;
          const y = ids[j]!;
          if (pieceOf[y] !== piece) continue;
          const earlier = ops[y]!.complete < ops[x]!.complete || (ops[y]!.complete === ops[x]!.complete && j < i);
          if (earlier && ready(j)) dominated = true;
        }
        if (dominated) continue;
        placed[i] = 1;
        placedCount++;
        const found = visit(at + piece.length);
        placed[i] = 0;
        placedCount--;
        if (found) return true;
      }
      failedSets.add(key);
      return false;
    };
    return visit(from);
  };

  /** The state a completed read settles the pending appends into, or IMPOSSIBLE. */
  const settleRead = (op: number): unknown => {
    const target = ops[op]!.output ?? null;
    if (typeof target !== 'string') return IMPOSSIBLE;
    const base = model.appendBase!(state);
    let length = base.length;
    for (const x of pendingOps) length += pieceOf[x]!.length;
    if (target.length !== length || !target.startsWith(base)) return IMPOSSIBLE;
    if (!spells(target, base.length, pendingOps)) return IMPOSSIBLE;
    return model.step(target, ops[op]!);
  };

  // What stepTo leaves: the configuration after the operation.
  let afterState: unknown = state;
  let afterPending: readonly number[] = NO_PENDING;
  let afterPendingHash = 0;
  let afterBaseId = baseId;
  let afterId = baseId;
  /** Applies `op` to the current state into the after* variables; false when it cannot happen there. */
  const stepTo = (op: number): boolean => {
    const role = defer ? roles[op]! : 0;
    if (role === 1) {
      afterState = state;
      afterBaseId = baseId;
      afterPendingHash = pendingHash ^ pieceHash(op);
      const interned = internPending(baseId, pendingOps, op, afterPendingHash);
      afterPending = pendingSets[interned]!;
      afterId = pendingStateIds[interned]!;
      return true;
    }
    // A write's result does not depend on the state, so pending appends need no order for it.
    const after = role === 3 && pendingOps.length > 0 ? settleRead(op) : model.step(state, ops[op]!);
    if (after === IMPOSSIBLE) return false;
    afterState = after;
    afterPending = NO_PENDING;
    afterPendingHash = 0;
    afterBaseId = afterId = stateId(after);
    return true;
  };

  /** The current state as the model has it: the pending appends applied in the search's order. */
  const settledState = (): unknown => {
    let value: unknown = state;
    for (const x of pendingOps) {
      const after = model.step(value, ops[x]!);
      if (after !== IMPOSSIBLE) value = after;
    }
    return value;
  };
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

  /** Linearizes the operation of `call` into the configuration stepTo computed. */
  const descend = (call: number, kind: number) => {
    const op = opOf[call]!;
    if (agree === depth && agree < bestPrefix.length && bestPrefix[agree] === op) agree++;
    stackEntries[depth] = call;
    stackStates[depth] = state;
    stackStateIds[depth] = currentStateId;
    stackPending[depth] = pendingOps;
    stackPendingHashes[depth] = pendingHash;
    stackBaseIds[depth] = baseId;
    stackForced[depth] = kind;
    depth++;
    state = afterState;
    pendingOps = afterPending;
    pendingHash = afterPendingHash;
    baseId = afterBaseId;
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
    bestState = settledState();
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
      //
      // With appends pending, a read that fits settles their order, which changes the state: it
      // is then one choice among others, tried in the loop below like any operation. (Forcing it
      // would be wrong: a later read may need the appends in another order, the value the first
      // read saw coming back only by a later write.)
      fresh = false;
      if (observers === 0) continue;
      let forced = false;
      let failed = false;
      let firstReturn = entry;
      const settled = pendingOps.length === 0;
      for (; firstReturn !== NIL && isCall[firstReturn] === 1; firstReturn = next[firstReturn]!) {
        const op = opOf[firstReturn]!;
        if (observes[op] === 0 || !settled) continue;
        steps++;
        if (!stepTo(op) || afterId !== currentStateId) continue;
        memo.toggle(op);
        if (memo.remember(afterId)) {
          descend(firstReturn, FORCED);
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
          // Pending appends may come in any order: as candidates they only widen what is reachable.
          for (const x of pendingOps) pending.push(ops[x]!);
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
        // Operations that only observe were tried on entering a settled configuration: none fits.
        if (observes[op] === 0 || pendingOps.length > 0) {
          if (stepTo(op)) {
            memo.toggle(op);
            if (memo.remember(afterId)) {
              descend(entry, CHOICE);
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
      pendingOps = stackPending[depth]!;
      pendingHash = stackPendingHashes[depth]!;
      stackPending[depth] = NO_PENDING;
      baseId = stackBaseIds[depth]!;
      memo.toggle(opOf[call]!);
      unlift(call);
      if (stackForced[depth] === CHOICE) {
        entry = next[call]!;
        resumed = true;
        break;
      }
    }
    if (!resumed) {
      if (aborted) return { verdict: 'unknown', steps };
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
