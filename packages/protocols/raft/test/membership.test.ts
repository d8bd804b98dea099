import { runScenario } from '@dsim/core';
import { describe, expect, it } from 'vitest';
import { defaults } from '../src/config.ts';
import type { Entry } from '../src/entry.ts';
import { membershipFromLog } from '../src/membership-state.ts';
import { invariants, raft } from '../src/index.ts';
import {
  applyConfChange,
  describeMembership,
  isMember,
  isVoter,
  leaveJoint,
  votesMask,
  type Membership,
} from '../src/membership.ts';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const three: Membership = { voters: ['n1', 'n2', 'n3'], outgoing: [], learners: [] };

describe('configuration changes (dissertation ch. 4, etcd confchange)', () => {
  it('a single-server change adds or removes one voter', () => {
    const added = applyConfChange(three, { steps: [{ type: 'addVoter', node: 'n4' }] }, nodes);
    expect(added).toEqual({ voters: ['n1', 'n2', 'n3', 'n4'], outgoing: [], learners: [] });
    const removed = applyConfChange(three, { steps: [{ type: 'remove', node: 'n1' }] }, nodes);
    expect(removed).toEqual({ voters: ['n2', 'n3'], outgoing: [], learners: [] });
  });

  it('refuses to change two voters at once outside joint consensus, and names the fix', () => {
    const two = applyConfChange(
      three,
      {
        steps: [
          { type: 'addVoter', node: 'n4' },
          { type: 'remove', node: 'n1' },
        ],
      },
      nodes,
    );
    expect(two).toMatch(/single-server change.*joint: true/);
  });

  it('joint consensus: C_old,new needs both majorities, and leaving it keeps C_new', () => {
    const joint = applyConfChange(
      three,
      {
        joint: true,
        steps: [
          { type: 'addVoter', node: 'n4' },
          { type: 'addVoter', node: 'n5' },
          { type: 'remove', node: 'n1' },
        ],
      },
      nodes,
    );
    expect(joint).toEqual({ voters: ['n2', 'n3', 'n4', 'n5'], outgoing: ['n1', 'n2', 'n3'], learners: [] });
    const inJoint = joint as Membership;
    expect([votesMask(inJoint, 'n1'), votesMask(inJoint, 'n2'), votesMask(inJoint, 'n5')]).toEqual([2, 3, 1]);
    expect(applyConfChange(inJoint, { steps: [{ type: 'remove', node: 'n2' }] }, nodes)).toMatch(/leave the joint/);
    expect(leaveJoint(inJoint)).toEqual({ voters: ['n2', 'n3', 'n4', 'n5'], outgoing: [], learners: [] });
    expect(describeMembership(inJoint)).toBe('joint n2,n3,n4,n5 & n1,n2,n3');
  });

  it('learners receive the log but do not vote; promoting one makes it a voter', () => {
    const withLearner = applyConfChange(three, { steps: [{ type: 'addLearner', node: 'n4' }] }, nodes) as Membership;
    expect([isMember(withLearner, 'n4'), isVoter(withLearner, 'n4'), votesMask(withLearner, 'n4')]).toEqual([
      true,
      false,
      0,
    ]);
    const promoted = applyConfChange(withLearner, { steps: [{ type: 'addVoter', node: 'n4' }] }, nodes) as Membership;
    expect(promoted).toEqual({ voters: ['n1', 'n2', 'n3', 'n4'], outgoing: [], learners: [] });
  });

  it('refuses unknown nodes and a change that leaves no voter', () => {
    expect(applyConfChange(three, { steps: [{ type: 'addVoter', node: 'n9' }] }, nodes)).toMatch(/no such node 'n9'/);
    const one: Membership = { voters: ['n1'], outgoing: [], learners: [] };
    expect(applyConfChange(one, { steps: [{ type: 'remove', node: 'n1' }] }, nodes)).toMatch(/no voters/);
  });
});

describe('the configuration in force (dissertation §4.1: the latest in the log, committed or not)', () => {
  const ctx = { config: { ...defaults, initialVoters: ['n1', 'n2', 'n3'] }, nodes };
  const four: Membership = { voters: ['n1', 'n2', 'n3', 'n4'], outgoing: [], learners: [] };
  const withN5: Membership = { voters: ['n1', 'n2', 'n3', 'n4', 'n5'], outgoing: [], learners: [] };
  const op = (term: number): Entry => ({ term, kind: 'noop' });
  const config = (term: number, membership: Membership): Entry => ({ term, kind: 'config', membership });

  it('is the newest configuration entry, even uncommitted, then the snapshot’s, then the initial one', () => {
    const log = [op(1), config(1, four), op(2), config(2, withN5), op(2)];
    expect(membershipFromLog({ log, snapshotIndex: 10 }, undefined, ctx)).toEqual({ membership: withN5, index: 14 });
    // A truncation after index 12 drops the newer entry: the older one is back in force.
    expect(membershipFromLog({ log: log.slice(0, 3), snapshotIndex: 10 }, undefined, ctx)).toEqual({
      membership: four,
      index: 12,
    });
    expect(
      membershipFromLog({ log: [op(3)], snapshotIndex: 20 }, { membership: four, membershipIndex: 12 }, ctx),
    ).toEqual({ membership: four, index: 12 });
    expect(membershipFromLog({ log: [], snapshotIndex: 0 }, undefined, ctx)).toEqual({ membership: three, index: 0 });
  });
});

describe('learners never lead', () => {
  it('a transfer to a learner is refused, so only voters lead (etcd ignores MsgTransferLeader to a learner)', () => {
    // Leadership transfers every third operation to a random node, n4 (a learner) included.
    const result = runScenario(
      {
        name: 'raft-learner-transfer',
        protocol: raft,
        nodes: 4,
        seed: 3,
        until: '3s',
        config: { initialVoters: ['n1', 'n2', 'n3'], initialLearners: ['n4'] },
        workload: { name: 'kv', clients: 2, thinkTime: '20ms', stopAt: '2.5s', options: { transferEvery: 3 } },
        invariants: [...invariants],
      },
      {},
      { trace: 'off', stateMode: 'mutable' },
    );
    expect(result.violations).toEqual([]);
    const refused = result.history.filter(
      (entry) =>
        entry.type === 'fail' && String((entry as { error?: unknown }).error ?? '').includes('n4 is not a voter'),
    );
    expect(refused.length).toBeGreaterThan(0);
  });
});
