import { describe, expect, it } from 'vitest';
import {
  casRegisterModel,
  checkLinearizability,
  checkLinearizabilityBruteForce,
  createCasRegisterModel,
  createKvModel,
  kvModel,
  linearizable,
  queueModel,
  registerModel,
  setModel,
} from '../src/index.ts';
import { buildHistory } from './build-history.ts';

describe('checkLinearizability: classics', () => {
  it('accepts a sequential register history', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write'],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
    ]);
    const result = checkLinearizability(history, registerModel);
    expect(result.verdict).toBe('linearizable');
    expect(result.operations).toBe(2);
  });

  it('accepts a read of null before any write', () => {
    const history = buildHistory([
      [0, 'invoke', 'read'],
      [0, 'ok', 'read', null],
    ]);
    expect(checkLinearizability(history, registerModel).verdict).toBe('linearizable');
  });

  it('rejects a stale read after a new write completed', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write'],
      [0, 'invoke', 'write', 2],
      [0, 'ok', 'write'],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
    ]);
    const result = checkLinearizability(history, registerModel);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.evidence?.blocked.description).toBe('read → 1');
    expect(result.evidence?.linearized.map((op) => op.description)).toEqual(['write 1', 'write 2']);
    expect(result.evidence?.stateAfter).toBe(2);
    expect(result.message).toContain('read → 1');
  });

  it('rejects a lost update: two cas from the same value both succeed', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 0],
      [0, 'ok', 'write'],
      [1, 'invoke', 'cas', [0, 1]],
      [2, 'invoke', 'cas', [0, 2]],
      [1, 'ok', 'cas'],
      [2, 'ok', 'cas'],
    ]);
    const result = checkLinearizability(history, casRegisterModel);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.evidence?.blocked.f).toBe('cas');
  });

  it('rejects a lost update on a map: an append that disappears', () => {
    const history = buildHistory([
      [0, 'invoke', 'append', 'a', 'x'],
      [1, 'invoke', 'append', 'b', 'x'],
      [0, 'ok', 'append', undefined, 'x'],
      [1, 'ok', 'append', undefined, 'x'],
      [2, 'invoke', 'get', undefined, 'x'],
      [2, 'ok', 'get', 'b', 'x'],
    ]);
    const result = checkLinearizability(history, kvModel);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.evidence?.key).toBe('x');
  });

  it('rejects a read of a value never written', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'read'],
      [0, 'ok', 'write'],
      [1, 'ok', 'read', 7],
    ]);
    const result = checkLinearizability(history, registerModel);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.evidence?.blocked.description).toBe('read → 7');
    expect(result.evidence?.concurrent.map((op) => op.description)).toEqual([]);
  });

  it('rejects two readers who see two concurrent writes in opposite orders', () => {
    // Writes 1 and 2 overlap each other and all four reads; reader A sees 1 then 2, reader B
    // sees 2 then 1. Either write order explains one reader, never both.
    const history = buildHistory([
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'write', 2],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', 1],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', 2],
      [3, 'invoke', 'read'],
      [3, 'ok', 'read', 2],
      [3, 'invoke', 'read'],
      [3, 'ok', 'read', 1],
      [0, 'ok', 'write'],
      [1, 'ok', 'write'],
    ]);
    expect(checkLinearizability(history, registerModel).verdict).toBe('not-linearizable');
    // One reader alone is fine.
    const oneReader = buildHistory([
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'write', 2],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', 1],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', 2],
      [0, 'ok', 'write'],
      [1, 'ok', 'write'],
    ]);
    expect(checkLinearizability(oneReader, registerModel).verdict).toBe('linearizable');
  });

  it('accepts a read concurrent with a write seeing either value', () => {
    for (const seen of [null, 1]) {
      const history = buildHistory([
        [0, 'invoke', 'write', 1],
        [1, 'invoke', 'read'],
        [1, 'ok', 'read', seen],
        [0, 'ok', 'write'],
      ]);
      expect(checkLinearizability(history, registerModel).verdict).toBe('linearizable');
    }
  });
});

