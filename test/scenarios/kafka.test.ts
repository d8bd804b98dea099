import { runScenario, type RunResult, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import * as s1 from '../../simulations/kafka/s1-kip101-case-a.ts';
import * as s2 from '../../simulations/kafka/s2-kip101-case-b.ts';
import * as s3 from '../../simulations/kafka/s3-kip279.ts';
import * as s4 from '../../simulations/kafka/s4-isr-of-one.ts';
import * as s5 from '../../simulations/kafka/s5-last-replica-standing.ts';
import * as s6 from '../../simulations/kafka/s6-isr-flapping.ts';
import * as s7 from '../../simulations/kafka/s7-duplicate-without-idempotence.ts';
import * as s8 from '../../simulations/kafka/s8-reordering-with-retries.ts';
import * as s9 from '../../simulations/kafka/s9-zombie-leader.ts';
import * as s10 from '../../simulations/kafka/s10-stale-hw-after-failover.ts';

/**
 * KAFKA.md §6: every scenario file reproduces its anomaly in the configuration it declares, and
 * the anomaly is absent in the configuration that fixes it (`fixedBy`, and `alsoFixedBy` where
 * there is a second fix). The checks name the invariant that must (not) fail and the facts of
 * the run (summaries), not a golden trace.
 */
function run(scenario: Scenario, overrides: object = {}): RunResult {
  return runScenario(
    { ...scenario, config: { ...scenario.config, ...overrides } },
    { registry },
    { stateMode: 'mutable', trace: 'off' },
  );
}

function violated(result: RunResult): string[] {
  return [...new Set(result.violations.map((v) => v.invariant))].sort();
}

function summary(result: RunResult, node: string): Record<string, unknown> {
  return (result.summaries.find(([n]) => n === node)?.[1] ?? {}) as Record<string, unknown>;
}

const LOSS = ['committed-never-lost', 'leader-completeness', 'no-acked-write-lost'];

describe('S1–S3: truncation generations (KAFKA.md §3)', () => {
  it('S1 (KIP-101 case A): HW truncation loses an acknowledged write; KIP-101 keeps it', () => {
    const anomaly = run(s1.default);
    expect(violated(anomaly)).toEqual(LOSS);
    expect(summary(anomaly, 'b2')['truncated']).toBe(2);
    const fixed = run(s1.default, s1.fixedBy);
    expect(violated(fixed)).toEqual(['follower-truncated']);
    expect(summary(fixed, 'b2')['replicas']).toBe('t-0:le1:leo2:hw2');
  });

  it('S2 (KIP-101 case B): HW truncation leaves the logs diverged below their HWs; KIP-101 makes them agree', () => {
    const anomaly = run(s2.default);
    expect(violated(anomaly)).toEqual([...LOSS, 'log-matching'].sort());
    const fixed = run(s2.default, s2.fixedBy);
    // m1 is still lost (two replicas failed, outside the contract) but the logs agree.
    expect(violated(fixed)).toEqual(LOSS);
    expect(summary(fixed, 'b1')['truncated']).toBe(1);
  });

  it('S3 (KIP-279): KIP-101 truncation diverges after an unclean election; KIP-279 converges', () => {
    const anomaly = run(s3.default);
    expect(violated(anomaly)).toEqual([...LOSS, 'log-matching'].sort());
    expect(anomaly.reached).toContain('unclean-election');
    const fixed = run(s3.default, s3.fixedBy);
    expect(violated(fixed)).toEqual(LOSS);
    expect(summary(fixed, 'b2')['truncated']).toBe(2);
  });
});

describe('S4–S5: ISR and elections (KAFKA.md §2.7–2.8)', () => {
  it('S4: an ISR of one with unclean election loses acked writes; unclean off or min ISR 2 loses none', () => {
    const anomaly = run(s4.default);
    expect(violated(anomaly)).toEqual(LOSS);
    expect(anomaly.reached).toEqual(expect.arrayContaining(['isr-shrank', 'unclean-election']));
    const clean = run(s4.default, s4.fixedBy);
    expect(violated(clean)).toEqual(['unclean-election']);
    const minIsr2 = run(s4.default, s4.alsoFixedBy);
    expect(violated(minIsr2)).toEqual(['unclean-election']);
    expect(Number(summary(minIsr2, 'b1')['notEnoughReplicas'])).toBeGreaterThan(0);
  });

  it('S5: the last replica standing is re-elected after a power loss; ELR elects the complete replica', () => {
    const anomaly = run(s5.default);
    expect(violated(anomaly)).toEqual(LOSS);
    expect(summary(anomaly, 'b2')['truncated']).toBe(3);
    const fixed = run(s5.default, s5.fixedBy);
    expect(violated(fixed)).toEqual([]);
    expect(summary(fixed, 'c')['describe']).toMatch(/^t-0:b2:/);
  });

  it("S6: 0.8's lag-by-messages rule flaps the ISR at every burst; lag by time does not", () => {
    const anomaly = run(s6.default);
    expect(violated(anomaly)).toEqual([]);
    expect(summary(anomaly, 'b1')['isrShrinks']).toBe(6);
    expect(summary(anomaly, 'b1')['isrExpands']).toBe(12);
    const fixed = run(s6.default, s6.fixedBy);
    expect(violated(fixed)).toEqual(['isr-shrank']);
    expect(summary(fixed, 'b1')['isrShrinks']).toBe(0);
  });
});

describe('S7–S10: producers and failover (KAFKA.md §1.3, §2.4, §2.9)', () => {
  it('S7: a lost reply and a failover duplicate a batch without idempotence; idempotence dedupes it', () => {
    const anomaly = run(s7.default);
    expect(violated(anomaly)).toEqual(['no-duplicates']);
    const fixed = run(s7.default, s7.fixedBy);
    expect(violated(fixed)).toEqual([]);
    expect(summary(fixed, 'b2')['replicas']).toBe('t-0:le1:leo2:hw2');
  });

  it('S8: a retry overtakes an in-flight batch without idempotence; idempotence or one in flight keeps order', () => {
    expect(violated(run(s8.default))).toEqual(['producer-order']);
    expect(violated(run(s8.default, s8.fixedBy))).toEqual([]);
    expect(violated(run(s8.default, s8.alsoFixedBy))).toEqual([]);
  });

  it('S9: a zombie leader acknowledges acks=1 writes that are truncated; acks=all times them out instead', () => {
    const anomaly = run(s9.default);
    expect(violated(anomaly)).toEqual(['no-acked-write-lost']);
    expect(Number(summary(anomaly, 'b1')['truncated'])).toBeGreaterThan(0);
    const fixed = run(s9.default, s9.fixedBy);
    expect(violated(fixed)).toEqual([]);
    expect(summary(fixed, 'p1')['acked']).toBe(40);
  });

  it('S10: a new leader starts with a stale HW, and nothing is lost', () => {
    const result = run(s10.default);
    expect(result.reached).toEqual(['stale-leader-hw']);
    expect(violated(result)).toEqual([]);
    expect(summary(result, 'r1')['read']).toBe(3);
  });
});
