/**
 * What a model sees of one operation. `completed` is false for `info` operations: their result
 * is unknown, so a model must not check their output (only their effect). `failed` marks a `fail`
 * the model keeps as an observation (a failed cas saw a value other than the expected one); it
 * has no effect on the state.
 */
export interface ModelOperation {
  readonly f: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly completed: boolean;
  readonly failed?: boolean;
}

/** An operation as the history recorded it (invoke paired with its completion). */
export interface RecordedOperation {
  readonly process: number;
  readonly f: string;
  readonly key?: string | null | undefined;
  readonly input: unknown;
  readonly output: unknown;
  readonly type: 'ok' | 'fail' | 'info';
}

/**
 * A model whose partitions may be plain read/write registers: a partition holding only these two
 * functions, with every written value distinct (and distinct from the initial value), is decided
 * by the polynomial unique-writes check instead of the search.
 */
export interface ReadWriteFunctions {
  readonly read: string;
  readonly write: string;
  /** The value a read sees before any write. */
  readonly initial: unknown;
}

/**
 * The value a `step` returns when an operation cannot happen in a state (a read that returns
 * something else, a cas whose expected value does not match).
 */
export const IMPOSSIBLE: unique symbol = Symbol('impossible');

/**
 * A sequential specification that a concurrent history is checked against, in the style of
 * Porcupine's `Model`: an initial state, a transition function, and a key for memoization.
 * States are immutable values: `step` returns a new state and never changes its argument.
 */
export interface Model<State = unknown> {
  /** The name the CLI takes (`--model register`). */
  readonly name: string;
  readonly description: string;
  /** The operation names (`f`) this model understands. */
  readonly functions: readonly string[];
  /**
   * True when operations on different keys are independent, so the history can be split by key
   * and each key checked alone (P-compositionality, Herlihy & Wing §3.3). It is what makes a
   * 100k-operation history checkable at all.
   */
  readonly partitionByKey: boolean;
  /** The state before any operation. */
  init(): State;
  /** The state after `op`, or IMPOSSIBLE when `op` (with its recorded output) cannot happen in `state`. */
  step(state: State, op: ModelOperation): State | typeof IMPOSSIBLE;
  /** A primitive that is equal (===) exactly for equal states: the memo key of the search. */
  key(state: State): string | number | boolean | null;
  /**
   * True when `op` only observes: in every state, `step` returns that same state or IMPOSSIBLE (a
   * completed read, a failed cas that saw another value). The search linearizes such an operation
   * as soon as it fits, without trying alternatives (see searchPartition). Optional: without it
   * every operation is searched in every order.
   */
  observesOnly?(op: ModelOperation): boolean;
  /**
   * False only when no sequence of (some of) `pending`, in any order, can take `state` to one in
   * which the observing operation `observer` fits: a necessary condition the search uses to drop a
   * configuration before trying the orders of its pending operations. Must never be false when
   * such a sequence exists; true when unsure. Optional.
   */
  canReach?(state: State, observer: ModelOperation, pending: readonly ModelOperation[]): boolean;
  /**
   * Whether an operation constrains nothing and may be dropped before the search: an `info` read
   * has no effect and no known result, so it can never make a history non-linearizable; a `fail`
   * never took effect and is dropped unless the model keeps it as an observation (a failed cas).
   */
  isIrrelevant(op: RecordedOperation): boolean;
  /** Checks one operation's shape; returns what is wrong and how to fix it, or undefined. */
  validate(op: RecordedOperation): string | undefined;
  /**
   * For models whose `append` concatenates strings onto the value: what `op` is to an append, so
   * the search may leave the order of appends that nothing has observed yet undecided (one
   * configuration for all their orders, not one per order; see searchPartition). 'append': the
   * state becomes appendBase(state) + String(op.input). 'overwrite': the state after it does not
   * depend on the state before (a write). 'read': a completed read, which fits only the state
   * equal to its output. undefined: anything else (a cas), and the search orders every append of
   * that key as usual. Optional, with appendBase.
   */
  appendRole?(op: ModelOperation): 'append' | 'overwrite' | 'read' | undefined;
  /** The string an append extends in `state` ('' for an absent value). */
  appendBase?(state: State): string;
  /** Set when partitions of plain reads and writes may take the unique-writes fast path. */
  readonly readWrite?: ReadWriteFunctions;
  /** One line for people: 'write 3', 'read → 3', 'cas 1→2'. */
  describe(op: {
    readonly f: string;
    readonly input: unknown;
    readonly output: unknown;
    readonly type: string;
  }): string;
  /** A state for people and the visualizer (JSON-able). */
  describeState(state: State): unknown;
}