describe('checkLinearizability: fail and info', () => {
  it('ignores failed writes: their value can never be read', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 1],
      [0, 'fail', 'write'],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
    ]);
    expect(checkLinearizability(history, registerModel).verdict).toBe('not-linearizable');
  });

  it('lets an info write take effect long after its invocation', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write'],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', null],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
    ]);
    expect(checkLinearizability(history, registerModel).verdict).toBe('linearizable');
  });

  it('lets an info write never take effect', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write'],
      [1, 'invoke', 'write', 2],
      [1, 'ok', 'write'],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 2],
    ]);
    expect(checkLinearizability(history, registerModel).verdict).toBe('linearizable');
  });

  it('does not let an info write take effect before it was invoked', () => {
    const history = buildHistory([
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write'],
    ]);
    expect(checkLinearizability(history, registerModel).verdict).toBe('not-linearizable');
  });

  it('treats an invoke with no completion as info', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 3],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 3],
    ]);
    expect(checkLinearizability(history, registerModel).verdict).toBe('linearizable');
  });

  it('applies an info cas only when its expected value matches', () => {
    const history = buildHistory([
      [0, 'invoke', 'cas', [5, 6]],
      [0, 'info', 'cas'],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 6],
    ]);
    expect(checkLinearizability(history, casRegisterModel).verdict).toBe('not-linearizable');
  });
});

