import * as d3 from 'd3';
import type { TraceEvent } from '@dsim/core';
import { clockOffsetAt } from '../model/frame.ts';
import { cutLinks, partitionGroups, type CutLink } from '../model/partition.ts';
import { formatDuration, formatTime } from '../model/describe.ts';
import { KIND } from '../model/trace-model.ts';
import { committedEntriesOf } from '../model/view-facts.ts';
import { activeViolation, type ViolationFocus } from '../model/violations.ts';
import { BADGE_LINE_HEIGHT, badgeLines, CELL_HEIGHT, CELL_WIDTH, drawNodeView } from './node-view-svg.ts';
import { COLORS, GROUP_COLORS, messageColor, withAlpha } from './palette.ts';
import { fitCanvas, type Controller, type DrawContext } from './context.ts';

interface NodeDatum {
  readonly index: number;
  readonly id: string;
  x: number;
  y: number;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function boxTouchesCircle(box: Box, cx: number, cy: number, radius: number): boolean {
  const nx = Math.max(box.x, Math.min(cx, box.x + box.w));
  const ny = Math.max(box.y, Math.min(cy, box.y + box.h));
  return (nx - cx) ** 2 + (ny - cy) ** 2 < radius * radius;
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
  /** Log strips per node drawn so far (the layout keeps room for the most seen, so it does not jump). */
  private logRows = 0;
  private messageHits: Array<{ id: number; x: number; y: number }> = [];
  /** What each node group was last drawn from (see drawNodes). */
  private readonly drawnKeys = new WeakMap<Element, string>();
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
    // The overlay spans the stage: only the nodes take clicks, so a click between them reaches the
    // canvas and its message dots.
    this.svg.style('pointer-events', 'none');
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

  private layout(nodes: readonly string[], width: number, height: number, logs: number): void {
    const key = `${nodes.join(',')}|${width}x${height}|${logs}`;
    if (key === this.layoutKey) return;
    this.layoutKey = key;
    const n = nodes.length;
    const cx = width / 2;
    // An ellipse that fills the panel (it is wider than tall), leaving room for labels.
    let cy = (height - 28) / 2 + 6;
    let ry = Math.max(30, (height - 28) / 2 - (n > 40 ? 18 : 50));
    let rx = Math.max(ry, Math.min(width / 2 - 90, ry * 1.6));
    // Node size shrinks with the cluster so neighbours never overlap.
    this.radius = n <= 1 ? 26 : Math.max(4, Math.min(26, (Math.PI * ry) / n - 4));
    if (logs > 0) {
      // Views need room above a node for its badges and below it for its role, log strips and
      // clock; the panel is wide, so the ellipse flattens and widens instead.
      const r = Math.min(this.radius, 20);
      this.radius = r;
      const above = r + 36;
      const below = r + 32 + logs * (CELL_HEIGHT + 22) + 4;
      ry = Math.max(30, (height - 28 - above - below) / 2);
      cy = above + ry;
      rx = Math.max(ry, width / 2 - Math.min(170, width / 5));
    }
    this.positions = nodes.map((id, index) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * index) / Math.max(1, n);
      return { index, id, x: cx + (n === 1 ? 0 : rx * Math.cos(angle)), y: cy + (n === 1 ? 0 : ry * Math.sin(angle)) };
    });
  }

  draw(context: DrawContext): void {
    const { loaded, frame, time, selection } = context;
    const { model } = loaded;
    const { context: g, width, height } = fitCanvas(this.canvas);
    let logs = 0;
    for (const node of frame.nodes) logs = Math.max(logs, node.view?.logs?.length ?? 0);
    this.logRows = Math.max(this.logRows, Math.min(3, logs));
    this.layout(model.nodes, width, height, model.nodes.length <= 16 ? this.logRows : 0);
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

    if (n <= 16) this.drawEdges(g, context, r);

    // Messages in flight.
    this.messageHits = [];
    const labelled = frame.inFlight.size <= MAX_LABELLED_MESSAGES;
    const { sendIndex, endIndex } = model.messages;
    const selectedId = selection?.kind === 'message' ? selection.id : -1;
    let selected: { x: number; y: number } | undefined;
    const dots = new Map<string, Path2D>();
    const labels: Array<{ x: number; y: number; text: string; color: string; selected: boolean }> = [];
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
      // Dots of one colour are one path, filled once: a busy cluster has hundreds in flight.
      let dot = dots.get(color);
      if (!dot) dots.set(color, (dot = new Path2D()));
      dot.moveTo(point.x + 4, point.y);
      dot.arc(point.x, point.y, 4, 0, Math.PI * 2);
      if (id === selectedId) selected = point;
      this.messageHits.push({ id, x: point.x, y: point.y });
      if (labelled && n <= 16) labels.push({ x: point.x, y: point.y, text: desc, color, selected: id === selectedId });
    }
    for (const [color, dot] of dots) {
      g.fillStyle = color;
      g.fill(dot);
    }
    if (selected) {
      g.beginPath();
      g.arc(selected.x, selected.y, 6, 0, Math.PI * 2);
      g.strokeStyle = COLORS.selection;
      g.lineWidth = 2;
      g.stroke();
    }
    // What the node overlay writes above and below each node: labels keep off it.
    const written: Box[] = [];
    if (labels.length > 0) {
      const badgeWidth = this.badgeRoom();
      for (const position of positions) {
        const node = frame.nodes[position.index]!;
        const lines = node.view ? badgeLines(node.view, badgeWidth) : [];
        const widest = Math.max(0, ...lines.map((line) => line.length)) * 6.4;
        if (lines.length)
          written.push({
            x: position.x - widest / 2,
            y: position.y - r - 9 - lines.length * BADGE_LINE_HEIGHT,
            w: widest,
            h: lines.length * BADGE_LINE_HEIGHT + 2,
          });
        const role = node.summary?.role ?? 'not started';
        written.push({ x: position.x - role.length * 3.5, y: position.y + r + 4, w: role.length * 7, h: 13 });
      }
    }
    const placed = this.placeLabels(g, labels, width, height, r, written);
    this.canvas.dataset.inFlightLabels = JSON.stringify(placed.map((b) => [b.x, b.y, b.w, b.h].map(Math.round)));

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

    this.drawNodes(context, r, width);
  }

  /**
   * Labels of messages in flight, each beside its dot where it covers no other label, no node,
   * no node's badges or role, and does not leave the panel: right above, right below, left above, left below, then a line
   * further out. A label with no free place is left out (the dot and the inspector still tell),
   * the selected message's first. Returns the boxes drawn.
   */
  private placeLabels(
    g: CanvasRenderingContext2D,
    labels: ReadonlyArray<{ x: number; y: number; text: string; color: string; selected: boolean }>,
    width: number,
    height: number,
    r: number,
    written: readonly Box[],
  ): Box[] {
    const placed: Box[] = [];
    if (labels.length === 0) return placed;
    g.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
    const h = 12;
    const ordered = [...labels].sort((a, b) => Number(b.selected) - Number(a.selected));
    const free = (box: Box) =>
      box.x >= 0 &&
      box.y >= 0 &&
      box.x + box.w <= width &&
      box.y + box.h <= height &&
      !placed.some((other) => boxesOverlap(box, other)) &&
      !this.positions.some((node) => boxTouchesCircle(box, node.x, node.y, r + 2)) &&
      !written.some((other) => boxesOverlap(box, other));
    for (const label of ordered) {
      const w = g.measureText(label.text).width;
      const { x, y } = label;
      const candidates: Box[] = [
        { x: x + 7, y: y - 6 - h, w, h },
        { x: x + 7, y: y + 6, w, h },
        { x: x - 7 - w, y: y - 6 - h, w, h },
        { x: x - 7 - w, y: y + 6, w, h },
        { x: x + 7, y: y - 6 - 2 * h, w, h },
        { x: x + 7, y: y + 6 + h, w, h },
        { x: x - 7 - w, y: y - 6 - 2 * h, w, h },
        { x: x - 7 - w, y: y + 6 + h, w, h },
      ];
      const box = candidates.find(free);
      if (!box) continue;
      placed.push(box);
      g.fillStyle = withAlpha(label.color, label.selected ? 1 : 0.8);
      g.fillText(label.text, box.x, box.y + h - 2);
    }
    return placed;
  }

  private drawNodes(context: DrawContext, r: number, width: number): void {
    const { loaded, frame, time, selection } = context;
    const showText = this.positions.length <= 40;
    const showViews = this.positions.length <= 16;
    const selectedNode = selection?.kind === 'node' ? selection.node : -1;
    const committed = committedEntriesOf(loaded.model);
    const violation = activeViolation(loaded.model, frame.index);
    this.svg.attr('data-violation', violation ? violation.invariant : null);
    drawViolationBanner(this.svg, violation, width);
    const maxCells = Math.max(3, Math.min(12, Math.floor(this.cellRoom() / CELL_WIDTH)));
    const badgeWidth = this.badgeRoom();
    const logRows = this.logRows;
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
        group.style('pointer-events', 'all');
        group.append('text').attr('class', 'violation-note');
        group.on('click', (event: MouseEvent, d) => {
          event.stopPropagation();
          this.controller.select({ kind: 'node', node: d.index });
        });
        group.append('title');
        return group;
      });
    joined.attr('transform', (d) => `translate(${d.x},${d.y})`);
    const drawnKeys = this.drawnKeys;
    joined.each(function (d) {
      const node = frame.nodes[d.index]!;
      const role = node.summary?.role;
      const status = node.crashed ? 'crashed' : node.paused ? 'paused' : !node.started ? 'not-started' : 'up';
      const color =
        status === 'crashed' || status === 'not-started'
          ? COLORS.crashed
          : (role && loaded.roleColors.get(role)) || COLORS.dim;
      const involved = violation?.nodes.has(d.index) ?? false;
      // A node that looks as it did last frame is left alone: scrubbing a large cluster would
      // otherwise rewrite every attribute of every node each frame. A node's view depends on
      // the time (entries committed or lost by then), so nodes with views are always redrawn.
      const key = showViews
        ? undefined
        : `${status}|${role}|${color}|${d.index === selectedNode}|${involved ? `${violation!.invariant}@${violation!.time}` : ''}|${clockOffsetAt(node, time)}|${node.clockDriftPpm}|${r}|${showText}|${logRows}`;
      if (key !== undefined && drawnKeys.get(this) === key) return;
      if (key !== undefined) drawnKeys.set(this, key);
      else drawnKeys.delete(this);
      const group = d3.select(this);
      group
        .attr('data-status', status)
        .attr('data-role', role ?? '')
        .classed('selected', d.index === selectedNode);
      group
        .select('circle.halo')
        .attr('r', r + 5)
        .attr('fill', 'none')
        .attr(
          'stroke',
          d.index === selectedNode
            ? COLORS.selection
            : involved
              ? COLORS.violation
              : status === 'paused'
                ? COLORS.paused
                : 'none',
        )
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
      group.attr('data-violation', involved ? violation!.invariant : null);
      drawViolationNote(group, involved ? violation : undefined, r);
      const stripTop = r + 32;
      drawNodeView(group as never, showViews ? node.view : undefined, r, stripTop, {
        committed,
        lost: node.lost,
        time,
        flagged: involved ? violation!.indexes : EMPTY_SET,
        maxCells,
        badgeWidth,
        dim: status !== 'up' && status !== 'paused',
      });
      const clockY = showViews && logRows > 0 ? stripTop + logRows * (CELL_HEIGHT + 22) - 4 : r + 29;
      const badgeRows = showViews && node.view ? badgeLines(node.view, badgeWidth).length : 0;
      group
        .select('text.id')
        .text(showText ? d.id : '')
        .attr('y', status === 'up' ? 4 : -r - (badgeRows ? 10 + badgeRows * BADGE_LINE_HEIGHT : 8))
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
        .attr('y', clockY)
        .attr('text-anchor', 'middle');
      group
        .select('title')
        .text(
          `${d.id}: ${status}${role ? `, ${role}` : ''}${skewed ? `, clock ${formatDuration(offset, true)} ${node.clockDriftPpm}ppm` : ''}`,
        );
    });
  }

  /**
   * Horizontal room for a node's log strip: the gap to the nearest node whose badges, body or
   * strips share its height, within bounds (the newest entries that fit are shown).
   */
  private cellRoom(): number {
    const positions = this.positions;
    if (positions.length <= 1) return 320;
    const band = 2 * this.radius + 68 + this.logRows * (CELL_HEIGHT + 22);
    let nearest = Infinity;
    for (let a = 0; a < positions.length; a++)
      for (let b = a + 1; b < positions.length; b++) {
        const p = positions[a]!;
        const q = positions[b]!;
        if (Math.abs(p.y - q.y) < band) nearest = Math.min(nearest, Math.abs(p.x - q.x));
      }
    return Math.min(8 * CELL_WIDTH, Math.max(4 * CELL_WIDTH, nearest - 24));
  }

  /** Horizontal room for a node's badges: the gap to the nearest node level with it, less a margin. */
  private badgeRoom(): number {
    const positions = this.positions;
    let nearest = Infinity;
    for (let a = 0; a < positions.length; a++)
      for (let b = a + 1; b < positions.length; b++) {
        const p = positions[a]!;
        const q = positions[b]!;
        if (Math.abs(p.y - q.y) < 3 * BADGE_LINE_HEIGHT) nearest = Math.min(nearest, Math.abs(p.x - q.x));
      }
    return Math.max(120, Math.min(640, nearest - 20));
  }

  /** The views' edges (votes for, follows, suspects): thin arrows, coloured by kind. */
  private drawEdges(g: CanvasRenderingContext2D, context: DrawContext, r: number): void {
    const { frame, loaded } = context;
    let count = 0;
    frame.nodes.forEach((node, index) => {
      const edges = node.up ? node.view?.edges : undefined;
      if (!edges) return;
      const from = this.positions[index];
      for (const edge of edges) {
        const to = this.positions[loaded.model.nodeIndex.get(edge.to) ?? -1];
        if (!from || !to || to === from) continue;
        count++;
        const color = edgeColor(edge.kind);
        const a = along(from, to, 0, r + 3);
        const b = along(from, to, 1, r + 6);
        g.strokeStyle = withAlpha(color, 0.55);
        g.lineWidth = 1.25;
        g.setLineDash(edge.kind === 'suspects' ? [3, 3] : [6, 4]);
        g.beginPath();
        g.moveTo(a.x, a.y);
        g.lineTo(b.x, b.y);
        g.stroke();
        g.setLineDash([]);
        const angle = Math.atan2(b.y - a.y, b.x - a.x);
        g.fillStyle = withAlpha(color, 0.8);
        g.beginPath();
        g.moveTo(b.x, b.y);
        g.lineTo(b.x - 8 * Math.cos(angle - 0.4), b.y - 8 * Math.sin(angle - 0.4));
        g.lineTo(b.x - 8 * Math.cos(angle + 0.4), b.y - 8 * Math.sin(angle + 0.4));
        g.closePath();
        g.fill();
      }
    });
    this.canvas.dataset.edges = String(count);
  }
}

