import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  jointValue,
  jointValueAbove,
  jointVoteResult,
  majorityValue,
  majorityVoteResult,
  VOTES_INCOMING,
  VOTES_OUTGOING,
  type VoteResult,
} from '../src/quorum.ts';

/**
 * The quorum computations against their definitions, by brute force: a value is reached by a
 * configuration when some majority of its voters all reached it, and an election is won when some
 * majority all granted, lost when every majority holds a rejecter.
 */

interface Member {
  readonly votes: number;
  readonly match: number;
}

/** Every subset of `items`. */
function subsets<T>(items: readonly T[]): T[][] {
  const all: T[][] = [];
  for (let mask = 0; mask < 1 << items.length; mask++) all.push(items.filter((_, i) => (mask & (1 << i)) !== 0));
  return all;
}

function isMajority(subset: readonly unknown[], of: readonly unknown[]): boolean {
  return subset.length * 2 > of.length;
}

/** The largest value that every member of some majority has: max over majorities of their minimum. */
function bruteMajorityValue(values: readonly number[]): number {
  if (values.length === 0) return Infinity;
  let best = -Infinity;
  for (const subset of subsets(values)) if (isMajority(subset, values)) best = Math.max(best, Math.min(...subset));
  return best;
}

function bruteVoteResult(
  voters: readonly string[],
  granted: ReadonlySet<string>,
  rejected: ReadonlySet<string>,
): VoteResult {
  if (voters.length === 0) return 'won';
  const majorities = subsets(voters).filter((subset) => isMajority(subset, voters));
  if (majorities.some((subset) => subset.every((voter) => granted.has(voter)))) return 'won';
  if (majorities.every((subset) => subset.some((voter) => rejected.has(voter)))) return 'lost';
  return 'pending';
}

const matchOf = (member: Member) => member.match;

/** A leader (the "self" the functions take apart) and up to six others, each voting in some of the two configurations. */
/** Values as the callers give them: indexes and contexts, and ±Infinity (the lease's "never" and the leader's "always"). */
const value = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(-Infinity, Infinity) },
);
const cluster = fc.record({
  self: fc.record({ votes: fc.integer({ min: 0, max: 3 }), match: value }),
  members: fc.array(fc.record({ votes: fc.integer({ min: 0, max: 3 }), match: value }), { maxLength: 6 }),
});

function valuesIn(config: number, self: Member, members: readonly Member[]): number[] {
  return [self, ...members].filter((member) => (member.votes & config) !== 0).map((member) => member.match);
}

describe('quorum values (etcd MajorityConfig / JointConfig CommittedIndex)', () => {
  it('a majority value is the largest value some majority of the voters all reached', () => {
    fc.assert(
      fc.property(cluster, ({ self, members }) => {
        for (const config of [VOTES_INCOMING, VOTES_OUTGOING]) {
          expect(majorityValue(members, matchOf, self.match, self.votes, config)).toBe(
            bruteMajorityValue(valuesIn(config, self, members)),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a joint value is reached by a majority of each half: the smaller of the two', () => {
    fc.assert(
      fc.property(cluster, ({ self, members }) => {
        const incoming = bruteMajorityValue(valuesIn(VOTES_INCOMING, self, members));
        const outgoing = bruteMajorityValue(valuesIn(VOTES_OUTGOING, self, members));
        expect(jointValue(members, matchOf, self.match, self.votes)).toBe(Math.min(incoming, outgoing));
      }),
      { numRuns: 500 },
    );
  });

  it('a joint value is above a floor exactly when a majority of each half holds a value above it', () => {
    fc.assert(
      fc.property(cluster, value, ({ self, members }, floor) => {
        const incoming = bruteMajorityValue(valuesIn(VOTES_INCOMING, self, members));
        const outgoing = bruteMajorityValue(valuesIn(VOTES_OUTGOING, self, members));
        expect(jointValueAbove(members, matchOf, self.match, self.votes, floor)).toBe(
          Math.min(incoming, outgoing) > floor,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('examples: three voters, and a joint configuration whose old half lags', () => {
    const three = [
      { votes: 1, match: 5 },
      { votes: 1, match: 2 },
    ];
    expect(majorityValue(three, matchOf, 9, 1, VOTES_INCOMING)).toBe(5);
    // A learner (no votes) never counts, however far ahead.
    expect(majorityValue([...three, { votes: 0, match: 50 }], matchOf, 9, 1, VOTES_INCOMING)).toBe(5);
    // C_new = {self, a, b} at 9, 5, 2; C_old = {self, c, d} at 9, 1, 0: the old half holds commit at 1.
    const joint = [...three, { votes: 2, match: 1 }, { votes: 2, match: 0 }];
    expect(jointValue(joint, matchOf, 9, 3)).toBe(1);
  });
});

const votersArbitrary = fc.uniqueArray(fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'), { maxLength: 7 });

describe('vote results (etcd VoteResult)', () => {
  it('a majority configuration: won, lost or pending as the brute-force definition says', () => {
    fc.assert(
      fc.property(votersArbitrary, votersArbitrary, votersArbitrary, (voters, yes, no) => {
        const granted = yes;
        const rejected = no.filter((voter) => !yes.includes(voter));
        expect(majorityVoteResult(voters, granted, rejected)).toBe(
          bruteVoteResult(voters, new Set(granted), new Set(rejected)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('a joint configuration is won only if both halves win, lost if either loses', () => {
    fc.assert(
      fc.property(votersArbitrary, votersArbitrary, votersArbitrary, votersArbitrary, (incoming, outgoing, yes, no) => {
        const granted = new Set(yes);
        const rejected = new Set(no.filter((voter) => !granted.has(voter)));
        const first = bruteVoteResult(incoming, granted, rejected);
        const second = bruteVoteResult(outgoing, granted, rejected);
        const expected: VoteResult =
          first === 'won' && second === 'won' ? 'won' : first === 'lost' || second === 'lost' ? 'lost' : 'pending';
        expect(jointVoteResult(incoming, outgoing, [...granted], [...rejected])).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
