import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';

/**
 * The step after every handler (ready.ts) applies what committed and answers the clients. A leader
 * alone in its configuration commits a write in the very step that proposes it, so the answer
 * must come from after the handler, once the write is registered as pending: every write a lone
 * node takes is answered, none is left to the client's timeout.
 */
describe('raft ready step', () => {
  it('a leader alone in its configuration answers every write it takes', () => {
    const result = runScenario(
      {
        name: 'raft-single-node',
        protocol: 'raft',
        nodes: 1,
        until: '2s',
        workload: { name: 'kv', clients: 1, thinkTime: '50ms', timeout: '300ms' },
      },
      { registry },
      { trace: 'off', stateMode: 'mutable' },
    );
    expect(result.error).toBeUndefined();
    expect(result.violations).toEqual([]);
    const outcomes = result.history.filter((event) => event.type !== 'invoke').map((event) => event.type);
    // Before the election (one timeout in) the node knows no leader and fails requests outright.
    expect(outcomes.filter((type) => type === 'ok').length).toBeGreaterThan(20);
    expect(outcomes.filter((type) => type === 'info')).toEqual([]);
  });
});
