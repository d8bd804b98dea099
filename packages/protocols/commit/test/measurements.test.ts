import { describe, expect, it } from 'vitest';
import { blockedTimes } from '@dsim/commit';

const header = JSON.stringify({ format: 'dsim-trace', version: 1, nodes: ['c', 'p1', 'p2'] });
const note = (t: number, kind: string, participant: string, tx: number) =>
  JSON.stringify({ t, k: 'note', node: participant, text: kind, data: { kind, tx, participant } });

describe('blockedTimes', () => {
  it('sums blocked episodes per participant from the trace, ending them at unblock, crash, or the end of the run', () => {
    const lines = [
      header,
      note(100, 'blocked', 'p1', 1),
      note(600, 'unblocked', 'p1', 1),
      note(700, 'blocked', 'p1', 2),
      JSON.stringify({ t: 900, k: 'fault', fault: { type: 'crash', node: 'p1' }, desc: 'crash p1' }),
      note(200, 'blocked', 'p2', 1),
      JSON.stringify({ t: 1000, k: 'end', reason: 'until' }),
    ];
    expect(blockedTimes(lines)).toEqual([
      { participant: 'p1', blockedMicros: 700, episodes: 2, longestMicros: 500, stillBlocked: [], source: 'trace' },
      { participant: 'p2', blockedMicros: 800, episodes: 1, longestMicros: 800, stillBlocked: [1], source: 'trace' },
    ]);
  });
});
