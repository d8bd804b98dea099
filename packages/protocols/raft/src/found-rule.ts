import { always, type Invariant, type InvariantMemory } from '@dsim/core';
import type { RaftState } from './state.ts';

/** A run memory whose observer records each broken rule's message under the rule's name. */
export interface FoundMemory {
  readonly found: Map<string, string>;
}

/**
 * An `always` invariant whose work is done by its run memory's observer: it reports (once) the
 * message the observer recorded under its name. Several rules share one observer this way, so a
 * step is looked at once however many rules read it.
 */
export function foundRule<Memory extends FoundMemory>(
  name: string,
  description: string,
  memory: InvariantMemory<RaftState, Memory>,
): Invariant<RaftState, Memory> {
  return always<RaftState, Memory>(
    name,
    (_world, run) => {
      const message = run.found.get(name);
      if (message === undefined) return true;
      run.found.delete(name);
      return message;
    },
    { description, memory },
  );
}