describe('checkLinearizability: keys, budget and bad input', () => {
  it('checks keys independently and reports each', () => {
    const history = buildHistory([
      [0, 'invoke', 'put', 'a', 'x'],
      [0, 'ok', 'put', undefined, 'x'],
      [1, 'invoke', 'get', undefined, 'y'],
      [1, 'ok', 'get', 'a', 'y'],
      [1, 'invoke', 'get', undefined, 'x'],
      [1, 'ok', 'get', 'a', 'x'],
    ]);
    const result = checkLinearizability(history, kvModel, { allKeys: true });
    expect(result.verdict).toBe('not-linearizable');
    expect(result.keys.map((key) => [key.key, key.verdict])).toEqual([
      ['x', 'linearizable'],
      ['y', 'not-linearizable'],
    ]);
    expect(result.message).toContain('key "y"');
    // By default the check stops at the first failing key (the smallest first): x is never searched.
    const first = checkLinearizability(history, kvModel);
    expect(first.keys.map((key) => [key.key, key.verdict])).toEqual([
      ['x', 'skipped'],
      ['y', 'not-linearizable'],
    ]);
    expect(first.message).toMatch(/1 other key was not checked/);
  });

  it('says unknown, not a guess, when the step budget runs out', () => {
    const rows: Array<[number, 'invoke' | 'ok', string, unknown?]> = [];
    for (let p = 0; p < 8; p++) rows.push([p, 'invoke', 'write', p]);
    for (let p = 0; p < 8; p++) rows.push([p, 'ok', 'write']);
    rows.push([9, 'invoke', 'read'], [9, 'ok', 'read', 42]);
    // The writes' values are distinct, so the unique-writes check would decide at once: the
    // search's budget is what this test is about.
    const result = checkLinearizability(buildHistory(rows), registerModel, { maxSteps: 50, uniqueWrites: false });
    expect(result.verdict).toBe('unknown');
    expect(result.steps).toBeLessThanOrEqual(50);
    expect(result.message).toMatch(/^unknown: .*budget of 50 steps/);
    expect(checkLinearizability(buildHistory(rows), registerModel, { uniqueWrites: false }).verdict).toBe(
      'not-linearizable',
    );
    const fast = checkLinearizability(buildHistory(rows), registerModel, { maxSteps: 50 });
    expect(fast.verdict).toBe('not-linearizable');
    expect(fast.keys[0]!.method).toBe('unique-writes');
  });

  it('names the history entry for an operation the model does not know', () => {
    const history = buildHistory([
      [0, 'invoke', 'cas', [1, 2]],
      [0, 'ok', 'cas'],
    ]);
    expect(() => checkLinearizability(history, registerModel)).toThrow(
      /history entry 0 \(process 0\): the register model has no operation 'cas'.*--model cas-register/,
    );
    const noKey = buildHistory([
      [0, 'invoke', 'get'],
      [0, 'ok', 'get', null],
    ]);
    expect(() => checkLinearizability(noKey, kvModel)).toThrow(/'get' has no key/);
    const badCas = buildHistory([
      [0, 'invoke', 'cas', 3],
      [0, 'ok', 'cas'],
    ]);
    expect(() => checkLinearizability(badCas, casRegisterModel)).toThrow(/\[expected, next\], got 3/);
  });

  it('returns evidence that survives JSON', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write'],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 2],
    ]);
    const result = checkLinearizability(history, registerModel);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('linearizable invariant', () => {
  const world = (history: ReturnType<typeof buildHistory>) => ({ history }) as never;
  it('is an always/atEnd invariant that passes linearizable histories', () => {
    const invariant = linearizable(registerModel);
    expect(invariant).toMatchObject({ name: 'linearizable-register', kind: 'always', atEnd: true });
    expect(
      invariant.check(
        world(
          buildHistory([
            [0, 'invoke', 'write', 1],
            [0, 'ok', 'write'],
          ]),
        ),
      ),
    ).toBe(true);
  });

  it('fails with the checker message, and treats unknown as a violation unless told otherwise', () => {
    const bad = buildHistory([
      [0, 'invoke', 'read'],
      [0, 'ok', 'read', 9],
    ]);
    expect(linearizable(registerModel).check(world(bad))).toMatch(/^not linearizable \(register model\)/);
    const rows: Array<[number, 'invoke' | 'ok', string, unknown?]> = [];
    for (let p = 0; p < 6; p++) rows.push([p, 'invoke', 'write', p]);
    for (let p = 0; p < 6; p++) rows.push([p, 'ok', 'write']);
    rows.push([9, 'invoke', 'read'], [9, 'ok', 'read', 42]);
    const budget = { maxSteps: 10, uniqueWrites: false };
    expect(linearizable(registerModel, budget).check(world(buildHistory(rows)))).toMatch(/^unknown/);
    expect(linearizable(registerModel, { ...budget, unknown: 'pass' }).check(world(buildHistory(rows)))).toBe(true);
  });
});

describe('model options: failed cas and absent keys', () => {
  // Porcupine's and Jepsen's reading: a failed cas saw a value other than the expected one.
  const failedCas = buildHistory([
    [0, 'invoke', 'write', 1],
    [0, 'ok', 'write'],
    [1, 'invoke', 'cas', [1, 2]],
    [1, 'fail', 'cas'],
    [2, 'invoke', 'read'],
    [2, 'ok', 'read', 1],
  ]);

  it('reads a failed cas as the observation "the value was not the expected one" by default', () => {
    const result = checkLinearizability(failedCas, casRegisterModel);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.evidence?.blocked.description).toBe('cas 1→2 (failed)');
    expect(result.evidence?.blocked.type).toBe('fail');
  });

  it('drops a failed cas with failedCas: drop', () => {
    expect(checkLinearizability(failedCas, createCasRegisterModel({ failedCas: 'drop' })).verdict).toBe('linearizable');
  });

  it('accepts a failed cas concurrent with the write that made it fail', () => {
    const history = buildHistory([
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'cas', [null, 2]],
      [1, 'fail', 'cas'],
      [0, 'ok', 'write'],
    ]);
    expect(checkLinearizability(history, casRegisterModel).verdict).toBe('linearizable');
  });

  it('reads an absent key as null by default, or "" with absentValue', () => {
    const history = buildHistory([
      [0, 'invoke', 'get', undefined, 'x'],
      [0, 'ok', 'get', '', 'x'],
    ]);
    expect(checkLinearizability(history, kvModel).verdict).toBe('not-linearizable');
    expect(checkLinearizability(history, createKvModel({ absentValue: '' })).verdict).toBe('linearizable');
    expect(() => createKvModel({ absentValue: 0 as never })).toThrow(/absentValue must be null or ''/);
  });
});

