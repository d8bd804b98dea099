import type { NodeView, TraceEvent } from '@dsim/core';
import { clockOffsetAt, localTime } from '../model/frame.ts';
import { brief, describeEvent, describeOperation, formatDuration, formatTime } from '../model/describe.ts';
import type { Verdict } from '../model/linearizability.ts';
import { causalCut, laneOf } from '../model/causality.ts';
import { KIND } from '../model/trace-model.ts';
import { COLORS } from './palette.ts';
import { el, type Controller, type DrawContext } from './context.ts';

const LOG_ROWS = 14;
/**
 * While only the cursor moves (scrubbing, playing), the panel is rebuilt at most this often: a
 * rebuild restyles and lays out a few hundred elements, the largest layout cost of a scrubbed
 * frame, for text nobody reads at 60 changes a second. A new selection or verdict shows at once.
 */
const MOVING_REBUILD_MS = 120;

/**
 * The inspector: the selected node's summary (and full state when the trace has it) as of the
 * cursor, the selected message or operation, the checker's verdict, and the events around the cursor.
 */
export class Inspector {
  private lastKey = '';
  /** What the panel shows apart from the cursor, and when it was last rebuilt (performance.now). */
  private lastSubject = '';
  private lastBuiltAt = -Infinity;

  constructor(
    private readonly root: HTMLElement,
    private readonly controller: Controller,
    private readonly getVerdict: () => Verdict | undefined,
  ) {}

  /** Rebuilds the panel when what it shows changed (see MOVING_REBUILD_MS); `now` rebuilds it at once. */
  draw(context: DrawContext, now = false): void {
    const { frame, selection } = context;
    const verdict = this.getVerdict();
    const subject = `${JSON.stringify(selection ?? null)}|${verdict?.status ?? ''}|${context.loaded.model.events.length}`;
    const key = `${frame.index}|${Math.round(context.time)}|${subject}`;
    if (key === this.lastKey) return;
    const at = performance.now();
    if (!now && subject === this.lastSubject && at - this.lastBuiltAt < MOVING_REBUILD_MS) {
      // Shown on a later frame, once the cursor has stopped or the interval has passed.
      this.controller.requestDraw();
      return;
    }
    this.lastKey = key;
    this.lastSubject = subject;
    this.lastBuiltAt = at;
    const sections: HTMLElement[] = [];
    if (selection?.kind === 'node') sections.push(this.node(context, selection.node));
    else if (selection?.kind === 'message') sections.push(this.message(context, selection.id));
    else if (selection?.kind === 'operation') sections.push(this.operation(context, selection.position, verdict));
    else if (selection?.kind === 'event') sections.push(this.event(context, selection.index));
    else {
      const hint = section('Inspector');
      hint.append(
        el('p', { class: 'hint' }, 'Click a node, a message (a dot or an arrow) or a client operation to inspect it.'),
      );
      sections.push(hint);
    }
    if (verdict?.status === 'not-linearizable' && verdict.failing !== undefined)
      sections.push(this.evidence(context, verdict));
    sections.push(this.log(context));
    this.root.replaceChildren(...sections);
  }

  private node(context: DrawContext, index: number): HTMLElement {
    const { loaded, frame, time } = context;
    const { model } = loaded;
    const node = frame.nodes[index]!;
    const id = model.nodes[index]!;
    const box = section(`Node ${id}`);
    box.dataset.inspect = `node:${id}`;
    const status = node.crashed ? 'crashed' : node.paused ? 'paused' : node.started ? 'up' : 'not started';
    const rows: Array<[string, string, string?]> = [
      [
        'status',
        `${status}${node.started ? ` since ${formatTime(node.since)}` : ''}`,
        node.crashed ? COLORS.cut : node.paused ? COLORS.paused : undefined,
      ],
      [
        'local clock',
        `${formatTime(localTime(node, time))} (${formatDuration(clockOffsetAt(node, time), true)} from true time)`,
      ],
      ['drift', `${node.clockDriftPpm} ppm`],
    ];
    if (node.summary) {
      for (const [field, value] of Object.entries(node.summary)) {
        rows.push([field, brief(value, 80), field === 'role' ? loaded.roleColors.get(String(value)) : undefined]);
      }
    } else rows.push(['summary', node.crashed ? '(volatile state lost)' : '(none yet)']);
    box.append(table(rows));
    if (node.view) box.append(...viewSections(node.view, node.crashed));
    for (const lost of node.lost.filter((l) => l.time <= time).slice(-3))
      box.append(
        el(
          'p',
          { class: 'lost' },
          `lost at ${formatTime(lost.time)}: index ${lost.index} held ${lost.was.label}${lost.was.term !== undefined ? ` (term ${lost.was.term})` : ''} under a commit mark; now ${lost.now ? lost.now.label : 'nothing'}`,
        ),
      );
    if (node.state !== undefined) {
      const details = el('details');
      details.append(el('summary', {}, 'full state'), el('pre', {}, JSON.stringify(node.state, null, 2)));
      box.append(details);
    }
    return box;
  }

