import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, type Scenario } from '@dsim/core';
import { pingpong } from '@dsim/pingpong';
import { afterEach, describe, expect, it } from 'vitest';
import { compactStyle, expectGolden, renderGolden, runInBothModes, storyStyle } from '../src/index.ts';

/** Three nodes passing pings; n2 crashes at 3 ms, so sends to it are dropped, and restarts at 6 ms. */
const ring: Scenario = {
  name: 'ring',
  protocol: pingpong,
  nodes: 3,
  seed: 1,
  until: '10ms',
  config: { window: 1 },
  network: { latency: '1ms' },
  faults: [
    { at: '3ms', fault: { type: 'crash', node: 'n2' } },
    { at: '6ms', fault: { type: 'restart', node: 'n2' } },
  ],
};

describe('renderGolden', () => {
  const result = runInBothModes(ring);

  it('writes one line per kept event: time column, sender and receiver, the message, faults and drops', () => {
    const lines = renderGolden(result, compactStyle()).split('\n');
    expect(lines[0]).toBe('      0us n1->n2 ping 0');
    expect(lines).toContain('      3ms FAULT crash n2');
    expect(lines.some((line) => /^ +\d+ms DROP n\d->n2 (ping|pong) \d \(/.test(line))).toBe(true);
    expect(lines).toContain('      6ms n2 restarts');
    expect(lines.at(-1)).toBe('');
  });

  it('keeps the first maxLines lines, says how many it left out, and ends with the trace hash that covers them', () => {
    const full = renderGolden(result, compactStyle()).trimEnd().split('\n');
    const cut = renderGolden(result, compactStyle({ maxLines: 5 }))
      .trimEnd()
      .split('\n');
    expect(cut.slice(0, 5)).toEqual(full.slice(0, 5));
    expect(cut[5]).toBe(`... ${full.length - 5} more lines`);
    expect(cut[6]).toBe(`end until at 10ms, ${result.stats.events} events, trace hash ${result.hash}`);
  });

  it('tells a story: a line when a role changes, none while it stays, and the hash last', () => {
    const text = renderGolden(
      result,
      storyStyle({
        hideSend: () => true,
        role: (summary) => String(summary.role),
        detail: (s) => `sent=${String(s.sent)}`,
      }),
    );
    // Summaries change on every message; the role does not, so each node appears once, and n2 again after its restart.
    expect(text).toBe(
      [
        '      0us n1 is pinger sent=1',
        '      0us n2 is pinger sent=1',
        '      0us n3 is pinger sent=1',
        '      3ms fault: crash n2',
        '      6ms fault: restart n2',
        '      6ms n2 restarts',
        '      6ms n2 is pinger sent=1',
        `end until at 10ms, ${result.stats.events} events, trace hash ${result.hash}`,
        '',
      ].join('\n'),
    );
  });

  it('refuses a run without its trace, saying how to get one', () => {
    const untraced = runScenario(ring, {}, { trace: 'hash' });
    expect(() => renderGolden(untraced)).toThrow(/run it with \{ trace: 'memory' \}/);
  });
});

describe('expectGolden', () => {
  const folder = mkdtempSync(join(tmpdir(), 'dsim-golden-'));
  const saved = process.env.UPDATE_GOLDEN;
  afterEach(() => {
    if (saved === undefined) delete process.env.UPDATE_GOLDEN;
    else process.env.UPDATE_GOLDEN = saved;
  });

  it('writes a missing golden file and fails, so a new file is read before it is trusted', () => {
    delete process.env.UPDATE_GOLDEN;
    const file = join(folder, 'new', 'ring.txt');
    expect(() => expectGolden(file, 'a\n')).toThrow(/wrote the missing golden file/);
    expect(readFileSync(file, 'utf8')).toBe('a\n');
    expectGolden(file, 'a\n');
  });

  it('fails on any difference, and rewrites the file only under UPDATE_GOLDEN=1', () => {
    delete process.env.UPDATE_GOLDEN;
    const file = join(folder, 'ring.txt');
    writeFileSync(file, 'a\n');
    expect(() => expectGolden(file, 'b\n')).toThrow();
    expect(readFileSync(file, 'utf8')).toBe('a\n');
    process.env.UPDATE_GOLDEN = '1';
    expectGolden(file, 'b\n');
    expect(readFileSync(file, 'utf8')).toBe('b\n');
    expect(existsSync(file)).toBe(true);
  });
});
