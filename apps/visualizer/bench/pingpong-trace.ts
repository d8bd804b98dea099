import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';

/**
 * A ping-pong trace of about `lines` trace lines (nearly every event a message: the worst case
 * for the diagrams): 50 nodes × 4 pings in flight, 1–5 ms latency, `until` scaled from a short
 * probe run. Trace lines, not kernel events: a step writes its send, delivery and state summary.
 */
export function pingpongTrace(lines: number): string {
  const probe = runScenario(
    { name: 'pingpong-probe', protocol: 'pingpong', nodes: 50, until: '500ms' },
    { registry },
    { trace: 'memory' },
  );
  const until = Math.ceil(lines / ((probe.trace.length - 1) / 500_000));
  const result = runScenario(
    { name: `pingpong-${lines}`, protocol: 'pingpong', nodes: 50, until },
    { registry },
    { trace: 'memory' },
  );
  return result.trace.join('\n') + '\n';
}
