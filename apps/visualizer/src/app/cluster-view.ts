import * as d3 from 'd3';
import type { TraceEvent } from '@dsim/core';
import { clockOffsetAt } from '../model/frame.ts';
import { cutLinks, partitionGroups, type CutLink } from '../model/partition.ts';
import { formatDuration } from '../model/describe.ts';
import { KIND } from '../model/trace-model.ts';
import { COLORS, GROUP_COLORS, messageColor, withAlpha } from './palette.ts';
import { fitCanvas, type Controller, type DrawContext } from './context.ts';

interface NodeDatum {
  readonly index: number;
  readonly id: string;
  x: number;
  y: number;
}

/** How long (wall ms at the current speed) a dropped message stays marked on its link. */
const DROP_LINGER_MS = 600;
const MAX_LABELLED_MESSAGES = 14;

/**
 * The cluster: nodes on a circle coloured by role, messages flying along their links, partitions
 * as tinted sides and cut links (one-way cuts drawn with an arrowhead on the blocked direction),
 * crashed and paused nodes marked, clock offset and drift under each node. Nodes are SVG (crisp,
 * clickable, testable); links and messages are canvas (many, redrawn every frame).
 */
export class ClusterView {
  private readonly canvas: HTMLCanvasElement;
  private readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  private positions: NodeDatum[] = [];
  private radius = 20;
  private layoutKey = '';
  private messageHits: Array<{ id: number; x: number; y: number }> = [];
  private cutCache: { fault: unknown; cuts: CutLink[]; groups: Int32Array | undefined } = {
    fault: undefined,
    cuts: [],
    groups: undefined,
  };

  constructor(
    private readonly root: HTMLElement,
    private readonly controller: Controller,
  ) {
    this.canvas = root.querySelector('canvas')!;
    this.svg = d3.select(root.querySelector('svg')!);
    this.canvas.addEventListener('click', (event) => {
      const rect = this.canvas.getBoundingClientRect();
      const x = event.clientX - rect.left;
      const y = event.clientY - rect.top;
      let best: { id: number; distance: number } | undefined;
      for (const hit of this.messageHits) {
        const distance = Math.hypot(hit.x - x, hit.y - y);
        if (distance < 12 && (!best || distance < best.distance)) best = { id: hit.id, distance };
      }
      this.controller.select(best ? { kind: 'message', id: best.id } : undefined);
    });
  }

