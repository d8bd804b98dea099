import { runScenario, type RunResult, type Scenario, type TraceEvent } from '@dsim/core';
import { registry } from '@dsim/registry';
import { expectReached } from '@dsim/testing';
import { describe, expect, it } from 'vitest';
import clockSkew from '../../simulations/heartbeat/clock-skew.ts';
import crashDetection from '../../simulations/heartbeat/crash-detection.ts';
import senderClockBug from '../../simulations/heartbeat/sender-clock-bug.ts';

const run = (scenario: Scenario) => runScenario(scenario, { registry });
const notes = (result: RunResult) =>
  result.trace
    .slice(1)
    .map((line) => JSON.parse(line) as TraceEvent)
    .filter((event): event is Extract<TraceEvent, { k: 'note' }> => event.k === 'note' && event.node !== undefined);

/** What each shipped heartbeat scenario shows; test/golden.test.ts holds their traces and both state modes. */
describe('heartbeat scenarios', () => {
  it('crash-detection: marks a crashed node unhealthy 15-20 s after its last beat and removes it 30-35 s after (Nacos timings)', () => {
    const result = run(crashDetection);
    expect(result.violations).toEqual([]);
    const marks = notes(result).filter((note) => note.text.includes('marks n3'));
    const unhealthy = marks.filter((note) => note.text.includes('unhealthy')).map((note) => note.t);
    const removed = marks.filter((note) => note.text.includes('removed')).map((note) => note.t);
    expect(unhealthy).toHaveLength(4);
    expect(removed).toHaveLength(4);
    // Beats leave every 5 s from 0 s. The crash at 20 s is scheduled before n3's 20 s beat (faults are
    // queued first, so they win ties), so n3's last beat left at 15 s.
    for (const t of unhealthy) (expect(t).toBeGreaterThan(30_000_000), expect(t).toBeLessThanOrEqual(35_100_000));
    for (const t of removed) (expect(t).toBeGreaterThan(45_000_000), expect(t).toBeLessThanOrEqual(50_100_000));
    expect(notes(result).filter((note) => note.text === 'n3 restarted (incarnation 2)')).toHaveLength(4);
  });

  it('clock-skew: a GC pause and a forward clock jump produce false suspicions that heal', () => {
    const result = run(clockSkew);
    expect(result.violations).toEqual([]);
    expectReached(result, ['false-suspicion']);
    const suspicionsOfN4 = notes(result).filter(
      (note) => note.text.includes('marks n4 unhealthy') && note.t < 35_000_000,
    );
    expect(suspicionsOfN4.length).toBeGreaterThan(0); // n4 was paused, not dead
    const jumpSuspicions = notes(result).filter(
      (note) => note.node === 'n5' && note.t === 40_000_000 && note.text.includes('unhealthy'),
    );
    expect(jumpSuspicions).toHaveLength(4); // n5's clock jumped 20 s: every peer looked silent
  });

  it('sender-clock-bug: the bug switch lets a dead node go unnoticed', () => {
    const result = run(senderClockBug);
    expect(result.violations.map((violation) => violation.invariant)).toEqual(['detects-crash-in-time']);
    expect(result.violations[0]!.message).toMatch(/still thinks n3 is healthy/);
  });
});
