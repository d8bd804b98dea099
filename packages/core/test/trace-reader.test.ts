import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrace, runScenario, TraceReader } from '../src/index.ts';
import { baseScenario, recorder } from './fixtures.ts';

const traceText = () =>
  runScenario(
    baseScenario(recorder({ init: (ctx) => ctx.send(ctx.peers[0]!, { n: 1 }) }), {
      faults: [{ at: '1s', fault: { type: 'crash', node: 'n2' } }],
    }),
  ).trace.join('\n') + '\n';

/** Reads `text` in the given pieces, reading at most `lines` lines after each piece. */
function readInPieces(text: string, cuts: number[], lines: number[]): ReturnType<TraceReader['finish']> {
  const reader = new TraceReader();
  const points = [...new Set(cuts.map((cut) => Math.min(cut, text.length)))].sort((a, b) => a - b);
  let from = 0;
  points.forEach((to, i) => {
    reader.push(text.slice(from, to));
    reader.read(lines[i % Math.max(1, lines.length)] ?? Infinity);
    from = to;
  });
  reader.push(text.slice(from));
  return reader.finish();
}

describe('TraceReader', () => {
  it('reads a trace in any pieces exactly as parseTrace reads it whole', () => {
    const whole = traceText();
    // Broken lines, blank lines, a line out of time order and a truncated tail: every problem
    // and its line number must come out the same however the text is cut.
    const lines = whole.split('\n');
    const damaged = [
      ...lines.slice(0, 4),
      '',
      '{"t": 5, "k": "nonsense"}',
      'not json',
      ...lines.slice(4, -3),
      '{"t":1,"k":"note","text":"backwards"}',
      lines.at(-3)!.slice(0, 12),
    ].join('\n');
    fc.assert(
      fc.property(
        fc.constantFrom(whole, damaged, whole.trimEnd(), ''),
        fc.array(fc.nat({ max: whole.length }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }),
        (text, cuts, reads) => {
          expect(readInPieces(text, cuts, reads)).toEqual(parseTrace(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('calls a broken last line truncated only when it is the last line', () => {
    const text = traceText();
    const cut = text.slice(0, text.length - 20);
    const parsed = readInPieces(cut, [cut.length - 5], [Infinity as unknown as number]);
    expect(parsed.problems.some((p) => p.message.startsWith('the last line is not complete JSON'))).toBe(true);
    expect(parsed.problems.some((p) => p.message.startsWith('not valid JSON'))).toBe(false);
  });

  it('shows the events read so far while the rest is still to come', () => {
    const text = traceText();
    const reader = new TraceReader();
    const half = text.indexOf('\n', text.length >> 1) + 1;
    reader.push(text.slice(0, half));
    reader.read();
    const early = reader.events.length;
    expect(reader.header?.format).toBe('dsim-trace');
    expect(early).toBeGreaterThan(0);
    reader.push(text.slice(half));
    const parsed = reader.finish();
    expect(parsed.events.length).toBeGreaterThan(early);
    expect(parsed.events).toEqual(parseTrace(text).events);
  });

  it('refuses more text after finishing, naming the fix', () => {
    const reader = new TraceReader();
    reader.finish();
    expect(() => reader.push('x')).toThrow(/make a new one/);
  });
});
