import type { Invariant, WorldView } from '@dsim/core';
import { checkLinearizability, type LinearizabilityOptions } from './linearizability.ts';
import type { Model } from './model.ts';

export interface LinearizableOptions extends LinearizabilityOptions {
  /** Invariant name. Default `linearizable-<model name>`. */
  readonly name?: string;
  /**
   * What an `unknown` verdict (the step budget ran out) counts as. Default 'violation': a check
   * that could not decide has not shown the run is correct, and saying so beats a silent pass.
   * Use 'pass' in sweeps where only definite violations matter.
   */
  readonly unknown?: 'violation' | 'pass';
}

/**
 * An invariant that the run's client history is linearizable against `model`, checked once at
 * the end of the run (`atEnd`): linearizability is a property of the whole history, and searching
 * after every step would cost quadratically more for nothing.
 */
export function linearizable<State = unknown>(model: Model, options: LinearizableOptions = {}): Invariant<State> {
  const name = options.name ?? `linearizable-${model.name}`;
  return {
    name,
    kind: 'always',
    atEnd: true,
    description: `The client history is linearizable against the ${model.name} model (${model.description}).`,
    check(world: WorldView<State>) {
      const result = checkLinearizability(world.history, model, options);
      if (result.verdict === 'linearizable') return true;
      if (result.verdict === 'unknown' && options.unknown === 'pass') return true;
      return result.message;
    },
  };
}
