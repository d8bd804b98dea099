import { defineScenario } from '@dsim/core';

/**
 * A real crash, as Nacos reports it: n3 dies at 20 s; because the check runs every 5 s, the others
 * mark it unhealthy 15-20 s after its last beat and remove it 30-35 s after; when it restarts with
 * a new incarnation, its first beat re-registers it.
 */
export default defineScenario({
  name: 'crash-detection',
  description: 'n3 crashes: unhealthy after 15-20 s, removed after 30-35 s, back on restart',
  protocol: 'heartbeat',
  nodes: 5,
  seed: 1,
  until: '120s',
  faults: [
    { at: '20s', fault: { type: 'crash', node: 'n3' } },
    { at: '80s', fault: { type: 'restart', node: 'n3' } },
  ],
  workload: { name: 'probe', clients: 2, thinkTime: '1s', timeout: '500ms' },
  invariants: ['detects-crash-in-time', 'all-healthy-after-heal'],
});