  private message(context: DrawContext, id: number): HTMLElement {
    const { model } = context.loaded;
    const box = section(`Message #${id}`);
    box.dataset.inspect = `message:${id}`;
    const s = model.messages.sendIndex[id] ?? -1;
    if (s < 0) {
      box.append(el('p', { class: 'hint' }, 'Its send is not in the trace.'));
      return box;
    }
    const send = model.events[s] as Extract<TraceEvent, { k: 'send' }>;
    const rows: Array<[string, string, string?]> = [
      ['from → to', `${send.from} → ${send.to}`],
      ['message', send.desc],
      ['sent', formatTime(send.t)],
    ];
    const e = model.messages.endIndex[id]!;
    if (e >= 0) {
      const end = model.events[e]!;
      if (end.k === 'drop')
        rows.push(['dropped', `${formatTime(end.t)} — ${end.reason}`, context.loaded.dropColors.get(end.reason)]);
      else rows.push(['delivered', `${formatTime(end.t)} (after ${formatDuration(end.t - send.t)})`]);
      if (model.messages.endCount[id]! > 1)
        rows.push(['duplicated', `${model.messages.endCount[id]} arrivals`, COLORS.info]);
    } else rows.push(['arrives', 'not within the trace']);
    box.append(table(rows));
    box.append(el('pre', {}, JSON.stringify(send.msg, null, 2)));
    const seek = el('button', { class: 'small' }, 'Go to send');
    seek.addEventListener('click', () => this.controller.seekTime(send.t));
    box.append(seek);
    return box;
  }

  private operation(context: DrawContext, position: number, verdict: Verdict | undefined): HTMLElement {
    const op = context.loaded.model.operations[position]!;
    const box = section(`Operation ${op.req}`);
    box.dataset.inspect = `operation:${op.req}`;
    const rows: Array<[string, string, string?]> = [
      ['client', `${op.client} (process ${op.process}) → ${op.node ?? '?'}`],
      ['operation', describeOperation(op.op)],
      ['invoked', formatTime(op.invokeTime)],
      [
        'outcome',
        op.type === 'pending'
          ? 'no completion in the trace'
          : `${op.type} at ${formatTime(op.completeTime)} (${formatDuration(op.completeTime - op.invokeTime)})`,
        op.type === 'ok' ? COLORS.ok : op.type === 'fail' ? COLORS.fail : COLORS.info,
      ],
    ];
    if (op.value !== undefined) rows.push(['result', brief(op.value, 80)]);
    if (op.error) rows.push(['error', op.error]);
    if (verdict?.failing === position)
      rows.push(['checker', 'cannot be placed in any linearization', COLORS.violation]);
    else if (verdict?.prefix?.has(position))
      rows.push([
        'checker',
        `in the longest linearizable prefix (#${verdict.prefixOrder!.indexOf(position) + 1})`,
        COLORS.ok,
      ]);
    box.append(table(rows));
    return box;
  }

  private event(context: DrawContext, index: number): HTMLElement {
    const { model } = context.loaded;
    const event = model.events[index]!;
    const box = section(`Event #${index}`);
    box.dataset.inspect = `event:${index}`;
    box.append(el('p', {}, `${formatTime(event.t)} ${describeEvent(event)}`));
    if (laneOf(model, index) >= 0) {
      // The space-time view shades the same cut; here it is in numbers.
      const cut = causalCut(model, index);
      let past = 0;
      let future = 0;
      for (let lane = 0; lane < model.nodes.length; lane++) past += cut.clock[lane]!;
      for (let i = index + 1; i < model.events.length; i++) {
        const lane = laneOf(model, i);
        if (lane >= 0 && i >= cut.future[lane]!) future++;
      }
      const clock = model.nodes.map((node, lane) => `${node}:${cut.clock[lane]}`).join(' ');
      box.append(
        table([
          ['vector clock', clock],
          ['causal past', `${past - 1} events happened before it`, '#7cc58a'],
          ['causal future', `${future} events happened after it`, '#c08fe0'],
        ]),
      );
    }
    box.append(el('pre', {}, JSON.stringify(event, null, 2)));
    return box;
  }

