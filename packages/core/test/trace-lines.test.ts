import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../src/index.ts';
import { TraceLines } from '../src/kernel/trace-lines.ts';
import { TraceRecorder } from '../src/trace/recorder.ts';

/**
 * The kernel writes its most frequent trace lines by hand (TraceLines). Each must be byte for byte
 * what the recorder writes for the same event object through JSON.stringify's rules: the plain twin.
 */
const nodeId = fc.oneof(fc.constantFrom('n1', 'n2', 'n3'), fc.string({ minLength: 1, maxLength: 6 }));
const time = fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
const messageId = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });

function both(nodes: readonly string[], fast: (lines: TraceLines) => void, plain: TraceEvent): [string, string] {
  const recorder = new TraceRecorder('memory');
  fast(new TraceLines(recorder, nodes));
  const reference = new TraceRecorder('memory');
  reference.write(plain);
  return [recorder.text(), reference.text()];
}

describe('TraceLines writes exactly the line the recorder writes for the event', () => {
  it('send, deliver, drop and timer lines, with any ids, names, descriptions and messages', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(nodeId, { minLength: 2, maxLength: 4 }),
        time,
        messageId,
        fc.string(),
        fc.jsonValue(),
        fc.boolean(),
        (nodes, t, id, text, msg, dup) => {
          const [from, to] = [nodes[0]!, nodes[1]!];
          const cases: Array<[(lines: TraceLines) => void, TraceEvent]> = [
            [(l) => l.send(t, id, 0, 1, text, msg), { t, k: 'send', id, from, to, desc: text, msg }],
            [
              (l) => l.deliver(t, id, 0, 1, dup),
              dup ? { t, k: 'deliver', id, from, to, dup } : { t, k: 'deliver', id, from, to },
            ],
            [
              (l) => l.drop(t, id, 1, 0, text, dup),
              dup
                ? { t, k: 'drop', id, from: to, to: from, reason: text, dup }
                : { t, k: 'drop', id, from: to, to: from, reason: text },
            ],
            [(l) => l.timer(t, 1, text), { t, k: 'timer', node: to, name: text }],
          ];
          for (const [fast, plain] of cases) {
            const [written, expected] = both(nodes, fast, plain);
            expect(written).toBe(expected);
          }
        },
      ),
    );
  });

  it('state lines, with and without the full state, and nothing for a summary equal to the last one', () => {
    fc.assert(
      fc.property(
        nodeId,
        time,
        fc.tuple(fc.string(), fc.dictionary(fc.string(), fc.jsonValue())).map(([role, rest]) => ({ ...rest, role })),
        fc.jsonValue(),
        fc.boolean(),
        (node, t, summary, state, full) => {
          const recorder = new TraceRecorder('memory');
          const lines = new TraceLines(recorder, [node]);
          const first = lines.state(t, 0, summary, undefined, full, state);
          const again = lines.state(t, 0, structuredClone(summary), first, full, state);
          expect(again).toBe(first);
          const reference = new TraceRecorder('memory');
          reference.write(full ? { t, k: 'state', node, summary, state } : { t, k: 'state', node, summary });
          expect(recorder.text()).toBe(reference.text());
        },
      ),
    );
  });
});
