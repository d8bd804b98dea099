import { createRandom, type ClientView } from '@dsim/core';
import { describe, expect, it } from 'vitest';
import {
  accountsOn,
  coordinatorOf,
  ownerOf,
  participantsOf,
  randomTransfers,
  scriptedTransfers,
} from '../src/index.ts';

const nodes = ['c', 'p1', 'p2', 'p3'];

function clientView(invoked: number): ClientView {
  return {
    client: 'c1',
    index: 0,
    process: 0,
    now: 0,
    invoked,
    random: createRandom(3, `c1/${invoked}`),
    lastOutcome: undefined,
  };
}

describe('bank accounts', () => {
  it('name their owner before the last slash', () => {
    expect(accountsOn('p2', 3)).toEqual(['p2/a0', 'p2/a1', 'p2/a2']);
    expect(ownerOf('p2/a1')).toBe('p2');
    expect(ownerOf('rack/p2/a1')).toBe('rack/p2');
    expect(ownerOf('nobody')).toBe('');
    expect(coordinatorOf(nodes)).toBe('c');
    expect(participantsOf(nodes)).toEqual(['p1', 'p2', 'p3']);
  });
});

describe('randomTransfers', () => {
  it('moves money between three different participants, all through the coordinator', () => {
    const workload = randomTransfers({ accountsPerParticipant: 2, amountMax: 5 }, nodes);
    for (let i = 0; i < 200; i++) {
      const { value } = workload.nextOp(clientView(i))!;
      const sites = [ownerOf(value.from), ownerOf(value.to), ownerOf(value.feeTo!)];
      expect(new Set(sites).size).toBe(3);
      expect(value.amount).toBeGreaterThanOrEqual(1);
      expect(value.amount).toBeLessThanOrEqual(5);
      expect(value.fee).toBe(1);
      expect(workload.chooseNode!(clientView(i), { f: 'transfer', value }, 'p1')).toBe('c');
    }
  });

  it('without a fee, or with two participants, a transfer enlists two sites', () => {
    expect(randomTransfers({ fee: 0 }, nodes).nextOp(clientView(0))!.value.feeTo).toBeUndefined();
    expect(randomTransfers({}, ['c', 'p1', 'p2']).nextOp(clientView(0))!.value.feeTo).toBeUndefined();
  });
});

describe('scriptedTransfers', () => {
  it('hands the list out in order, then stops', () => {
    const list = [
      { from: 'p1/a0', to: 'p2/a0', amount: 1 },
      { from: 'p2/a0', to: 'p1/a0', amount: 2 },
    ];
    const workload = scriptedTransfers({ transfers: list }, nodes);
    expect(workload.nextOp(clientView(0))!.value).toBe(list[0]);
    expect(workload.nextOp(clientView(1))!.value).toBe(list[1]);
    expect(workload.nextOp(clientView(2))).toBeNull();
  });

  it('names the option and its shape when the list is missing', () => {
    expect(() => scriptedTransfers({}, nodes, '{ steps }')).toThrow(
      "workload 'scripted' needs options.transfers: a list of { steps }",
    );
  });
});
