import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult, type Scenario, type TraceEvent } from '@dsim/core';
import { registry } from '@dsim/registry';
import clockSkew from '../../../../simulations/heartbeat/clock-skew.ts';
import crashDetection from '../../../../simulations/heartbeat/crash-detection.ts';
import senderClockBug from '../../../../simulations/heartbeat/sender-clock-bug.ts';

const run = (scenario: Scenario, seed?: number) =>
  runScenario(scenario, { registry, ...(seed !== undefined ? { seed } : {}) });
const events = (result: RunResult) => result.trace.slice(1).map((line) => JSON.parse(line) as TraceEvent);
const notes = (result: RunResult) =>
  events(result).filter(
    (event): event is Extract<TraceEvent, { k: 'note' }> => event.k === 'note' && event.node !== undefined,
  );

describe('heartbeat failure detector', () => {
  it('marks a crashed node unhealthy 15-20 s after its last beat and removes it 30-35 s after (Nacos timings)', () => {
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

  it('a GC pause and a forward clock jump produce false suspicions that heal', () => {
    const result = run(clockSkew);
    expect(result.violations).toEqual([]);
    expect(result.reached).toContain('false-suspicion');
    const suspicionsOfN4 = notes(result).filter(
      (note) => note.text.includes('marks n4 unhealthy') && note.t < 35_000_000,
    );
    expect(suspicionsOfN4.length).toBeGreaterThan(0); // n4 was paused, not dead
    const jumpSuspicions = notes(result).filter(
      (note) => note.node === 'n5' && note.t === 40_000_000 && note.text.includes('unhealthy'),
    );
    expect(jumpSuspicions).toHaveLength(4); // n5's clock jumped 20 s: every peer looked silent
  });

  it('the sender-clock bug switch lets a dead node go unnoticed', () => {
    const result = run(senderClockBug);
    expect(result.violations.map((violation) => violation.invariant)).toEqual(['detects-crash-in-time']);
    expect(result.violations[0]!.message).toMatch(/still thinks n3 is healthy/);
  });

  it('rejects impossible timings with the field and the fix', () => {
    expect(() => run({ ...crashDetection, config: { removeAfterMicros: 10_000_000 } })).toThrow(
      /removeAfterMicros \(10000000\) must exceed unhealthyAfterMicros/,
    );
  });

  it('matches its golden trace (UPDATE_GOLDEN=1 regenerates it)', () => {
    const result = run({ ...crashDetection, until: '90s', workload: undefined });
    const text = renderCompact(result);
    const folder = join(import.meta.dirname, 'golden');
    const file = join(folder, 'crash-detection.txt');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, text);
    }
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});

/** One line per interesting event, etcd testdata style; message traffic is summarized per beat round. */
function renderCompact(result: RunResult): string {
  const lines: string[] = [];
  for (const event of events(result)) {
    const at = `${(event.t / 1e6).toFixed(3)}s`.padStart(8);
    if (event.k === 'fault') lines.push(`${at} !! ${event.desc}`);
    else if (event.k === 'note' && event.node) lines.push(`${at} ${event.node}: ${event.text}`);
    else if (event.k === 'drop') lines.push(`${at} ${event.from}->${event.to} dropped (${event.reason})`);
    else if (event.k === 'violation') lines.push(`${at} VIOLATION ${event.invariant}: ${event.message}`);
    else if (event.k === 'end')
      lines.push(
        `${at} end (${event.reason}) sent=${event.stats.messagesSent} delivered=${event.stats.messagesDelivered}`,
      );
  }
  return lines.join('\n') + '\n';
}
