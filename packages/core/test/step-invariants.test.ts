import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always, defineMemory, type Invariant, type WorldView } from '../src/index.ts';
import { InvariantMemories, type MonitoredInvariant } from '../src/kernel/invariant-memories.ts';
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

/**
 * A run of the plan where each change is a node's step (the kernel's afterStep) or something else
 * (a fault). 'plain' counts the change and checks every invariant in order; 'toCheck' checks what
 * StepInvariants.toCheck answers; 'stepped' steps through StepInvariants.steppedQuiet and asks
 * `toCheck` only when it answers false, as the kernel does. Returns the verdicts, and what each
 * memory was told changed at each observation.
 */
function steppedRun(
  plan: Plan,
  steps: readonly (number | undefined)[],
  way: 'plain' | 'toCheck' | 'stepped',
): { verdicts: string[]; told: string[] } {
  const counter: Counter = { change: 0 };
  const out: string[] = [];
  const told: string[] = [];
  const memoriesOfPlan = plan.memories.map((observations, m) =>
    defineMemory<unknown, { observed: number }>({
      name: `m${m}`,
      create: () => ({ observed: 0 }),
      observe(memory, _world, change) {
        memory.observed++;
        told.push(`change ${counter.change}: m${m} told ${String(change.node)}@${String(change.position)}`);
        const observation = observations[counter.change]!;
        if (observation === 'throws') throw new Error(`m${m} broke at change ${counter.change}`);
        return observation === 'quiet';
      },
    }),
  );
  const invariants = plan.invariants.map((spec, i) =>
    always<unknown, { observed: number }>(
      `i${i}`,
      (_world, memory) =>
        spec.fails[counter.change] ? `i${i} fails at change ${counter.change} (memory saw ${memory?.observed})` : true,
      spec.memory === undefined ? undefined : { memory: memoriesOfPlan[spec.memory]! },
    ),
  );
  const memories = new InvariantMemories();
  const step = new StepInvariants(
    invariants.map((invariant) => memories.monitor(invariant)),
    memories,
  );
  const world = { nodes: ['n1', 'n2', 'n3'] } as unknown as WorldView<unknown>;
  for (; counter.change < plan.changes; counter.change++) {
    const position = steps[counter.change];
    let toCheck: readonly MonitoredInvariant[];
    if (position !== undefined && way === 'stepped') {
      toCheck = step.steppedQuiet(world, `n${position + 1}`, position) ? [] : step.toCheck(world);
    } else {
      if (position === undefined) memories.changed();
      else memories.stepped(`n${position + 1}`, position);
      toCheck = way === 'plain' ? step.all : step.toCheck(world);
    }
    for (const one of toCheck) {
      const result = memories.check(one, world);
      if (result === true) continue;
      out.push(`change ${counter.change}: ${one.invariant.name}: ${result}`);
      if (plan.stopOnViolation) return { verdicts: out, told };
    }
    out.push(`change ${counter.change}: done`);
  }
  return { verdicts: out, told };
}

/** Which node steps at each change (its position), or undefined for a change that is not a step; the first is the start. */
const stepPlans: fc.Arbitrary<(number | undefined)[]> = fc
  .array(fc.option(fc.nat(2), { nil: undefined, freq: 4 }), { minLength: CHANGES - 1, maxLength: CHANGES - 1 })
  .map((rest) => [undefined, ...rest]);

describe('StepInvariants', () => {
  it('a step observed by the sole memory at once gives the plain verdicts, and tells the memories what toCheck does', () => {
    fc.assert(
      fc.property(plans, stepPlans, (plan, steps) => {
        const stepped = steppedRun(plan, steps, 'stepped');
        const toCheck = steppedRun(plan, steps, 'toCheck');
        expect(stepped.verdicts).toEqual(steppedRun(plan, steps, 'plain').verdicts);
        expect(stepped.verdicts).toEqual(toCheck.verdicts);
        expect(stepped.told).toEqual(toCheck.told);
      }),
      { numRuns: 500 },
    );
  });

  it('five invariants of one memory make it the sole memory, which answers each quiet step alone', () => {
    const plan: Plan = {
      memories: [['quiet', 'quiet', 'loud', 'quiet', 'throws', 'quiet']],
      invariants: Array.from({ length: 5 }, (_, i) => ({
        memory: 0,
        fails: [false, false, i === 1, false, false, false],
      })),
      changes: CHANGES,
      stopOnViolation: false,
    };
    const steps = [undefined, 0, 1, 2, 0, 1];
    const stepped = steppedRun(plan, steps, 'stepped');
    expect(stepped.verdicts).toEqual(steppedRun(plan, steps, 'plain').verdicts);
    expect(stepped.verdicts).toEqual([
      'change 0: done',
      'change 1: done',
      'change 2: i1: i1 fails at change 2 (memory saw 3)',
      'change 2: done',
      'change 3: done',
      "change 4: i0: the memory 'm0' threw: m0 broke at change 4",
      "change 4: i1: the memory 'm0' threw: m0 broke at change 4",
      "change 4: i2: the memory 'm0' threw: m0 broke at change 4",
      "change 4: i3: the memory 'm0' threw: m0 broke at change 4",
      "change 4: i4: the memory 'm0' threw: m0 broke at change 4",
      'change 4: done',
      "change 5: i0: the memory 'm0' threw: m0 broke at change 4",
      "change 5: i1: the memory 'm0' threw: m0 broke at change 4",
      "change 5: i2: the memory 'm0' threw: m0 broke at change 4",
      "change 5: i3: the memory 'm0' threw: m0 broke at change 4",
      "change 5: i4: the memory 'm0' threw: m0 broke at change 4",
      'change 5: done',
    ]);
    expect(stepped.told).toEqual([
      'change 0: m0 told undefined@undefined',
      'change 1: m0 told n1@0',
      'change 2: m0 told n2@1',
      'change 3: m0 told n3@2',
      'change 4: m0 told n1@0',
    ]);
    const memories = new InvariantMemories();
    const counter: Counter = { change: 0 };
    const step = new StepInvariants(
      build(plan, counter).map((invariant) => memories.monitor(invariant)),
      memories,
    );
    expect(step.sole).toBeDefined();
    const mixed = new StepInvariants(
      build(
        { ...plan, invariants: [...plan.invariants, { memory: undefined, fails: plan.invariants[0]!.fails }] },
        counter,
      ).map((invariant) => memories.monitor(invariant)),
      memories,
    );
    expect(mixed.sole).toBeUndefined();
  });

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
