import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always, defineMemory, type Invariant, type WorldView } from '../src/index.ts';
import { InvariantMemories } from '../src/kernel/invariant-memories.ts';
import { StepInvariants } from '../src/kernel/step-invariants.ts';

/**
 * StepInvariants.toCheck (a quiet memory stands in for its `always` invariants) against the plain
 * way (every invariant checked, in order): over generated invariants, memories and changes, both
 * give the same verdicts in the same order, including memories that are not quiet, that throw, and
 * runs that stop at the first violation.
 */

/** What one memory does when it observes change number `change`. */
type Observation = 'quiet' | 'loud' | 'throws';

interface Plan {
  /** Per memory, its observation at each change. */
  readonly memories: readonly (readonly Observation[])[];
  /** Per invariant: the memory it reads (or none), and whether its own check fails at each change. */
  readonly invariants: readonly { readonly memory: number | undefined; readonly fails: readonly boolean[] }[];
  readonly changes: number;
  readonly stopOnViolation: boolean;
}

const CHANGES = 6;

const plans: fc.Arbitrary<Plan> = fc
  .record({
    memoryCount: fc.integer({ min: 0, max: 3 }),
    invariantCount: fc.integer({ min: 1, max: 6 }),
    stopOnViolation: fc.boolean(),
  })
  .chain(({ memoryCount, invariantCount, stopOnViolation }) =>
    fc.record({
      memories: fc.array(
        fc.array(fc.constantFrom<Observation>('quiet', 'quiet', 'quiet', 'loud', 'throws'), {
          minLength: CHANGES,
          maxLength: CHANGES,
        }),
        { minLength: memoryCount, maxLength: memoryCount },
      ),
      invariants: fc.array(
        fc.record({
          memory: memoryCount === 0 ? fc.constant(undefined) : fc.option(fc.nat(memoryCount - 1), { nil: undefined }),
          fails: fc.array(fc.boolean(), { minLength: CHANGES, maxLength: CHANGES }),
        }),
        { minLength: invariantCount, maxLength: invariantCount },
      ),
      changes: fc.constant(CHANGES),
      stopOnViolation: fc.constant(stopOnViolation),
    }),
  );

interface Counter {
  change: number;
}

/** The invariants of a plan; each memory counts its observations, and a loud one lets its readers' checks decide. */
function build(plan: Plan, world: Counter): Invariant<unknown, { observed: number }>[] {
  const memories = plan.memories.map((observations, m) =>
    defineMemory<unknown, { observed: number }>({
      name: `m${m}`,
      create: () => ({ observed: 0 }),
      observe(memory) {
        memory.observed++;
        const observation = observations[world.change]!;
        if (observation === 'throws') throw new Error(`m${m} broke at change ${world.change}`);
        return observation === 'quiet';
      },
    }),
  );
  return plan.invariants.map((spec, i) =>
    always<unknown, { observed: number }>(
      `i${i}`,
      (_world, memory) =>
        spec.fails[world.change] ? `i${i} fails at change ${world.change} (memory saw ${memory?.observed})` : true,
      spec.memory === undefined ? undefined : { memory: memories[spec.memory]! },
    ),
  );
}

/** The verdicts of a run of the plan, checking either every invariant or the fast answer's. */
function verdicts(plan: Plan, fast: boolean): string[] {
  const counter: Counter = { change: 0 };
  const invariants = build(plan, counter);
  const memories = new InvariantMemories();
  const monitored = invariants.map((invariant) => memories.monitor(invariant));
  const step = new StepInvariants(monitored, memories);
  const world = { nodes: [] } as unknown as WorldView<unknown>;
  const out: string[] = [];
  for (; counter.change < plan.changes; counter.change++) {
    memories.changed();
    const toCheck = fast ? step.toCheck(world) : step.all;
    for (const one of toCheck) {
      const result = memories.check(one, world);
      if (result === true) continue;
      out.push(`change ${counter.change}: ${one.invariant.name}: ${result}`);
      if (plan.stopOnViolation) return out;
    }
    out.push(`change ${counter.change}: done`);
  }
  return out;
}

describe('StepInvariants', () => {
  it('the fast answer gives the plain verdicts, in the same order', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        expect(verdicts(plan, true)).toEqual(verdicts(plan, false));
      }),
      { numRuns: 500 },
    );
  });

  it('when every memory is quiet, only the invariants without a memory are left', () => {
    const counter: Counter = { change: 0 };
    const plan: Plan = {
      memories: [Array<Observation>(CHANGES).fill('quiet')],
      invariants: [
        { memory: 0, fails: Array<boolean>(CHANGES).fill(true) },
        { memory: undefined, fails: Array<boolean>(CHANGES).fill(false) },
        { memory: 0, fails: Array<boolean>(CHANGES).fill(true) },
      ],
      changes: CHANGES,
      stopOnViolation: false,
    };
    const memories = new InvariantMemories();
    const monitored = build(plan, counter).map((invariant) => memories.monitor(invariant));
    const step = new StepInvariants(monitored, memories);
    memories.changed();
    const world = { nodes: [] } as unknown as WorldView<unknown>;
    expect(step.toCheck(world).map((one) => one.invariant.name)).toEqual(['i1']);
  });
});
