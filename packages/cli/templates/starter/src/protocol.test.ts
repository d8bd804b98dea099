import { assertSimulationProperty } from '@dsim/property';
import { describe, it } from 'vitest';
import { ring } from './protocol.js';

describe('ring', () => {
  // fast-check draws fault schedules; every run checks 'one-token' after every step. On a failure
  // the schedule is shrunk to the faults that matter and the error prints a scenario file, a
  // trace and the `dsim run` / `dsim view` commands that replay it (dsim.config.ts names 'ring').
  // Widen `kinds` (crash, clock, duplicate, slow) or raise `numRuns` to search harder.
  it('never has two tokens under partitions, message loss and pauses', { timeout: 120_000 }, () => {
    assertSimulationProperty({
      name: 'ring-one-token',
      scenario: { name: 'ring', protocol: 'ring', nodes: 4, until: '3s' },
      registry: { ring },
      faults: { kinds: ['partition', 'loss', 'pause'], maxFaults: 4, healAt: '2s' },
      numRuns: 50,
    });
  });
});
