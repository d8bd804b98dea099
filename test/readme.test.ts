import { readFileSync } from 'node:fs';
import { runScenario, type Scenario } from '@dsim/core';
import { describe, expect, it } from 'vitest';
import { hello } from './readme/hello-protocol.ts';

/**
 * The README's "Writing your own protocol" example is this file, word for word: it type-checks
 * with the suite, and here it runs, its bug switch is caught, and its view is what the tools draw.
 */
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const EXAMPLE = readFileSync(new URL('./readme/hello-protocol.ts', import.meta.url), 'utf8');

const scenario = (bugs: string[]): Scenario => ({
  name: 'hello',
  protocol: hello,
  nodes: 3,
  until: '10s',
  bugs,
  faults: [
    { at: '3500ms', fault: { type: 'crash', node: 'n2' } },
    { at: '4500ms', fault: { type: 'restart', node: 'n2' } },
  ],
});

describe("the README's protocol example", () => {
  it('is the code in test/readme/hello-protocol.ts', () => {
    const block = README.match(/```ts\n(import \{ always, defineMemory, defineProtocol[\s\S]*?)```/)?.[1];
    expect(block, 'the README has the example block').toBeDefined();
    expect(block).toBe(EXAMPLE);
  });

  it('runs, survives a crash with its durable count, and draws a view', () => {
    const result = runScenario(scenario([]), {}, { trace: 'memory' });
    expect(result.violations).toEqual([]);
    expect(result.stats.timersFired).toBeGreaterThan(20);
    expect(hello.view!({ count: 3, leader: 'n1' }, 'n2')).toEqual({
      role: 'follower',
      badges: [{ label: 'count', value: 3 }],
      edges: [{ to: 'n1', kind: 'follows' }],
    });
  });

  it('its bug switch is caught by the invariant that names the rule', () => {
    const result = runScenario(scenario(['forgetCountOnRestart']));
    expect(result.violations.map((violation) => violation.invariant)).toEqual(['count-never-decreases']);
    expect(result.violations[0]!.message).toMatch(/^n2 counted \d+, then \d+$/);
  });
});