  private layout(nodes: readonly string[], width: number, height: number): void {
    const key = `${nodes.join(',')}|${width}x${height}`;
    if (key === this.layoutKey) return;
    this.layoutKey = key;
    const n = nodes.length;
    const cx = width / 2;
    const cy = (height - 28) / 2 + 6;
    // An ellipse that fills the panel (it is wider than tall), leaving room for labels.
    const ry = Math.max(30, (height - 28) / 2 - (n > 40 ? 18 : 50));
    const rx = Math.max(ry, Math.min(width / 2 - 90, ry * 1.6));
    // Node size shrinks with the cluster so neighbours never overlap.
    this.radius = n <= 1 ? 26 : Math.max(4, Math.min(26, (Math.PI * ry) / n - 4));
    this.positions = nodes.map((id, index) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * index) / Math.max(1, n);
      return { index, id, x: cx + (n === 1 ? 0 : rx * Math.cos(angle)), y: cy + (n === 1 ? 0 : ry * Math.sin(angle)) };
    });
  }

  draw(context: DrawContext): void {
    const { loaded, frame, time, selection } = context;
    const { model } = loaded;
    const { context: g, width, height } = fitCanvas(this.canvas);
    this.layout(model.nodes, width, height);
    const positions = this.positions;
    const n = positions.length;
    const r = this.radius;
    g.clearRect(0, 0, width, height);

    // Partition: sides as soft tinted blobs, cut links as red dashes.
    if (this.cutCache.fault !== frame.partition) {
      this.cutCache = {
        fault: frame.partition,
        cuts: cutLinks(frame.partition, model.nodes),
        groups: frame.partition ? partitionGroups(frame.partition, model.nodes) : undefined,
      };
    }
    const { cuts, groups } = this.cutCache;
    if (groups) {
      const groupCount = Math.max(...groups) + 1;
      for (let group = 0; group < groupCount; group++) {
        const members = positions.filter((p) => groups[p.index] === group);
        drawBlob(
          g,
          members,
          r + 16,
          withAlpha(GROUP_COLORS[group % GROUP_COLORS.length]!, 0.13),
          withAlpha(GROUP_COLORS[group % GROUP_COLORS.length]!, 0.5),
        );
      }
    }

    // Links: faint for small clusters, so a cut reads as a missing line.
    const cutSet = new Set(cuts.map((cut) => cut.a * 65536 + cut.b));
    if (n <= 12) {
      g.strokeStyle = COLORS.grid;
      g.lineWidth = 1;
      g.beginPath();
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          if (cutSet.has(a * 65536 + b)) continue;
          g.moveTo(positions[a]!.x, positions[a]!.y);
          g.lineTo(positions[b]!.x, positions[b]!.y);
        }
      }
      g.stroke();
    }
    // Sides say it all for a clean partition; other shapes (one-way cuts, the majorities ring) show each cut link.
    if (n <= 24)
      for (const cut of cuts)
        if (!groups || cut.blocked !== 'both') drawCut(g, positions[cut.a]!, positions[cut.b]!, cut.blocked, r);

    // Messages in flight.
    this.messageHits = [];
    const labelled = frame.inFlight.size <= MAX_LABELLED_MESSAGES;
    const { sendIndex, endIndex } = model.messages;
    const selectedId = selection?.kind === 'message' ? selection.id : -1;
    for (const id of frame.inFlight.keys()) {
      const s = sendIndex[id]!;
      if (s < 0) continue;
      const from = positions[model.nodeA[s]!];
      const to = positions[model.nodeB[s]!];
      if (!from || !to) continue;
      const e = endIndex[id]!;
      const sentAt = model.times[s]!;
      const endAt = e >= 0 ? model.times[e]! : model.endTime;
      const dropped = e >= 0 && model.kinds[e] === KIND.drop;
      let f = endAt > sentAt ? (time - sentAt) / (endAt - sentAt) : 1;
      f = Math.max(0, Math.min(1, f));
      if (dropped) f *= 0.6; // a doomed message never reaches its target
      const point = along(from, to, f, r);
      const desc = (model.events[s] as Extract<TraceEvent, { k: 'send' }>).desc;
      const color = dropped ? COLORS.cut : messageColor(desc);
      g.fillStyle = color;
      g.beginPath();
      g.arc(point.x, point.y, id === selectedId ? 6 : 4, 0, Math.PI * 2);
      g.fill();
      if (id === selectedId) {
        g.strokeStyle = COLORS.selection;
        g.lineWidth = 2;
        g.stroke();
      }
      this.messageHits.push({ id, x: point.x, y: point.y });
      if (labelled && n <= 16) {
        g.fillStyle = withAlpha(color, 0.75);
        g.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
        g.fillText(desc, point.x + 7, point.y - 6);
      }
    }

    // Recently dropped messages: a red cross on the link, fading.
    const linger = Math.max(1, context.speed * DROP_LINGER_MS);
    let drops = 0;
    for (let i = frame.index - 1; i >= 0 && drops < 200; i--) {
      const at = model.times[i]!;
      if (time - at > linger) break;
      if (model.kinds[i] !== KIND.drop) continue;
      drops++;
      const from = positions[model.nodeA[i]!];
      const to = positions[model.nodeB[i]!];
      if (!from || !to) continue;
      const point = along(from, to, 0.35, r);
      const alpha = 1 - (time - at) / linger;
      const reason = (model.events[i] as Extract<TraceEvent, { k: 'drop' }>).reason;
      drawCross(g, point.x, point.y, 5, withAlpha(loaded.dropColors.get(reason) ?? COLORS.cut, Math.max(0.15, alpha)));
      this.messageHits.push({ id: model.messageIds[i]!, x: point.x, y: point.y });
    }
    this.canvas.dataset.inFlight = String(frame.inFlight.size);
    this.canvas.dataset.cutLinks = String(cuts.length);
    this.canvas.dataset.oneWayCuts = String(cuts.filter((cut) => cut.blocked !== 'both').length);
    this.canvas.dataset.groups = groups ? String(Math.max(...groups) + 1) : '0';
    this.canvas.dataset.recentDrops = String(drops);

    this.drawNodes(context, r);
  }

  private drawNodes(context: DrawContext, r: number): void {
    const { loaded, frame, time, selection } = context;
    const showText = this.positions.length <= 40;
    const selectedNode = selection?.kind === 'node' ? selection.node : -1;
    const joined = this.svg
      .selectAll<SVGGElement, NodeDatum>('g.node')
      .data(this.positions, (d) => d.id)
      .join((enter) => {
        const group = enter
          .append('g')
          .attr('class', 'node')
          .attr('data-node', (d) => d.id);
        group.append('circle').attr('class', 'halo');
        group.append('circle').attr('class', 'body');
        group.append('path').attr('class', 'mark');
        group.append('text').attr('class', 'id');
        group.append('text').attr('class', 'role');
        group.append('text').attr('class', 'clock');
        group.on('click', (event: MouseEvent, d) => {
          event.stopPropagation();
          this.controller.select({ kind: 'node', node: d.index });
        });
        group.append('title');
        return group;
      });
    joined.attr('transform', (d) => `translate(${d.x},${d.y})`);
    joined.each(function (d) {
      const node = frame.nodes[d.index]!;
      const role = node.summary?.role;
      const status = node.crashed ? 'crashed' : node.paused ? 'paused' : !node.started ? 'not-started' : 'up';
      const color =
        status === 'crashed' || status === 'not-started'
          ? COLORS.crashed
          : (role && loaded.roleColors.get(role)) || COLORS.dim;
      const group = d3.select(this);
      group
        .attr('data-status', status)
        .attr('data-role', role ?? '')
        .classed('selected', d.index === selectedNode);
      group
        .select('circle.halo')
        .attr('r', r + 5)
        .attr('fill', 'none')
        .attr('stroke', d.index === selectedNode ? COLORS.selection : status === 'paused' ? COLORS.paused : 'none')
        .attr('stroke-width', d.index === selectedNode ? 2 : 2.5)
        .attr('stroke-dasharray', status === 'paused' && d.index !== selectedNode ? '4 3' : null);
      group
        .select('circle.body')
        .attr('r', r)
        .attr('fill', withAlpha(color, status === 'up' || status === 'paused' ? 0.9 : 0.55))
        .attr('stroke', status === 'crashed' ? COLORS.cut : withAlpha('#ffffff', 0.25))
        .attr('stroke-width', status === 'crashed' ? 2 : 1);
      const m = r * 0.45;
      group
        .select('path.mark')
        .attr(
          'd',
          status === 'crashed'
            ? `M${-m},${-m}L${m},${m}M${m},${-m}L${-m},${m}`
            : status === 'paused'
              ? `M${-m * 0.5},${-m}V${m}M${m * 0.5},${-m}V${m}`
              : '',
        )
        .attr('stroke', status === 'crashed' ? COLORS.cut : '#1b1f24')
        .attr('stroke-width', Math.max(2, r / 7))
        .attr('stroke-linecap', 'round');
      const offset = clockOffsetAt(node, time);
      const skewed = offset !== 0 || node.clockDriftPpm !== 0;
      group
        .select('text.id')
        .text(showText ? d.id : '')
        .attr('y', status === 'up' ? 4 : -r - 8)
        .attr('text-anchor', 'middle')
        .attr('class', status === 'up' ? 'id inside' : 'id');
      group
        .select('text.role')
        .text(
          showText
            ? status === 'crashed'
              ? 'crashed'
              : status === 'paused'
                ? `paused · ${role ?? ''}`
                : status === 'not-started'
                  ? 'not started'
                  : (role ?? '')
            : '',
        )
        .attr('y', r + 15)
        .attr('text-anchor', 'middle')
        .attr('fill', status === 'crashed' ? COLORS.cut : status === 'paused' ? COLORS.paused : color);
      group
        .select('text.clock')
        .text(
          showText && skewed
            ? `clock ${formatDuration(offset, true)}${node.clockDriftPpm ? ` · ${node.clockDriftPpm > 0 ? '+' : ''}${node.clockDriftPpm}ppm` : ''}`
            : '',
        )
        .attr('y', r + 29)
        .attr('text-anchor', 'middle');
      group
        .select('title')
        .text(
          `${d.id}: ${status}${role ? `, ${role}` : ''}${skewed ? `, clock ${formatDuration(offset, true)} ${node.clockDriftPpm}ppm` : ''}`,
        );
    });
  }
}

