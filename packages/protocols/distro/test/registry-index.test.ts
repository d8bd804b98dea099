import { always, runScenario, type Scenario, type WorldView } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { clientCount, healthyInstancesOf, tallyOf } from '../src/copies.ts';
import { families } from '../src/families.ts';
import { invariants } from '../src/invariants.ts';
import { readService } from '../src/requests.ts';
import type { DistroState } from '../src/state.ts';
import { bugFixture, bugNames } from './bug-fixtures.ts';

/**
 * Reads are answered from the healthy-instance index, the summary counts clients from the stats
 * counters and the view shows the tally (copies.ts); all are held equal, on every node after every
 * step, to their plain definitions: a scan of the client record (readService, tallyOf) and the
 * size of its key set.
 */
function indexMismatch(world: WorldView<DistroState>): string | true {
  for (const node of world.nodes) {
    const state = world.state(node);
    if (!state) continue;
    const ids = Object.keys(state.clients);
    if (clientCount(state) !== ids.length)
      return `${node}: the counters say ${clientCount(state)} clients, the record holds ${ids.length}`;
    const scannedTally = JSON.stringify(tallyOf(state, node));
    if (JSON.stringify(state.tally) !== scannedTally)
      return `${node}: the tally is ${JSON.stringify(state.tally)}, a scan gives ${scannedTally}`;
    const services = new Set(Object.keys(state.healthyByService));
    for (const id of ids) services.add(state.clients[id]!.instance.service);
    for (const service of services) {
      const indexed = healthyInstancesOf(state, service).join(',');
      const scanned = readService(state, service).join(',');
      if (indexed !== scanned) return `${node} ${service}: the index answers [${indexed}], a scan [${scanned}]`;
    }
  }
  return true;
}

const indexEqualsScan = always<DistroState>('index-equals-scan', indexMismatch, {
  description:
    'The healthy-instance index, the tally and the client count equal a scan of the client record on every node.',
});

/** Runs the scenario with the check after every step; returns the events it ran. */
function check(scenario: Scenario, stateMode: 'mutable' | 'immutable' = 'mutable'): number {
  const result = runScenario(
    { ...scenario, invariants: [...invariants, indexEqualsScan], stopOnViolation: false },
    { registry },
    { trace: 'off', stateMode },
  );
  expect(result.violations.find((violation) => violation.invariant === 'index-equals-scan')?.message).toBeUndefined();
  expect(result.endReason).not.toBe('error');
  return result.stats.events;
}

describe('the healthy-instance index, the tally and the client count equal a scan', () => {
  it('on seeds of the aggressive family (3 and 5 nodes): registrations, expiries, pushes, loads', () => {
    for (const [seed, nodes] of [
      [3, 3],
      [5, 5],
    ] as const) {
      const scenario = families.aggressive!.scenario(seed, { nodes, clients: 50, bugs: [] });
      expect(check({ ...scenario, until: '120s' })).toBeGreaterThan(10_000);
    }
  });

  it('in the immutable state mode', () => {
    const scenario = families.aggressive!.scenario(6, { nodes: 3, clients: 20, bugs: [] });
    expect(check({ ...scenario, until: '90s' }, 'immutable')).toBeGreaterThan(1_000);
  });

  it('on the bug-switch counterexamples (every node expiring, lost pushes, empty starts)', () => {
    for (const bug of bugNames) expect(check(bugFixture(bug))).toBeGreaterThan(0);
  });
});
