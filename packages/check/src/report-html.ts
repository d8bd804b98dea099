import type { EvidenceOperation, KeyLinearizability, LinearizabilityResult } from './linearizability.ts';
import type { Model } from './model.ts';
import type { CheckedOperation, Partition } from './operations.ts';

export interface LinearizabilityReportInput {
  readonly result: LinearizabilityResult;
  /** The partitions that were checked (the operations drawn for each key). */
  readonly partitions: readonly Partition[];
  readonly model: Model;
  /** The history file's name, shown in the title. */
  readonly source: string;
  /** Operations drawn per key at most (a failing key is drawn around its failure). Default 300. */
  readonly maxOperationsPerKey?: number;
  /** Linearizable keys drawn at most (the rest are listed). Default 20. */
  readonly maxLinearizableKeys?: number;
}

/**
 * A self-contained HTML page (inline SVG and CSS, no script) with a timeline per key in the style
 * of Porcupine's visualization: one lane per process, each operation a bar from its invocation to
 * its completion (in history order), the longest linearizable prefix numbered in linearization
 * order and joined by a line through points where each could take effect, the operation that
 * cannot be placed in red, and the operations it raced with outlined. Every text from the history
 * is escaped, so no value in a history can inject markup or script.
 */
export function renderLinearizabilityReport(input: LinearizabilityReportInput): string {
  const { result, model } = input;
  const maxOps = input.maxOperationsPerKey ?? 300;
  const maxLinearizable = input.maxLinearizableKeys ?? 20;
  const byKey = new Map(input.partitions.map((partition) => [partition.key, partition]));
  const sections: string[] = [];
  const failing = result.keys.filter((key) => key.verdict === 'not-linearizable');
  for (const key of failing) {
    const partition = byKey.get(key.key);
    if (partition) sections.push(failingKeySection(key, partition, model, maxOps));
  }
  let drawn = 0;
  const listed: KeyLinearizability[] = [];
  for (const key of result.keys) {
    if (key.verdict === 'not-linearizable') continue;
    const partition = byKey.get(key.key);
    if (partition && drawn < maxLinearizable && partition.operations.length <= maxOps) {
      sections.push(plainKeySection(key, partition, model));
      drawn++;
    } else listed.push(key);
  }
  const verdictClass = result.verdict === 'linearizable' ? 'ok' : result.verdict === 'unknown' ? 'unknown' : 'bad';
  const rest =
    listed.length === 0
      ? ''
      : `<h2>Other keys</h2><table><tr><th>key</th><th>verdict</th><th>operations</th><th>method</th><th>steps</th></tr>${listed
          .slice(0, 2000)
          .map(
            (key) =>
              `<tr><td>${escapeHtml(keyName(key.key))}</td><td>${escapeHtml(key.verdict)}</td><td>${key.operations}</td><td>${escapeHtml(key.method)}</td><td>${key.steps}</td></tr>`,
          )
          .join('')}</table>${listed.length > 2000 ? `<p>... and ${listed.length - 2000} more keys</p>` : ''}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(`dsim check: ${input.source}`)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 32px; }
.verdict { font-weight: bold; } .ok { color: #1a7f37; } .bad { color: #cf222e; } .unknown { color: #9a6700; }
.message { white-space: pre-wrap; background: #f6f8fa; padding: 8px; border-radius: 4px; }
svg { border: 1px solid #d0d7de; background: #fff; }
svg text { font: 11px monospace; }
.legend span { display: inline-block; margin-right: 16px; }
.swatch { display: inline-block; width: 12px; height: 12px; vertical-align: middle; margin-right: 4px; }
table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; }
.scroll { overflow-x: auto; }
</style>
</head>
<body>
<h1>Linearizability of ${escapeHtml(input.source)}</h1>
<p>Model <b>${escapeHtml(result.model)}</b>. Verdict: <span class="verdict ${verdictClass}">${escapeHtml(result.verdict)}</span>
(${result.operations} operations on ${result.keys.length} keys, ${result.steps} search steps).</p>
<p class="message">${escapeHtml(result.message)}</p>
<p class="legend"><span><i class="swatch" style="background:#8fd19e"></i>linearized (numbered in order)</span>
<span><i class="swatch" style="background:#ff8182"></i>cannot be placed</span>
<span><i class="swatch" style="background:#fff;border:2px solid #d4a72c"></i>concurrent, not linearized</span>
<span><i class="swatch" style="background:#d0d7de"></i>other operations</span>
<span>dashed end: unknown outcome (may take effect any time later)</span></p>
${sections.join('\n')}
${rest}
</body>
</html>
`;
}

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function keyName(key: string | null): string {
  return key === null ? '(the register)' : JSON.stringify(key);
}

