import { runScenario, type Scenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { describe, expect, it } from 'vitest';
import scenario from './fixtures/producer-restart.json' with { type: 'json' };

/**
 * A producer that crashes twice while a broker is isolated (found by a property hunt). Its
 * request ids start again at 1 in every incarnation, so the reply to the second incarnation's
 * request #4 arrives when the third incarnation has its own request #4 in flight. A Kafka client
 * matches a reply by correlation id within one connection, and a restarted process opens new
 * connections: the old reply never reaches it. Matching by id alone took that reply as the
 * acknowledgement of a record the leader never wrote at that offset.
 */
interface TraceEvent {
  readonly t: number;
  readonly k: string;
  readonly id?: number;
  readonly to?: string;
  readonly msg?: { readonly type: string; readonly connection?: number };
  readonly fault?: { readonly type: string; readonly node?: string };
}

describe('a restarted producer and the replies meant for its previous incarnation', () => {
  const result = runScenario(scenario as Scenario, { registry }, { trace: 'memory', stateMode: 'mutable' });
  const events = result.trace.slice(1).map((line) => JSON.parse(line) as TraceEvent);

  it('holds every promised invariant', () => {
    expect(result.violations).toEqual([]);
  });

  it('receives replies sent on an earlier connection after it restarted (the case is reached)', () => {
    let incarnation = 1;
    const replyConnection = new Map<number, number>();
    let staleDelivered = 0;
    for (const event of events) {
      if (event.k === 'fault' && event.fault?.type === 'restart' && event.fault.node === 'p1') incarnation++;
      if (event.k === 'send' && event.to === 'p1' && event.msg?.type === 'ProduceReply')
        replyConnection.set(event.id!, event.msg.connection!);
      if (event.k === 'deliver' && event.to === 'p1' && (replyConnection.get(event.id!) ?? incarnation) < incarnation)
        staleDelivered++;
    }
    expect(incarnation).toBe(3);
    expect(staleDelivered).toBeGreaterThan(0);
  });
});