/** Edge colours by what the relation means: trouble red, allegiance blue, the rest grey. */
function edgeColor(kind: string): string {
  if (/suspect|distrust|fenc/i.test(kind)) return COLORS.violation;
  if (/vote/i.test(kind)) return '#c08fe0';
  if (/follow|lead|sync|replicat/i.test(kind)) return '#5fa8e8';
  return COLORS.dim;
}

const EMPTY_SET: ReadonlySet<number> = new Set();

/** A short mark beside each node the violation names; the whole message is in the banner. */
function drawViolationNote(
  group: d3.Selection<SVGGElement, unknown, null, undefined>,
  violation: ViolationFocus | undefined,
  r: number,
): void {
  group
    .select('text.violation-note')
    .text(violation ? `✗ ${violation.invariant}` : '')
    .attr('x', r + 8)
    .attr('y', -r + 2)
    .attr('font-size', 10.5)
    .attr('font-weight', 600)
    .attr('fill', COLORS.violation)
    .attr('pointer-events', 'none');
}

/** The latest violation's message, top left of the cluster, in at most two lines. */
function drawViolationBanner(
  svg: d3.Selection<SVGSVGElement, unknown, null, undefined>,
  violation: ViolationFocus | undefined,
  width: number,
): void {
  const text = violation ? `✗ ${violation.invariant} at ${formatTime(violation.time)}: ${violation.message}` : '';
  const perLine = Math.max(20, Math.floor((width / 2 - 70) / 6.4));
  const lines: string[] = [];
  let rest = text;
  while (rest.length > 0 && lines.length < 2) {
    let cut = rest.length <= perLine ? rest.length : rest.lastIndexOf(' ', perLine);
    if (cut <= 0) cut = perLine;
    lines.push(lines.length === 1 && rest.length > cut ? `${rest.slice(0, cut - 1)}…` : rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  const banner = svg
    .selectAll<SVGTextElement, string>('text.violation-banner')
    .data(violation ? [text] : [])
    .join('text')
    .attr('class', 'violation-banner')
    .attr('x', 12)
    .attr('y', 16)
    .attr('font-size', 11)
    .attr('font-weight', 600)
    .attr('fill', COLORS.violation);
  banner
    .selectAll('tspan')
    .data(lines)
    .join('tspan')
    .attr('x', 12)
    .attr('dy', (_, i) => (i === 0 ? 0 : 14))
    .text((line) => line);
  banner.append('title').text(text);
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
