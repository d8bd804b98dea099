import * as d3 from 'd3';
import { operationLabel, resultLabel } from './operation-label.ts';
import type { Verdict } from '../model/linearizability.ts';
import { COLORS, withAlpha } from './palette.ts';
import { drawGutter, GUTTER, fitCanvas, type Controller, type DrawContext } from './context.ts';

const OUTCOME_COLORS: Record<string, string> = {
  ok: COLORS.ok,
  fail: COLORS.fail,
  info: COLORS.info,
  pending: COLORS.pending,
};

/**
 * Client operations: one row per client, a bar from invoke to completion coloured by outcome,
 * on the same time window as the space-time diagram. Operations in the future are dim. The
 * checker's evidence is marked: the longest linearizable prefix (ticks) and the operation that
 * cannot be placed (a red outline).
 */
export class OperationsView {
  private readonly canvas: HTMLCanvasElement;
  private bars: Array<{ position: number; x1: number; x2: number; y1: number; y2: number }> = [];

  constructor(
    root: HTMLElement,
    private readonly controller: Controller,
    private readonly getVerdict: () => Verdict | undefined,
  ) {
    this.canvas = root.querySelector('canvas')!;
    this.canvas.addEventListener('click', (event) => {
      const rect = this.canvas.getBoundingClientRect();
      const x = event.clientX - rect.left;
      const y = event.clientY - rect.top;
      const hit = this.bars.find((bar) => x >= bar.x1 - 2 && x <= bar.x2 + 2 && y >= bar.y1 && y <= bar.y2);
      if (hit) this.controller.select({ kind: 'operation', position: hit.position });
    });
  }

  draw(context: DrawContext): void {
    const { loaded, time, domain, selection } = context;
    const { model } = loaded;
    const { context: g, width, height } = fitCanvas(this.canvas);
    g.clearRect(0, 0, width, height);
    const x = d3
      .scaleLinear()
      .domain(domain as [number, number])
      .range([GUTTER, width - 10]);
    const clients = model.clients.length;
    const rowHeight = Math.max(3, Math.min(22, (height - 4) / Math.max(1, clients)));
    const verdict = this.getVerdict();
    const [t0, t1] = domain;
    const selected = selection?.kind === 'operation' ? selection.position : -1;
    this.bars = [];
    g.save();
    g.beginPath();
    g.rect(GUTTER, 0, width - GUTTER, height);
    g.clip();
    let drawn = 0;
    // Operations are in invoke order; a linear scan with an early exit is fast enough for
    // histories (they are small next to the message stream) and keeps no extra index.
    for (const op of model.operations) {
      if (op.invokeTime > t1) break;
      if (op.completeTime < t0) continue;
      const row = op.clientIndex;
      const y1 = 2 + row * rowHeight + 2;
      const y2 = 2 + (row + 1) * rowHeight - 2;
      const x1 = Math.max(GUTTER - 2, x(op.invokeTime));
      const x2 = Math.max(x1 + 3, Math.min(width + 2, x(op.completeTime)));
      const color = OUTCOME_COLORS[op.type] ?? COLORS.dim;
      const future = op.invokeTime > time;
      const open = op.completeTime > time; // not complete yet at the cursor
      g.fillStyle = withAlpha(color, future ? 0.16 : open ? 0.35 : 0.72);
      g.fillRect(x1, y1, x2 - x1, y2 - y1);
      if (op.type === 'info' || op.type === 'pending') {
        // Unknown outcome: it may take effect any time after its invocation.
        g.strokeStyle = withAlpha(color, 0.9);
        g.setLineDash([3, 2]);
        g.strokeRect(x1 + 0.5, y1 + 0.5, x2 - x1 - 1, y2 - y1 - 1);
        g.setLineDash([]);
      }
      if (verdict?.failing === op.position) {
        g.strokeStyle = COLORS.violation;
        g.lineWidth = 2.5;
        g.strokeRect(x1 - 1, y1 - 1, x2 - x1 + 2, y2 - y1 + 2);
        g.lineWidth = 1;
      } else if (verdict?.prefix?.has(op.position)) {
        g.fillStyle = withAlpha(COLORS.ok, 0.9);
        g.fillRect(x1, y2 - 2, x2 - x1, 2);
      }
      if (op.position === selected) {
        g.strokeStyle = COLORS.selection;
        g.lineWidth = 2;
        g.strokeRect(x1 - 1, y1 - 1, x2 - x1 + 2, y2 - y1 + 2);
        g.lineWidth = 1;
      }
      if (x2 - x1 > 50 && rowHeight >= 14) {
        g.fillStyle = future ? COLORS.faint : '#10151b';
        g.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
        fitText(g, `${operationLabel(op.op)} ${resultLabel(op.type, op.value)}`, x1 + 3, y2 - 4, x2 - x1 - 6);
      }
      this.bars.push({ position: op.position, x1, x2, y1, y2 });
      drawn++;
    }
    if (time >= t0 && time <= t1) {
      g.strokeStyle = COLORS.cursor;
      g.lineWidth = 1.5;
      g.beginPath();
      g.moveTo(x(time), 0);
      g.lineTo(x(time), height);
      g.stroke();
    }
    g.restore();
    drawGutter(g, height);
    if (rowHeight >= 9) {
      g.font = `${Math.min(12, rowHeight - 2)}px ui-monospace, SFMono-Regular, Menlo, monospace`;
      g.fillStyle = COLORS.dim;
      model.clients.forEach((client, row) =>
        g.fillText(client, 10, 2 + row * rowHeight + rowHeight / 2 + 4, GUTTER - 14),
      );
    }
    this.canvas.dataset.barsDrawn = String(drawn);
  }
}

/** Draws text cut with an ellipsis to fit, rather than squeezed by canvas into an unreadable width. */
function fitText(g: CanvasRenderingContext2D, text: string, x: number, y: number, width: number): void {
  if (g.measureText(text).width <= width) {
    g.fillText(text, x, y);
    return;
  }
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (g.measureText(`${text.slice(0, middle)}…`).width <= width) low = middle;
    else high = middle - 1;
  }
  if (low > 0) g.fillText(`${text.slice(0, low)}…`, x, y);
}
