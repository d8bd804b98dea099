import { runScenario } from '@dsim/core';
import { expectReached, runInBothModes } from '@dsim/testing';
import { describe, expect, it } from 'vitest';
import steady from '../../simulations/distro/steady-state.ts';
import partition from '../../simulations/distro/partition-heal.ts';
import lostSync from '../../simulations/distro/lost-sync-verify.ts';
import restart from '../../simulations/distro/node-restart-load.ts';
import restartNoLoad from '../../simulations/distro/node-restart-no-load-bug.ts';
import ownerCrash from '../../simulations/distro/owner-crash.ts';
import clockJump from '../../simulations/distro/clock-jump-false-expiry.ts';
import gcPause from '../../simulations/distro/gc-pause-false-expiry.ts';
import resurrection from '../../simulations/distro/split-view-resurrection.ts';
import { distro, readService, type DistroState } from '@dsim/distro';

const run = (scenario: object) =>
  runScenario({ ...scenario, protocol: distro }, {}, { trace: 'off', stateMode: 'mutable' });
const states = (result: ReturnType<typeof run>) => result.summaries.map(([node, summary]) => [node, summary] as const);

describe('distro scenarios', () => {
  it('steady state: every read answers, every node holds every client, no violation', () => {
    const result = runInBothModes({ ...steady, protocol: distro });
    expect(result.violations).toEqual([]);
    const reads = result.history.filter((entry) => entry.f === 'read' && entry.type !== 'invoke');
    expect(reads.length).toBeGreaterThan(100);
    expect(reads.every((entry) => entry.type === 'ok')).toBe(true);
    for (const [, summary] of states(result)) expect(summary?.clients).toBe(12);
  });

  it('partition: both sides answer reads and diverge, and converge after the heal', () => {
    const result = run(partition);
    expect(result.violations).toEqual([]);
    expectReached(result, [
      'responsibility-change',
      'stale-read',
      'verify-repair',
      'expired-while-beating',
      'convergence',
    ]);
    const during = result.history.filter(
      (entry) => entry.f === 'read' && entry.type !== 'invoke' && entry.time > 30_000_000 && entry.time < 80_000_000,
    );
    const nodesAnswering = new Set(during.filter((entry) => entry.type === 'ok').map((entry) => entry.node));
    expect([...nodesAnswering].sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('lost pushes to a cut-off node are repaired by verify', () => {
    const result = run(lostSync);
    expect(result.violations).toEqual([]);
    expectReached(result, ['verify-repair', 'convergence']);
  });

  it('a restarted node loads a snapshot before it serves; without the load it serves an empty registry', () => {
    const ok = run(restart);
    expect(ok.violations).toEqual([]);
    const refused = ok.history.filter((entry) => entry.type === 'fail' && entry.error === 'starting');
    expect(refused.every((entry) => entry.time >= 45_000_000)).toBe(true);
    const buggy = run(restartNoLoad);
    expect(buggy.violations.map((violation) => violation.invariant)).toContain('starts-serving-with-data');
  });

  it('an owner crash moves its slice after member health marks it DOWN, and crashed clients expire', () => {
    const result = run(ownerCrash);
    expect(result.violations).toEqual([]);
    expectReached(result, ['responsibility-change']);
    for (const [node, summary] of states(result)) if (node !== 'n2') expect(summary?.clients).toBe(15);
  });

  it('a forward clock jump on an owner expires alive clients; a GC pause makes the paused owner expire beating ones', () => {
    const jump = run(clockJump);
    expect(jump.violations.map((violation) => violation.invariant)).toEqual(['alive-client-not-expired']);
    const pause = run(gcPause);
    expect(pause.violations).toEqual([]);
    expectReached(pause, ['expired-while-beating', 'convergence']);
  });

  it('a stale owner resurrects a deregistered client while member views disagree, and the copy is collected', () => {
    const result = run(resurrection);
    expect(result.violations).toEqual([]);
    expectReached(result, ['resurrection-during-split-view', 'convergence']);
  });

  it('reads answer the healthy instances of a service, sorted', () => {
    const state = {
      clients: {
        b: { id: 'b', revision: 1, instance: { service: 's', ephemeral: true, healthy: true }, lastBeatLocal: 0 },
        a: { id: 'a', revision: 1, instance: { service: 's', ephemeral: false, healthy: true }, lastBeatLocal: 0 },
        c: { id: 'c', revision: 2, instance: { service: 's', ephemeral: true, healthy: false }, lastBeatLocal: 0 },
        d: { id: 'd', revision: 1, instance: { service: 't', ephemeral: true, healthy: true }, lastBeatLocal: 0 },
      },
    } as unknown as DistroState;
    expect(readService(state, 's')).toEqual(['a', 'b']);
  });
});
