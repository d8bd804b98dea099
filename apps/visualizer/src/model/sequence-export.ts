import type { TraceEvent } from '@dsim/core';
import { formatTime } from './describe.ts';
import { KIND, type TraceModel } from './trace-model.ts';

/** A message's kind: the first word of its description ('AppendEntries t=3 …' → 'AppendEntries'). */
export function messageKind(desc: string): string {
  const space = desc.indexOf(' ');
  return space < 0 ? desc : desc.slice(0, space);
}

const kindsCache = new WeakMap<TraceModel, readonly string[]>();

/** Every message kind in the trace, in order of first send. */
export function messageKinds(model: TraceModel): readonly string[] {
  const cached = kindsCache.get(model);
  if (cached) return cached;
  const kinds = new Set<string>();
  for (const send of model.sendEvents)
    kinds.add(messageKind((model.events[send] as Extract<TraceEvent, { k: 'send' }>).desc));
  const list = [...kinds];
  kindsCache.set(model, list);
  return list;
}

/** Which messages a diagram shows: kinds hidden, and text a description must contain (case-insensitive). */
export interface MessageFilter {
  readonly hidden: ReadonlySet<string>;
  readonly search: string;
}

export function shownBy(filter: MessageFilter, desc: string): boolean {
  if (filter.hidden.size > 0 && filter.hidden.has(messageKind(desc))) return false;
  return filter.search === '' || desc.toLowerCase().includes(filter.search.toLowerCase());
}

/** The messages sent in [from, to] that the filter shows, in send order, with their ends. */
function messagesIn(model: TraceModel, from: number, to: number, filter: MessageFilter, limit: number) {
  const result: Array<{ send: Extract<TraceEvent, { k: 'send' }>; end: TraceEvent | undefined }> = [];
  for (const index of model.sendEvents) {
    const t = model.times[index]!;
    if (t < from) continue;
    if (t > to || result.length >= limit) break;
    const send = model.events[index] as Extract<TraceEvent, { k: 'send' }>;
    if (!shownBy(filter, send.desc)) continue;
    const end = model.messages.endIndex[send.id]!;
    result.push({ send, end: end >= 0 ? model.events[end] : undefined });
  }
  return result;
}

/** Mermaid can not take every character in a message label. */
function mermaidText(text: string): string {
  return text.replace(/[;#\n\r]/g, ' ').replace(/:/g, '∶');
}

/**
 * The visible range as a Mermaid sequence diagram: a participant per node, a solid arrow per
 * delivered message, a crossed one per dropped message, faults and violations as notes, in trace order.
 */
export function mermaidSequence(
  model: TraceModel,
  from: number,
  to: number,
  filter: MessageFilter,
  limit = 400,
): string {
  const lines = [
    'sequenceDiagram',
    `  %% ${model.header?.scenario ?? 'trace'} seed ${model.header?.seed ?? '?'}, ${formatTime(from)} to ${formatTime(to)}`,
  ];
  for (const node of model.nodes) lines.push(`  participant ${node}`);
  const messages = messagesIn(model, from, to, filter, limit);
  let m = 0;
  for (let i = 0; i < model.events.length; i++) {
    const t = model.times[i]!;
    if (t < from) continue;
    if (t > to) break;
    const kind = model.kinds[i]!;
    if (kind === KIND.send && m < messages.length && messages[m]!.send === model.events[i]) {
      const { send, end } = messages[m++]!;
      const arrow = end?.k === 'drop' ? '-x' : '->>';
      const note = end?.k === 'drop' ? ` (dropped: ${end.reason})` : '';
      lines.push(`  ${send.from}${arrow}${send.to}: ${mermaidText(`${formatTime(send.t)} ${send.desc}${note}`)}`);
    } else if (kind === KIND.fault || kind === KIND.violation) {
      const event = model.events[i]!;
      const text =
        event.k === 'fault'
          ? `fault: ${event.desc}`
          : event.k === 'violation'
            ? `VIOLATION ${event.invariant}: ${event.message}`
            : '';
      const first = model.nodes[0];
      const last = model.nodes[model.nodes.length - 1];
      if (first !== undefined) lines.push(`  Note over ${first},${last}: ${mermaidText(`${formatTime(t)} ${text}`)}`);
    }
  }
  if (messages.length >= limit) lines.push(`  %% the first ${limit} messages only: narrow the range for the rest`);
  return `${lines.join('\n')}\n`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The visible range as a self-contained SVG space-time diagram: a lane per node, an arrow per
 * message (a crossed stub for a drop) labelled with its description, time ticks along the bottom.
 */
export function spaceTimeSvg(model: TraceModel, from: number, to: number, filter: MessageFilter, limit = 2000): string {
  const laneHeight = 56;
  const left = 70;
  const width = 1200;
  const height = 40 + model.nodes.length * laneHeight + 30;
  const span = Math.max(1, to - from);
  const x = (t: number) => left + ((t - from) / span) * (width - left - 20);
  const y = (lane: number) => 40 + lane * laneHeight + laneHeight / 2;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="10">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#334"/></marker></defs>`,
    `<text x="10" y="20" font-size="12">${xml(`${model.header?.scenario ?? 'trace'} (seed ${model.header?.seed ?? '?'}): ${formatTime(from)} to ${formatTime(to)}`)}</text>`,
  ];
  model.nodes.forEach((node, lane) => {
    parts.push(`<text x="10" y="${y(lane) + 4}" font-size="12">${xml(node)}</text>`);
    parts.push(
      `<line x1="${left}" y1="${y(lane)}" x2="${width - 20}" y2="${y(lane)}" stroke="#99a" stroke-width="1.5"/>`,
    );
  });
  for (const { send, end } of messagesIn(model, from, to, filter, limit)) {
    const a = model.nodeIndex.get(send.from) ?? -1;
    const b = model.nodeIndex.get(send.to) ?? -1;
    if (a < 0 || b < 0) continue;
    const x1 = x(send.t);
    const y1 = y(a);
    if (end?.k === 'drop') {
      const x2 = x1 + (Math.max(x(end.t), x1 + 10) - x1) * 0.6;
      const y2 = y1 + (y(b) - y1) * 0.4;
      parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#d33"/>`);
      parts.push(`<text x="${x2 - 3}" y="${y2 + 4}" fill="#d33">×</text>`);
      parts.push(`<title>${xml(`${send.desc} dropped: ${end.reason}`)}</title>`);
      continue;
    }
    const x2 = end ? x(end.t) : width - 20;
    const y2 = y(b);
    parts.push(
      `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#334" marker-end="url(#arrow)"><title>${xml(send.desc)}</title></line>`,
    );
    parts.push(`<text x="${(x1 + x2) / 2 + 3}" y="${(y1 + y2) / 2 - 2}" fill="#225">${xml(send.desc)}</text>`);
  }
  const ticks = 6;
  for (let k = 0; k <= ticks; k++) {
    const t = from + (span * k) / ticks;
    parts.push(`<text x="${x(t)}" y="${height - 8}" fill="#667">${xml(formatTime(Math.round(t)))}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
