import { always, defineMemory, runScenario, type Scenario, type WorldChange, type WorldView } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { families } from '../src/families.ts';
import {
  createDistroMemory,
  invariants,
  observeDistroRun,
  writeBackMirrors,
  type DistroMemory,
} from '../src/invariants.ts';
import type { DistroState } from '../src/state.ts';
import { bugFixture, bugNames } from './bug-fixtures.ts';

/**
 * The run memory's fast observation (mirrors of each node's clients, no re-hashing on unchanged
 * steps, the resurrection check only after a node's key set moved) is held equal to the plain one
 * (rebuild every map from the node's state after every step): both observe the same run side by
 * side, and after every step their memories must be equal, map order included, once the fast
 * memory's mirrors are written back into its maps. Equal memories give equal verdicts at every
 * step, since every Distro invariant reads only the memory and the world.
 */
interface Twin {
  readonly plain: DistroMemory;
  readonly fast: DistroMemory;
  mismatch: string | null;
  steps: number;
}

function comparable(memory: DistroMemory): string {
  const { mirrors: _mirrors, presenceMoved: _presenceMoved, ...rest } = memory;
  return JSON.stringify(rest, (_key, value: unknown) =>
    value instanceof Map
      ? { map: [...value.entries()] }
      : value instanceof Set
        ? { set: [...value] }
        : value === -Infinity
          ? '-Infinity'
          : value,
  );
}

const twinMemory = defineMemory<DistroState, Twin>({
  name: 'distro-run-twin',
  create: () => ({ plain: createDistroMemory(), fast: createDistroMemory(), mismatch: null, steps: 0 }),
  observe(twin, world: WorldView<DistroState>, change: WorldChange) {
    if (twin.mismatch !== null) return;
    observeDistroRun(twin.plain, world, change, false);
    observeDistroRun(twin.fast, world, change, true);
    writeBackMirrors(twin.fast);
    twin.steps++;
    const plain = comparable(twin.plain);
    const fast = comparable(twin.fast);
    if (plain !== fast) {
      let at = 0;
      while (at < plain.length && plain[at] === fast[at]) at++;
      twin.mismatch = `at ${world.time}µs (${change.node ?? 'every node'}): plain …${plain.slice(at - 80, at + 120)}… fast …${fast.slice(at - 80, at + 120)}…`;
    }
  },
});

const twinsAgree = always<DistroState, Twin>('fast-equals-plain', (_world, twin) => twin.mismatch ?? true, {
  description: 'The fast observation of the Distro run memory equals the plain one after every step.',
  memory: twinMemory,
});

/** Runs the scenario with its own invariants and the twin check; returns how many steps were compared. */
function compareTwins(scenario: Scenario, stateMode: 'mutable' | 'immutable' = 'mutable'): number {
  const result = runScenario(
    { ...scenario, invariants: [...invariants, twinsAgree], stopOnViolation: false },
    { registry },
    { trace: 'off', stateMode },
  );
  const twin = result.violations.find((violation) => violation.invariant === 'fast-equals-plain');
  expect(twin?.message).toBeUndefined();
  expect(result.endReason).not.toBe('error');
  return result.stats.events;
}

describe('the fast run memory equals the plain one', () => {
  it('on seeds of the aggressive family (3 and 5 nodes), to past the expiries and the settling', () => {
    for (const [seed, nodes] of [
      [1, 3],
      [2, 5],
    ] as const) {
      const scenario = families.aggressive!.scenario(seed, { nodes, clients: 50, bugs: [] });
      expect(compareTwins({ ...scenario, until: '100s' })).toBeGreaterThan(10_000);
    }
  });

  it('in the immutable state mode, where a changed client record is a new object', () => {
    const scenario = families.aggressive!.scenario(4, { nodes: 3, clients: 20, bugs: [] });
    expect(compareTwins({ ...scenario, until: '90s' }, 'immutable')).toBeGreaterThan(1_000);
  });

  it('on the bug-switch counterexamples, through and past their violations', () => {
    for (const bug of bugNames) expect(compareTwins(bugFixture(bug))).toBeGreaterThan(0);
  });
});
