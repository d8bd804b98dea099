import { describe, expect, it } from 'vitest';
import { hashTrace, parseTrace, runScenario } from '../src/index.ts';
import { baseScenario, recorder } from './fixtures.ts';

const run = () =>
  runScenario(
    baseScenario(recorder({ init: (ctx) => ctx.send(ctx.peers[0]!, { n: 1 }) }), {
      faults: [{ at: '1s', fault: { type: 'crash', node: 'n2' } }],
    }),
  );

describe('trace format', () => {
  it('the hash of the file bytes equals the run hash', () => {
    const result = run();
    expect(hashTrace(result.trace.join('\n') + '\n')).toBe(result.hash);
  });

  it('round-trips: every line parses, header first, end last', () => {
    const parsed = parseTrace(run().trace.join('\n') + '\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.complete).toBe(true);
    expect(parsed.header).toMatchObject({ format: 'dsim-trace', version: 2, nodes: ['n1', 'n2'] });
    expect(parsed.events.at(-1)!.k).toBe('end');
  });

  it('a truncated trace keeps its valid part and says where it was cut', () => {
    const text = run().trace.join('\n');
    const cut = text.slice(0, text.length - 20);
    const parsed = parseTrace(cut);
    expect(parsed.complete).toBe(false);
    expect(parsed.events.length).toBeGreaterThan(3);
    expect(parsed.problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/last line is not complete JSON \(the trace looks truncated\)/),
      expect.stringMatching(/no 'end' event: it was cut short/),
    ]);
  });

  it('names the line and the problem for malformed events, and keeps going', () => {
    const lines = run().trace.slice();
    lines.splice(2, 0, '{"t":5,"k":"teleport"}', '{"k":"send"}', 'not json', '{"t":1,"k":"send","id":1,"from":"n1"}');
    const parsed = parseTrace(lines.join('\n'));
    expect(parsed.problems).toEqual([
      { line: 3, message: expect.stringMatching(/unknown event kind 'teleport'/) },
      { line: 4, message: "field 't' must be a non-negative integer time in microseconds" },
      { line: 5, message: expect.stringMatching(/^not valid JSON/) },
      { line: 6, message: "'send' event is missing field 'to'" },
    ]);
    expect(parsed.complete).toBe(true);
  });

  it('says plainly when a file is not a dsim trace at all', () => {
    expect(parseTrace('{"hello":"world"}\n').problems[0]).toEqual({
      line: 1,
      message: expect.stringMatching(/not a dsim trace header/),
    });
  });
});