describe('set and queue models', () => {
  it('checks a grow-only set: a read must see every completed add', () => {
    const history = buildHistory([
      [0, 'invoke', 'add', 1],
      [0, 'ok', 'add'],
      [1, 'invoke', 'add', 2],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', [2, 1]],
      [1, 'ok', 'add'],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', [2]],
    ]);
    const result = checkLinearizability(history, setModel);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.evidence?.blocked.description).toBe('read → [2]');
  });

  it('checks a FIFO queue: dequeues return the oldest element', () => {
    const fifo = buildHistory([
      [0, 'invoke', 'enqueue', 'a'],
      [0, 'ok', 'enqueue'],
      [0, 'invoke', 'enqueue', 'b'],
      [0, 'ok', 'enqueue'],
      [1, 'invoke', 'dequeue'],
      [1, 'ok', 'dequeue', 'a'],
      [1, 'invoke', 'dequeue'],
      [1, 'ok', 'dequeue', 'b'],
      [1, 'invoke', 'dequeue'],
      [1, 'ok', 'dequeue', null],
    ]);
    expect(checkLinearizability(fifo, queueModel).verdict).toBe('linearizable');
    const lifo = buildHistory([
      [0, 'invoke', 'enqueue', 'a'],
      [0, 'ok', 'enqueue'],
      [0, 'invoke', 'enqueue', 'b'],
      [0, 'ok', 'enqueue'],
      [1, 'invoke', 'dequeue'],
      [1, 'ok', 'dequeue', 'b'],
    ]);
    expect(checkLinearizability(lifo, queueModel).verdict).toBe('not-linearizable');
  });
});

describe('which algorithm decides a key', () => {
  it('takes the unique-writes check for distinct written values and the search otherwise', () => {
    const unique = buildHistory([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write'],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
    ]);
    expect(checkLinearizability(unique, registerModel).keys[0]!.method).toBe('unique-writes');
    const twice = buildHistory([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write'],
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write'],
    ]);
    expect(checkLinearizability(twice, registerModel).keys[0]!.method).toBe('search');
    // A write of the initial value makes a read of it ambiguous: the search decides.
    const initial = buildHistory([
      [0, 'invoke', 'write', null],
      [0, 'ok', 'write'],
    ]);
    expect(checkLinearizability(initial, registerModel).keys[0]!.method).toBe('search');
    const cas = buildHistory([
      [0, 'invoke', 'cas', [null, 1]],
      [0, 'ok', 'cas'],
    ]);
    expect(checkLinearizability(cas, casRegisterModel).keys[0]!.method).toBe('search');
    const result = checkLinearizability(unique, registerModel);
    expect(result.methods).toEqual({ 'unique-writes': 1, search: 0, none: 0 });
    expect(result.message).toMatch(/keys decided 1 by the unique-writes check/);
  });
});

describe('the search is not distracted by reads', () => {
  // A write of 2 is invoked, then 16 reads that overlap it; half return the old value 1, half
  // the new value 2. Reads change nothing, so a read that fits is linearized at once (Model.
  // observesOnly): the search takes each read once. Searched without that, it first linearizes
  // the write and tries subsets of the reads of 2 before backing out (19,518 steps).
  it('decides 16 reads around one write in a number of steps linear in the reads', () => {
    const rows: Array<[number, 'invoke' | 'ok', string, unknown?]> = [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write'],
      [1, 'invoke', 'write', 2],
    ];
    for (let p = 0; p < 16; p++) rows.push([10 + p, 'invoke', 'read']);
    for (let p = 0; p < 16; p++) rows.push([10 + p, 'ok', 'read', p % 2 === 0 ? 2 : 1]);
    rows.push([1, 'ok', 'write']);
    const result = checkLinearizability(buildHistory(rows), registerModel, { uniqueWrites: false });
    expect(result.verdict).toBe('linearizable');
    expect(result.steps).toBeLessThanOrEqual(4 * rows.length);
    // One stale read of 1 after the write completed is still caught.
    const stale = buildHistory([...rows, [30, 'invoke', 'read'], [30, 'ok', 'read', 1]]);
    expect(checkLinearizability(stale, registerModel, { uniqueWrites: false }).verdict).toBe('not-linearizable');
  });
});

