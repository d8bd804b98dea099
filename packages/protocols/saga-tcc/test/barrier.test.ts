import { barrierCall, strictBarrier, type BarrierOp, type BarrierRules } from '@dsim/saga-tcc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** Runs a sequence of calls on one branch through the barrier; returns which ones ran business code. */
function play(ops: readonly BarrierOp[], rules: BarrierRules = strictBarrier) {
  const rows: Record<string, true> = {};
  return ops.map((op) => {
    const verdict = barrierCall(rows, 'g1', op, rules);
    if (verdict.kind !== 'skip') for (const row of verdict.rows) rows[row] = true;
    return verdict.kind === 'skip' ? (verdict.suspended ? 'suspended' : 'skip') : verdict.kind;
  });
}

describe("DTM's barrier truth table (SPECS §2.4)", () => {
  it('Try then Cancel: both run (a real cancel)', () => {
    expect(play(['try', 'cancel'])).toEqual(['run', 'run']);
  });

  it('Cancel first: an empty rollback; a late Try after it is refused (suspension blocked)', () => {
    expect(play(['cancel', 'try'])).toEqual(['empty-rollback', 'suspended']);
  });

  it('a repeated Confirm or Cancel is skipped (idempotent)', () => {
    expect(play(['try', 'confirm', 'confirm'])).toEqual(['run', 'run', 'skip']);
    expect(play(['try', 'cancel', 'cancel'])).toEqual(['run', 'run', 'skip']);
    expect(play(['cancel', 'cancel'])).toEqual(['empty-rollback', 'skip']);
  });

  it('the same rules for a saga action and its compensation', () => {
    expect(play(['compensate', 'action'])).toEqual(['empty-rollback', 'suspended']);
    expect(play(['action', 'compensate', 'compensate'])).toEqual(['run', 'run', 'skip']);
  });

  it('each rule a bug switch removes lets its anomaly through', () => {
    expect(play(['try', 'confirm', 'confirm'], { ...strictBarrier, checkOwnRow: false })).toEqual([
      'run',
      'run',
      'run',
    ]);
    expect(play(['cancel'], { ...strictBarrier, detectEmptyRollback: false })).toEqual(['run']);
    expect(play(['cancel', 'try'], { ...strictBarrier, blockLateTry: false })).toEqual(['empty-rollback', 'run']);
  });
});

describe('the barrier under any order of deliveries (brute-force property)', () => {
  const ops = fc.array(fc.constantFrom<BarrierOp>('try', 'confirm', 'cancel'), { maxLength: 8 });

  it('each operation runs business code at most once; Cancel runs it only after a Try ran; no Try runs after a Cancel', () => {
    fc.assert(
      fc.property(ops, (sequence) => {
        const verdicts = play(sequence);
        const ran = new Set<BarrierOp>();
        let cancelled = false;
        sequence.forEach((op, index) => {
          const verdict = verdicts[index];
          if (verdict === 'run') {
            expect(ran.has(op)).toBe(false);
            if (op === 'cancel') expect(ran.has('try')).toBe(true);
            if (op === 'try') expect(cancelled).toBe(false);
            ran.add(op);
          }
          if (op === 'cancel' && verdict !== 'skip') cancelled = true;
        });
      }),
      { numRuns: 500 },
    );
  });
});
