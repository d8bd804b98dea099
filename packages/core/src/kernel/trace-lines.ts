import type { NodeId } from '../author/protocol.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import { utf8 } from '../trace/recorder.ts';

// The fixed pieces of the hand-written trace lines.
const DELIVER_ID = utf8(',"k":"deliver","id":');
const DROP_ID = utf8(',"k":"drop","id":');
const SEND_ID = utf8(',"k":"send","id":');
const TIMER_NODE = utf8(',"k":"timer","node":');
const STATE_NODE = utf8(',"k":"state","node":');
const FROM = utf8(',"from":');
const TO = utf8(',"to":');
const REASON = utf8(',"reason":');
const NAME = utf8(',"name":');
const DESC = utf8(',"desc":');
const MSG = utf8(',"msg":');
const SUMMARY = utf8(',"summary":');
const FULL_STATE = utf8(',"state":');
const DUP_CLOSE = utf8(',"dup":true}');
const CLOSE = utf8('}');

/**
 * The trace lines written for nearly every event (send, deliver, drop, timer, state), written
 * piece by piece into the recorder's bytes with the fixed parts encoded once. Each line is byte for
 * byte the JSON.stringify of its TraceEvent, which the recorder writes for every other kind; a test
 * (trace-lines.test.ts) holds every method to that plain twin.
 */
export class TraceLines {
  /** Each node id as JSON, in UTF-8. */
  private readonly nodeBytes: Uint8Array[];

  constructor(
    private readonly trace: TraceRecorder,
    nodes: readonly NodeId[],
  ) {
    this.nodeBytes = nodes.map((node) => utf8(JSON.stringify(node)));
  }

  deliver(now: number, id: number, from: number, to: number, duplicate: boolean): void {
    const trace = this.trace;
    trace.begin(now);
    trace.bytes(DELIVER_ID);
    trace.integer(id);
    this.link(from, to);
    trace.bytes(duplicate ? DUP_CLOSE : CLOSE);
    trace.end();
  }

  drop(now: number, id: number, from: number, to: number, reason: string, duplicate: boolean): void {
    const trace = this.trace;
    trace.begin(now);
    trace.bytes(DROP_ID);
    trace.integer(id);
    this.link(from, to);
    trace.bytes(REASON);
    trace.string(reason);
    trace.bytes(duplicate ? DUP_CLOSE : CLOSE);
    trace.end();
  }

  send(now: number, id: number, from: number, to: number, desc: string, msg: unknown): void {
    const trace = this.trace;
    trace.begin(now);
    trace.bytes(SEND_ID);
    trace.integer(id);
    this.link(from, to);
    trace.bytes(DESC);
    trace.value(desc);
    trace.bytes(MSG);
    trace.value(msg);
    trace.bytes(CLOSE);
    trace.end();
  }

  timer(now: number, node: number, name: string): void {
    const trace = this.trace;
    trace.begin(now);
    trace.bytes(TIMER_NODE);
    trace.bytes(this.nodeBytes[node]!);
    trace.bytes(NAME);
    trace.string(name);
    trace.bytes(CLOSE);
    trace.end();
  }

  /**
   * A state line, unless the summary's bytes equal `last` (the node's summary last written): then
   * nothing is written and `last` is returned. Otherwise returns the new summary's bytes.
   * `fullState`, when given, is written too.
   */
  state(
    now: number,
    node: number,
    summary: unknown,
    last: Uint8Array | undefined,
    withFullState: boolean,
    fullState: unknown,
  ): Uint8Array | undefined {
    const trace = this.trace;
    trace.begin(now);
    trace.bytes(STATE_NODE);
    trace.bytes(this.nodeBytes[node]!);
    trace.bytes(SUMMARY);
    const from = trace.lineOffset();
    trace.value(summary);
    if (trace.sameSince(from, last)) {
      trace.abandonLine();
      return last;
    }
    const written = trace.copySince(from);
    if (withFullState) {
      trace.bytes(FULL_STATE);
      trace.value(fullState);
    }
    trace.bytes(CLOSE);
    trace.end();
    return written;
  }

  /** `,"from":<node>,"to":<node>`, shared by the message lines. */
  private link(from: number, to: number): void {
    const trace = this.trace;
    trace.bytes(FROM);
    trace.bytes(this.nodeBytes[from]!);
    trace.bytes(TO);
    trace.bytes(this.nodeBytes[to]!);
  }
}