interface Marks {
  readonly order: ReadonlyMap<number, number>;
  readonly blocked?: number;
  readonly concurrent: ReadonlySet<number>;
}

function failingKeySection(key: KeyLinearizability, partition: Partition, model: Model, maxOps: number): string {
  const evidence = key.evidence!;
  const ops = partition.operations;
  const byInvoke = new Map(ops.map((op) => [op.invoke, op.id]));
  const idOf = (op: EvidenceOperation) => byInvoke.get(op.invokeIndex)!;
  const prefix = evidence.linearized.map(idOf);
  const blocked = idOf(evidence.blocked);
  const concurrent = new Set(evidence.concurrent.map(idOf));
  // The window: the failure, the operations it raced with, and the end of the prefix.
  const focus = [blocked, ...concurrent, ...prefix.slice(-20)];
  let low = Math.min(...focus.map((id) => ops[id]!.invoke));
  const blockedOp = ops[blocked]!;
  let high = Number.isFinite(blockedOp.complete) ? blockedOp.complete : blockedOp.invoke;
  for (const id of concurrent) high = Math.max(high, ops[id]!.invoke);
  let shown = ops.filter((op) => op.invoke <= high && op.complete >= low);
  if (shown.length > maxOps) {
    // Keep the operations nearest the failure.
    shown = [...shown]
      .sort((a, b) => Math.abs(a.invoke - blockedOp.invoke) - Math.abs(b.invoke - blockedOp.invoke))
      .slice(0, maxOps);
    for (const id of [blocked, ...concurrent]) if (!shown.includes(ops[id]!)) shown.push(ops[id]!);
    low = Math.min(...shown.map((op) => op.invoke));
  }
  const order = new Map<number, number>();
  prefix.forEach((id, i) => order.set(id, i + 1));
  const hidden = ops.length - shown.length;
  const where =
    evidence.blocked.invokeLine !== null
      ? `lines ${evidence.blocked.invokeLine}..${evidence.blocked.completeLine ?? '∞'}`
      : `entries ${evidence.blocked.invokeIndex}..${evidence.blocked.completeIndex ?? '∞'}`;
  return `<h2 class="bad">Key ${escapeHtml(keyName(key.key))}: not linearizable</h2>
<p>${escapeHtml(`process ${evidence.blocked.process} ${evidence.blocked.description} (${where}) cannot be placed after the longest linearizable prefix of ${prefix.length} operations, which leaves the value ${JSON.stringify(evidence.stateAfter)}.`)}
${evidence.conflict ? escapeHtml(` The unique-writes check: ${evidence.conflict}.`) : ''}
${hidden > 0 ? escapeHtml(` ${hidden} operations of this key outside the window around the failure are not drawn.`) : ''}</p>
<div class="scroll">${timeline(shown, model, { order, blocked, concurrent })}</div>`;
}

function plainKeySection(key: KeyLinearizability, partition: Partition, model: Model): string {
  const cls = key.verdict === 'linearizable' ? 'ok' : 'unknown';
  return `<h2 class="${cls}">Key ${escapeHtml(keyName(key.key))}: ${escapeHtml(key.verdict)}</h2>
<p>${key.operations} operations, decided by ${escapeHtml(key.method)}.</p>
<div class="scroll">${timeline(partition.operations, model, { order: new Map(), concurrent: new Set() })}</div>`;
}

