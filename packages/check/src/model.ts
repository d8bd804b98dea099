import type { PairedOperation } from '@dsim/core';

/**
 * What a model sees of one operation. `completed` is false for `info` operations: their result
 * is unknown, so a model must not check their output (only their effect).
 */
export interface ModelOperation {
  readonly f: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly completed: boolean;
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
   * Whether an operation constrains nothing and may be dropped before the search: an `info` read
   * has no effect and no known result, so it can never make a history non-linearizable.
   */
  isIrrelevant(op: PairedOperation): boolean;
  /** Checks one operation's shape; returns what is wrong and how to fix it, or undefined. */
  validate(op: PairedOperation): string | undefined;
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