function along(
  from: { x: number; y: number },
  to: { x: number; y: number },
  f: number,
  r: number,
): { x: number; y: number } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  // Start and end at the rims, and keep the two directions of a link apart.
  const start = { x: from.x + ux * r - uy * 5, y: from.y + uy * r + ux * 5 };
  const end = { x: to.x - ux * r - uy * 5, y: to.y - uy * r + ux * 5 };
  return { x: start.x + (end.x - start.x) * f, y: start.y + (end.y - start.y) * f };
}

function drawCross(g: CanvasRenderingContext2D, x: number, y: number, size: number, color: string): void {
  g.strokeStyle = color;
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(x - size, y - size);
  g.lineTo(x + size, y + size);
  g.moveTo(x + size, y - size);
  g.lineTo(x - size, y + size);
  g.stroke();
}

function drawCut(
  g: CanvasRenderingContext2D,
  a: NodeDatum,
  b: NodeDatum,
  blocked: CutLink['blocked'],
  r: number,
): void {
  const [from, to] = blocked === 'b->a' ? [b, a] : [a, b];
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  const x1 = from.x + ux * (r + 4);
  const y1 = from.y + uy * (r + 4);
  const x2 = to.x - ux * (r + 4);
  const y2 = to.y - uy * (r + 4);
  g.setLineDash([5, 5]);
  g.strokeStyle = withAlpha(COLORS.cut, 0.55);
  g.lineWidth = 1.5;
  g.beginPath();
  g.moveTo(x1, y1);
  g.lineTo(x2, y2);
  g.stroke();
  g.setLineDash([]);
  if (blocked === 'both') {
    drawCross(g, (x1 + x2) / 2, (y1 + y2) / 2, 4, withAlpha(COLORS.cut, 0.8));
    return;
  }
  // One-way: an arrowhead where messages are refused, and a bar across it.
  const size = 9;
  g.fillStyle = withAlpha(COLORS.cut, 0.9);
  g.beginPath();
  g.moveTo(x2, y2);
  g.lineTo(x2 - ux * size - uy * size * 0.55, y2 - uy * size + ux * size * 0.55);
  g.lineTo(x2 - ux * size + uy * size * 0.55, y2 - uy * size - ux * size * 0.55);
  g.closePath();
  g.fill();
  const bx = x2 - ux * (size + 5);
  const by = y2 - uy * (size + 5);
  g.strokeStyle = withAlpha(COLORS.cut, 0.9);
  g.lineWidth = 2.5;
  g.beginPath();
  g.moveTo(bx - uy * 7, by + ux * 7);
  g.lineTo(bx + uy * 7, by - ux * 7);
  g.stroke();
}

/** A rounded blob around a group of nodes: a thick round-joined stroke of its hull. */
function drawBlob(g: CanvasRenderingContext2D, members: NodeDatum[], pad: number, fill: string, edge: string): void {
  if (members.length === 0) return;
  const points = members.map((p) => [p.x, p.y] as [number, number]);
  const hull = points.length >= 3 ? (d3.polygonHull(points) ?? points) : points;
  g.lineJoin = 'round';
  g.lineCap = 'round';
  g.beginPath();
  hull.forEach(([x, y], i) => (i === 0 ? g.moveTo(x, y) : g.lineTo(x, y)));
  if (hull.length > 2) g.closePath();
  else if (hull.length === 1) g.lineTo(hull[0]![0] + 0.01, hull[0]![1]);
  g.strokeStyle = edge;
  g.lineWidth = pad * 2 + 2;
  g.stroke();
  g.strokeStyle = COLORS.background;
  g.lineWidth = pad * 2 - 1;
  g.stroke();
  g.strokeStyle = fill;
  g.stroke();
  if (hull.length > 2) {
    g.fillStyle = COLORS.background;
    g.fill();
    g.fillStyle = fill;
    g.fill();
  }
}
