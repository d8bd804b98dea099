import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import { families } from '../src/index.ts';

/**
 * Three seeds of the aggressive family under a constant message loss rate, each with the network
 * and timeouts a swarm sweep drew for it when it found that an idempotent producer could log a
 * record after later ones of its own (KAFKA.md I-8). The cause: after a batch expired the
 * producer bumped its epoch (a new producer id) and sent new batches while a batch sent under the
 * old id was still in flight; that batch's request was lost, its retry came after the new id's
 * batches, and the broker, which checks sequences per producer id, appended it.
 */
const draws = [
  {
    seed: 900042,
    latency: { dist: 'lognormal', median: 17823, sigma: 1.131, min: 1782 },
    loss: 0.049,
    duplicate: 0.021,
    replicaLagTimeMaxMs: 346,
    sessionTimeoutMs: 2554,
  },
  {
    seed: 900051,
    latency: { dist: 'uniform', min: 7105, max: 28420 },
    loss: 0.037,
    duplicate: 0.009,
    replicaLagTimeMaxMs: 1957,
    sessionTimeoutMs: 3733,
  },
  {
    seed: 900056,
    latency: { dist: 'lognormal', median: 1006, sigma: 1.03, min: 101 },
    loss: 0.034,
    duplicate: 0.008,
    replicaLagTimeMaxMs: 4697,
    sessionTimeoutMs: 3543,
  },
] as const;

function lossyScenario(draw: (typeof draws)[number], bugs: string[] = []): Scenario {
  const base = families.aggressive.scenario(draw.seed);
  return {
    ...base,
    config: {
      ...base.config,
      replicaLagTimeMaxMs: draw.replicaLagTimeMaxMs,
      sessionTimeoutMs: draw.sessionTimeoutMs,
    },
    network: { latency: draw.latency, loss: draw.loss, duplicate: draw.duplicate, fifo: true },
    ...(bugs.length > 0 ? { bugs } : {}),
  } as Scenario;
}

describe('an idempotent producer keeps its order under constant message loss', () => {
  for (const draw of draws) {
    it(`seed ${draw.seed}, loss ${draw.loss}: every promised invariant holds`, { timeout: 120_000 }, () => {
      const result = runScenario(lossyScenario(draw), { registry }, { stateMode: 'mutable', trace: 'off' });
      expect(result.violations).toEqual([]);
    });
  }

  // Two of the three runs still reach the lost old-id retry with the switch on (in 900042 the
  // switch's own timing avoids it).
  it('producerSendsAcrossEpochs: seeds 900051 and 900056 break producer-order', { timeout: 300_000 }, () => {
    const broken = draws
      .filter((draw) => draw.seed !== 900042)
      .map((draw) => {
        const scenario = lossyScenario(draw, ['producerSendsAcrossEpochs']);
        const result = runScenario(scenario, { registry }, { stateMode: 'mutable', trace: 'off' });
        return result.violations.map((v) => v.invariant);
      });
    expect(broken).toEqual([['producer-order'], ['producer-order']]);
  });
});

/**
 * Seed 900095 under the same kind of draw, with `producerSendsAcrossEpochs` on: the controller is
 * isolated while b3 loses its page cache and restarts, so at the heal it still holds b3's previous
 * registration and names b3 leader of p1. A KRaft broker takes no partition role before its new
 * registration is accepted; b3 then leaves the ISR on registering and the partition's committed
 * records stay. Only the switch's own violation remains.
 */
describe('a restarted KRaft broker does not lead before it has registered again', () => {
  const scenario = (bugs: string[]): Scenario => {
    const base = families.aggressive.scenario(900095);
    return {
      ...base,
      config: { ...base.config, replicaLagTimeMaxMs: 5000, sessionTimeoutMs: 4000 },
      network: { latency: { dist: 'constant', micros: 5803 }, loss: 0.037, fifo: true },
      bugs,
    } as Scenario;
  };

  it('seed 900095: the power-cut b3 is not elected on its stale registration', { timeout: 120_000 }, () => {
    const result = runScenario(
      scenario(['producerSendsAcrossEpochs']),
      { registry },
      { stateMode: 'mutable', trace: 'off' },
    );
    expect(result.violations.map((v) => v.invariant)).toEqual(['producer-order']);
  });

  it(
    'brokerLeadsBeforeRegistering: b3 leads its cut log and acknowledged records are lost',
    { timeout: 120_000 },
    () => {
      const bugs = ['producerSendsAcrossEpochs', 'brokerLeadsBeforeRegistering'];
      const result = runScenario(scenario(bugs), { registry }, { stateMode: 'mutable', trace: 'off' });
      expect(result.violations.map((v) => v.invariant)).toContain('no-acked-write-lost');
    },
  );
});