function timeline(ops: readonly CheckedOperation[], model: Model, marks: Marks): string {
  if (ops.length === 0) return '<p>(no operations)</p>';
  // x: the rank of each history position in the window, so idle stretches take no room.
  const positions = new Set<number>();
  for (const op of ops) {
    positions.add(op.invoke);
    if (Number.isFinite(op.complete)) positions.add(op.complete);
  }
  const sorted = [...positions].sort((a, b) => a - b);
  const rank = new Map(sorted.map((position, i) => [position, i]));
  const unit = 48;
  const left = 70;
  const laneHeight = 26;
  const processes = [...new Set(ops.map((op) => op.process))].sort((a, b) => a - b);
  const lane = new Map(processes.map((process, i) => [process, i]));
  const width = left + (sorted.length + 2) * unit;
  const height = processes.length * laneHeight + 20;
  const xOf = (position: number) => left + (rank.get(position) ?? sorted.length + 1) * unit;
  const parts: string[] = [];
  processes.forEach((process, i) => {
    parts.push(
      `<text x="4" y="${i * laneHeight + 18}">${escapeHtml(`p${process}`)}</text><line x1="${left}" x2="${width}" y1="${i * laneHeight + 24}" y2="${i * laneHeight + 24}" stroke="#eaeef2"/>`,
    );
  });
  const points: Array<{ x: number; y: number; order: number }> = [];
  for (const op of ops) {
    const x1 = xOf(op.invoke);
    const open = !Number.isFinite(op.complete);
    const x2 = open ? width - 4 : xOf(op.complete);
    const y = lane.get(op.process)! * laneHeight + 4;
    const order = marks.order.get(op.id);
    const isBlocked = marks.blocked === op.id;
    const fill = isBlocked ? '#ff8182' : order !== undefined ? '#8fd19e' : '#d0d7de';
    const stroke = marks.concurrent.has(op.id) ? '#d4a72c' : isBlocked ? '#cf222e' : '#8c959f';
    const description = model.describe({ f: op.f, input: op.input, output: op.output, type: op.type });
    const label = `${order !== undefined ? `#${order} ` : ''}${description}`;
    const where =
      op.invokeLine !== null
        ? `lines ${op.invokeLine}..${op.completeLine ?? '∞'}`
        : `entries ${op.invoke}..${open ? '∞' : op.complete}`;
    const title = `p${op.process} ${description} (${where})${order !== undefined ? `, linearized #${order}` : ''}${isBlocked ? ', cannot be placed' : ''}`;
    const barWidth = Math.max(6, x2 - x1 - 2);
    parts.push(
      `<g><title>${escapeHtml(title)}</title><rect x="${x1}" y="${y}" width="${barWidth}" height="${laneHeight - 8}" rx="3" fill="${fill}" stroke="${stroke}" stroke-width="${marks.concurrent.has(op.id) || isBlocked ? 2 : 1}"${open ? ' stroke-dasharray="4 2"' : ''}/>` +
        `<svg x="${x1 + 3}" y="${y}" width="${Math.max(0, barWidth - 6)}" height="${laneHeight - 8}"><text x="0" y="13">${escapeHtml(label)}</text></svg></g>`,
    );
    if (order !== undefined) points.push({ x: x1, y: y + (laneHeight - 8) / 2, order });
  }
  // The partial linearization as a path through points in order, each inside its operation's span.
  points.sort((a, b) => a.order - b.order);
  const byOrder = new Map([...marks.order].map(([id, order]) => [order, id]));
  let lastX = -Infinity;
  const path: string[] = [];
  for (const point of points) {
    const op = ops.find((candidate) => candidate.id === byOrder.get(point.order))!;
    const end = Number.isFinite(op.complete) ? xOf(op.complete) : width - 4;
    const x = Math.min(Math.max(lastX, point.x + 3), end - 3);
    lastX = x;
    path.push(`${x},${point.y}`);
  }
  if (path.length > 1)
    parts.push(`<polyline points="${path.join(' ')}" fill="none" stroke="#1a7f37" stroke-width="1.5" opacity="0.8"/>`);
  for (const point of path) {
    const [x, y] = point.split(',');
    parts.push(`<circle cx="${x}" cy="${y}" r="3" fill="#1a7f37"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
