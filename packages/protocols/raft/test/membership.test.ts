import { describe, expect, it } from 'vitest';
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