  /**
   * The checker's evidence as Porcupine shows it: the longest prefix of operations that does
   * linearize, in its order, then the operation that cannot be placed after it, with the writes
   * to its key that a read could have seen.
   */
  private evidence(context: DrawContext, verdict: Verdict): HTMLElement {
    const { model } = context.loaded;
    const failing = model.operations[verdict.failing!]!;
    const box = section('Not linearizable');
    box.dataset.inspect = 'evidence';
    box.append(
      el('p', {}, verdict.message),
      el(
        'p',
        { class: 'failing' },
        `cannot be placed: ${failing.client} ${describeOperation(failing.op)}${failing.value !== undefined ? ` → ${brief(failing.value, 40)}` : ''} (${failing.type}, ${formatTime(failing.invokeTime)}–${formatTime(failing.completeTime)})`,
      ),
    );
    const go = el('button', { class: 'small', id: 'go-to-failing' }, 'Go to failing operation');
    go.addEventListener('click', () => {
      this.controller.seekTime(failing.invokeTime);
      this.controller.select({ kind: 'operation', position: failing.position });
    });
    box.append(go);
    const order = verdict.prefixOrder ?? [];
    const list = el('ol', { class: 'prefix' });
    const key = failing.op.key;
    // The tail of the prefix, and the last writes to the failing operation's key in it.
    const isWrite = (position: number) => {
      const op = model.operations[position]!;
      return key !== undefined && op.op.key === key && op.op.f !== 'get' && op.op.f !== 'read';
    };
    const lastWrites = new Set(order.filter(isWrite).slice(-6));
    const shown = order.filter((position, k) => k >= order.length - 4 || lastWrites.has(position));
    for (const position of shown) {
      const op = model.operations[position]!;
      const item = el(
        'li',
        { value: String(order.indexOf(position) + 1) },
        `${op.client} ${describeOperation(op.op)}${op.value !== undefined ? ` → ${brief(op.value, 30)}` : ''} (${op.type})`,
      );
      if (key !== undefined && op.op.key === key) item.classList.add('same-key');
      item.addEventListener('click', () => this.controller.select({ kind: 'operation', position }));
      list.append(item);
    }
    box.append(
      el(
        'p',
        { class: 'hint' },
        `The longest linearizable prefix: ${order.length} operations (its tail and the last writes to ${key ?? 'the same key'} shown):`,
      ),
      list,
    );
    return box;
  }

  private log(context: DrawContext): HTMLElement {
    const { loaded, frame } = context;
    const { model } = loaded;
    const box = section('Events at the cursor');
    const list = el('ol', { class: 'log', start: String(Math.max(0, frame.index - LOG_ROWS + 3)) });
    const from = Math.max(0, frame.index - (LOG_ROWS - 3));
    const to = Math.min(model.events.length, from + LOG_ROWS);
    for (let i = from; i < to; i++) {
      const event = model.events[i]!;
      const item = el('li', { class: i < frame.index ? (i === frame.index - 1 ? 'current' : 'past') : 'future' });
      const kind = model.kinds[i]!;
      if (kind === KIND.fault) item.classList.add('fault');
      if (kind === KIND.violation || kind === KIND.error) item.classList.add('violation');
      item.append(
        el('span', { class: 'time' }, formatTime(event.t)),
        el('span', { class: 'text' }, describeEvent(event)),
      );
      item.addEventListener('click', () => {
        const id = model.messageIds[i]!;
        this.controller.seekTime(event.t);
        this.controller.select(
          id >= 0
            ? { kind: 'message', id }
            : model.nodeA[i]! >= 0 && kind !== KIND.fault
              ? { kind: 'node', node: model.nodeA[i]! }
              : { kind: 'event', index: i },
        );
      });
      list.append(item);
    }
    box.append(list);
    return box;
  }
}

/** A node's view as the inspector lists it: badges and fields, its logs' marks, its tables, its edges. */
function viewSections(view: NodeView, stale: boolean): HTMLElement[] {
  const toned = (tone: string | undefined) =>
    tone === 'good' ? COLORS.ok : tone === 'warn' ? COLORS.info : tone === 'bad' ? COLORS.violation : undefined;
  const rows: Array<[string, string, string?]> = [];
  for (const badge of view.badges ?? []) rows.push([badge.label, String(badge.value), toned(badge.tone)]);
  for (const field of view.fields ?? []) rows.push([field.label, String(field.value), toned(field.tone)]);
  for (const log of view.logs ?? []) {
    const marks = Object.entries(log.marks ?? {})
      .map(([name, at]) => `${name} ${at}`)
      .join(', ');
    rows.push([
      `log${log.name ? ` ${log.name}` : ''}`,
      `${log.entries.length} entries from ${log.start}${marks ? ` (${marks})` : ''}`,
    ]);
  }
  for (const edge of view.edges ?? []) rows.push([edge.kind, `${edge.to}${edge.label ? ` (${edge.label})` : ''}`]);
  const sections: HTMLElement[] = [el('h4', {}, stale ? 'view (before the crash)' : 'view'), table(rows)];
  for (const t of view.tables ?? []) {
    const element = el('table', { class: 'view-table' });
    const head = el('tr');
    for (const column of t.columns) head.append(el('th', {}, column));
    element.append(el('caption', {}, t.name), head);
    for (const row of t.rows) {
      const tr = el('tr');
      for (const cell of row) tr.append(el('td', {}, cell === null ? '—' : String(cell)));
      element.append(tr);
    }
    sections.push(element);
  }
  return sections;
}

function section(title: string): HTMLElement {
  const box = el('section', { class: 'inspect' });
  box.append(el('h3', {}, title));
  return box;
}

function table(rows: Array<[string, string, string?]>): HTMLElement {
  const element = el('table', { class: 'fields' });
  for (const [name, value, color] of rows) {
    const row = el('tr');
    const cell = el('td', {}, value);
    if (color) cell.style.color = color;
    row.append(el('th', {}, name), cell);
    element.append(row);
  }
  return element;
}