describe('concurrent appends: their order is left open until a read shows it', () => {
  const kv = createKvModel({ absentValue: '' });
  type Row = [number, 'invoke' | 'ok', string, unknown?, string?];

  it('one read may see the order another read rules out, when a write brings its value back', () => {
    // Appends 1 and 2 overlap; process 2 reads "2,1,"; then a write puts "1,2," back, which the
    // long read of process 4 sees: 2, 1, read, write, read. Taking the long read as soon as the
    // appends fit it ("1,2,") would fix their order wrongly, so it is not forced there.
    const rows: Row[] = [
      [4, 'invoke', 'get', undefined, 'x'],
      [0, 'invoke', 'append', '1,', 'x'],
      [1, 'invoke', 'append', '2,', 'x'],
      [0, 'ok', 'append', undefined, 'x'],
      [1, 'ok', 'append', undefined, 'x'],
      [2, 'invoke', 'get', undefined, 'x'],
      [3, 'invoke', 'put', '1,2,', 'x'],
      [2, 'ok', 'get', '2,1,', 'x'],
      [3, 'ok', 'put', undefined, 'x'],
      [4, 'ok', 'get', '1,2,', 'x'],
    ];
    const history = buildHistory(rows);
    expect(checkLinearizabilityBruteForce(history, kv)).toBe(true);
    expect(checkLinearizability(history, kv).verdict).toBe('linearizable');
  });

  it('a read that sees two appends in an order real time forbids is not linearizable', () => {
    const history = buildHistory([
      [0, 'invoke', 'append', '1,', 'x'],
      [0, 'ok', 'append', undefined, 'x'],
      [1, 'invoke', 'append', '2,', 'x'],
      [2, 'invoke', 'get', undefined, 'x'],
      [1, 'ok', 'append', undefined, 'x'],
      [2, 'ok', 'get', '2,1,', 'x'],
    ]);
    expect(checkLinearizabilityBruteForce(history, kv)).toBe(false);
    expect(checkLinearizability(history, kv).verdict).toBe('not-linearizable');
  });

  // Seven overlapping appends, then a read of all of them: searched order by order, the search
  // tries the orders the memo cannot merge (each is another string); with the order left open,
  // the appends are one configuration per subset and the read picks the order it saw (15 steps
  // against 20,934).
  it('decides seven overlapping appends and a read in fewer steps than the search of every order', () => {
    const rows: Row[] = [];
    for (let p = 0; p < 7; p++) rows.push([p, 'invoke', 'append', `${p},`, 'x']);
    for (let p = 0; p < 7; p++) rows.push([p, 'ok', 'append', undefined, 'x']);
    const seen = [5, 2, 0, 3, 6, 1, 4].map((p) => `${p},`).join('');
    rows.push([9, 'invoke', 'get', undefined, 'x'], [9, 'ok', 'get', seen, 'x']);
    const history = buildHistory(rows);
    const deferred = checkLinearizability(history, kv);
    const everyOrder = checkLinearizability(history, kv, { deferAppends: false });
    expect(deferred.verdict).toBe('linearizable');
    expect(everyOrder.verdict).toBe('linearizable');
    expect(deferred.steps * 10).toBeLessThan(everyOrder.steps);
    // The same read of an order no append could give is caught either way.
    const wrong = buildHistory([...rows.slice(0, -1), [9, 'ok', 'get', `${seen}8,`, 'x']]);
    expect(checkLinearizability(wrong, kv).verdict).toBe('not-linearizable');
    expect(checkLinearizability(wrong, kv, { deferAppends: false }).verdict).toBe('not-linearizable');
  });
});
