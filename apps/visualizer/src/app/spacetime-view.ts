import * as d3 from 'd3';
import type { TraceEvent } from '@dsim/core';
import { formatDuration } from '../model/describe.ts';
import { causalCut, laneOf, type CausalCut } from '../model/causality.ts';
import {
  mermaidSequence,
  messageKind,
  messageKinds,
  shownBy,
  spaceTimeSvg,
  type MessageFilter,
} from '../model/sequence-export.ts';
import { firstIndexAtOrAfter, indexAtTime, KIND, type TraceModel } from '../model/trace-model.ts';
import { COLORS, GROUP_COLORS, messageColor, withAlpha } from './palette.ts';
import { drawGutter, el, GUTTER, fitCanvas, type Controller, type DrawContext } from './context.ts';

/** Above this many messages in the window, draw a sample (every k-th) and say so. */
const MAX_ARROWS = 6000;
/** Event points are drawn when the window holds at most this many events. */
const MAX_POINTS = 4000;
/** Arrows get their message's description when at most this many are drawn. */
const MAX_LABELLED_ARROWS = 150;
const PAST_COLOR = '#7cc58a';
const FUTURE_COLOR = '#c08fe0';

interface Arrow {
  readonly id: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly desc: string;
}

/**
 * The space-time (Lamport) diagram: a lane per node, time to the right, an arrow per message
 * from send to delivery, drops as crosses with their reason, crashed/paused/partitioned stretches
 * shaded. Only events inside the visible window are visited, so it costs the same on a million
 * events as on a thousand. d3-zoom pans and zooms the shared time window.
 */
export class SpaceTimeView {
  private readonly canvas: HTMLCanvasElement;
  private readonly zoom: d3.ZoomBehavior<HTMLCanvasElement, unknown>;
  private applying = false;
  private arrows: Arrow[] = [];
  private points: Array<{ index: number; x: number; y: number }> = [];
  private cut: CausalCut | undefined;
  private cutModel: TraceModel | undefined;
  /** Message kinds hidden and the text searched for, set from the tools row. */
  private readonly hidden = new Set<string>();
  private search = '';
  private readonly tools: HTMLElement;
  private readonly kindChips: HTMLElement;
  private toolsModel: TraceModel | undefined;
  private lastDomain: readonly [number, number] = [0, 1];
  private width = 1;
  private height = 1;
  private lastEnd = 1;

  constructor(
    root: HTMLElement,
    private readonly controller: Controller,
  ) {
    this.canvas = root.querySelector('canvas')!;
    // The tools row: search, message kinds to show (click to hide one), and exports of the visible range.
    this.tools = el('div', { class: 'spacetime-tools' });
    this.tools.style.cssText =
      'display:flex;flex-wrap:wrap;gap:4px 8px;align-items:center;padding:2px 12px 4px;font-size:11px;color:#8793a3';
    const search = el('input', { type: 'search', placeholder: 'search messages', id: 'spacetime-search' });
    search.style.cssText =
      'width:150px;font-size:11px;background:#0e1217;color:#d6dde6;border:1px solid #2b3541;border-radius:4px;padding:1px 6px';
    search.addEventListener('input', () => {
      this.search = search.value.trim();
      this.controller.requestDraw();
    });
    this.kindChips = el('span', { class: 'kinds' });
    this.kindChips.style.cssText = 'display:flex;flex-wrap:wrap;gap:2px 8px';
    const exportSvg = el(
      'button',
      { class: 'small', id: 'export-svg', title: 'The visible range as an SVG file' },
      'SVG',
    );
    exportSvg.addEventListener('click', () => this.export('svg'));
    const exportMermaid = el(
      'button',
      { class: 'small', id: 'export-mermaid', title: 'The visible range as a Mermaid sequence diagram' },
      'Mermaid',
    );
    exportMermaid.addEventListener('click', () => this.export('mermaid'));
    const spacer = el('span');
    spacer.style.flex = '1';
    this.tools.append(search, this.kindChips, spacer, el('span', {}, 'export visible:'), exportSvg, exportMermaid);
    root.querySelector('h2')!.after(this.tools);
    this.zoom = d3
      .zoom<HTMLCanvasElement, unknown>()
      .filter((event: Event) => (event.type === 'wheel' ? true : !(event as MouseEvent).button))
      .on('zoom', (event: d3.D3ZoomEvent<HTMLCanvasElement, unknown>) => {
        if (this.applying) return;
        const base = this.baseScale();
        const [from, to] = event.transform.rescaleX(base).domain() as [number, number];
        this.controller.setDomain(from, to);
      });
    d3.select(this.canvas).call(this.zoom).on('dblclick.zoom', null);
    this.canvas.addEventListener('click', (event) => {
      const rect = this.canvas.getBoundingClientRect();
      const x = event.clientX - rect.left;
      const y = event.clientY - rect.top;
      // An event point first: it sits on an arrow's end.
      let point: { index: number; distance: number } | undefined;
      for (const hit of this.points) {
        const distance = Math.hypot(hit.x - x, hit.y - y);
        // Events of one step share a point (a delivery and the sends it causes): take the last.
        if (distance < 5 && (!point || distance <= point.distance)) point = { index: hit.index, distance };
      }
      if (point) {
        this.controller.select({ kind: 'event', index: point.index });
        return;
      }
      let best: { id: number; distance: number } | undefined;
      for (const arrow of this.arrows) {
        const distance = distanceToSegment(x, y, arrow);
        if (distance < 6 && (!best || distance < best.distance)) best = { id: arrow.id, distance };
      }
      if (best) this.controller.select({ kind: 'message', id: best.id });
      else if (x > GUTTER) this.controller.seekTime(this.lastScale.invert(x));
      else {
        const lane = Math.floor((y - 22) / this.laneHeight);
        if (lane >= 0 && lane < this.laneCount) this.controller.select({ kind: 'node', node: lane });
      }
    });
  }

  private lastScale = d3.scaleLinear();
  private laneHeight = 20;
  private laneCount = 0;

  private baseScale(): d3.ScaleLinear<number, number> {
    return d3
      .scaleLinear()
      .domain([0, this.lastEnd])
      .range([GUTTER, this.width - 10]);
  }

  /** Keeps d3-zoom's transform in step when the window changes elsewhere (timeline, follow). */
  syncZoom(from: number, to: number): void {
    const base = this.baseScale();
    const k = (base(this.lastEnd) - base(0)) / (base(to) - base(from) || 1);
    // rescaleX maps a pixel p to base.invert((p - tx) / k): put `from` at the left edge.
    const tx = GUTTER - k * base(from);
    this.applying = true;
    d3.select(this.canvas).call(this.zoom.transform, d3.zoomIdentity.translate(tx, 0).scale(k));
    this.applying = false;
  }

  get filter(): MessageFilter {
    return { hidden: this.hidden, search: this.search };
  }

  /** The export of the visible range, as text, by format (also what the buttons download). */
  exportText(format: 'svg' | 'mermaid'): string {
    const model = this.toolsModel;
    if (!model) return '';
    const [from, to] = this.lastDomain;
    return format === 'svg'
      ? spaceTimeSvg(model, from, to, this.filter)
      : mermaidSequence(model, from, to, this.filter);
  }

  private export(format: 'svg' | 'mermaid'): void {
    const text = this.exportText(format);
    if (!text) return;
    const blob = new Blob([text], { type: format === 'svg' ? 'image/svg+xml' : 'text/plain' });
    const link = el('a', {
      href: URL.createObjectURL(blob),
      download: `${this.toolsModel?.header?.scenario ?? 'trace'}-spacetime.${format === 'svg' ? 'svg' : 'mmd'}`,
    });
    link.click();
    URL.revokeObjectURL(link.href);
  }

  /** One chip per message kind, coloured as its arrows; a click hides or shows the kind. */
  private renderKinds(model: TraceModel): void {
    if (this.toolsModel === model) return;
    this.toolsModel = model;
    this.hidden.clear();
    const chips = messageKinds(model)
      .slice(0, 24)
      .map((kind) => {
        const chip = el('button', { class: 'chip', 'data-kind': kind, title: `show or hide ${kind} messages` }, kind);
        chip.style.cssText = `font-size:10.5px;padding:0 6px;border-radius:8px;border:1px solid ${messageColor(kind)};color:${messageColor(kind)};background:transparent;cursor:pointer`;
        chip.addEventListener('click', () => {
          if (this.hidden.has(kind)) this.hidden.delete(kind);
          else this.hidden.add(kind);
          chip.style.opacity = this.hidden.has(kind) ? '0.35' : '1';
          chip.dataset.hidden = String(this.hidden.has(kind));
          this.controller.requestDraw();
        });
        return chip;
      });
    this.kindChips.replaceChildren(...chips);
  }

  /** The selected event's causal cut, computed once per selection. */
  private causalCutFor(model: TraceModel, event: number): CausalCut | undefined {
    if (event < 0 || event >= model.events.length || laneOf(model, event) < 0) return undefined;
    if (this.cut?.event !== event || this.cutModel !== model) {
      this.cut = causalCut(model, event);
      this.cutModel = model;
    }
    return this.cut;
  }

  draw(context: DrawContext): void {
    const { loaded, frame, time, domain, selection } = context;
    const { model } = loaded;
    this.renderKinds(model);
    this.lastDomain = domain;
    const { context: g, width, height } = fitCanvas(this.canvas);
    if (width !== this.width || model.endTime !== this.lastEnd) {
      this.width = width;
      this.height = height;
      this.lastEnd = model.endTime;
      this.zoom
        .scaleExtent([1, Math.max(1, model.endTime / 20)])
        .translateExtent([
          [GUTTER, 0],
          [width - 10, height],
        ])
        .extent([
          [GUTTER, 0],
          [width - 10, height],
        ]);
      this.syncZoom(domain[0], domain[1]);
    }
    this.height = height;
    const x = d3
      .scaleLinear()
      .domain(domain as [number, number])
      .range([GUTTER, width - 10]);
    this.lastScale = x;
    const top = 22;
    const lanes = model.nodes.length;
    const laneHeight = Math.max(2, Math.min(46, (height - top - 6) / Math.max(1, lanes)));
    this.laneHeight = laneHeight;
    this.laneCount = lanes;
    const laneY = (lane: number) => top + lane * laneHeight + laneHeight / 2;
    const cut = this.causalCutFor(model, selection?.kind === 'event' ? selection.index : -1);
    g.clearRect(0, 0, width, height);
    g.save();
    g.beginPath();
    g.rect(GUTTER, 0, width - GUTTER, height);
    g.clip();

    // Fault shading.
    const [t0, t1] = domain;
    const visible = (from: number, to: number) => to >= t0 && from <= t1;
    for (const interval of model.intervals) {
      if (!visible(interval.from, interval.to)) continue;
      const xa = Math.max(GUTTER, x(interval.from));
      const xb = Math.min(width, x(interval.to));
      if (interval.kind === 'crash' || interval.kind === 'pause') {
        const y = top + interval.node * laneHeight;
        g.fillStyle = interval.kind === 'crash' ? 'rgba(255,107,107,0.10)' : 'rgba(229,192,123,0.12)';
        g.fillRect(xa, y + 1, xb - xa, laneHeight - 2);
        hatch(
          g,
          xa,
          y + 1,
          xb - xa,
          laneHeight - 2,
          interval.kind === 'crash' ? 'rgba(255,107,107,0.28)' : 'rgba(229,192,123,0.3)',
        );
        if (laneHeight >= 14 && xb - xa > 60) {
          g.fillStyle = interval.kind === 'crash' ? COLORS.cut : COLORS.paused;
          g.font = '10px system-ui, sans-serif';
          g.fillText(interval.kind === 'crash' ? 'crashed' : 'paused', xa + 4, y + Math.min(laneHeight - 4, 12));
        }
      } else if (interval.kind === 'partition') {
        if (interval.groups) {
          for (let lane = 0; lane < lanes; lane++) {
            g.fillStyle = withAlpha(GROUP_COLORS[interval.groups[lane]! % GROUP_COLORS.length]!, 0.13);
            g.fillRect(xa, top + lane * laneHeight + 1, xb - xa, laneHeight - 2);
          }
        }
        g.fillStyle = 'rgba(255,107,107,0.16)';
        g.fillRect(xa, 2, xb - xa, 14);
        g.fillStyle = '#ffb3b3';
        g.font = '10px system-ui, sans-serif';
        if (xb - xa > 40) g.fillText(interval.label, xa + 4, 12, xb - xa - 8);
      } else {
        g.fillStyle = 'rgba(224,164,88,0.14)';
        g.fillRect(xa, 2, xb - xa, 14);
        g.fillStyle = COLORS.fault;
        g.font = '10px system-ui, sans-serif';
        if (xb - xa > 40) g.fillText(interval.label, xa + 4, 12, xb - xa - 8);
      }
    }

    // Lanes, coloured by role over time.
    for (let lane = 0; lane < lanes; lane++) {
      const y = laneY(lane);
      const changes = model.roleChanges[lane] ?? [];
      g.lineWidth = laneHeight >= 10 ? 2 : 1;
      let from = t0;
      let role: string | null | undefined;
      let k = 0;
      while (k < changes.length && changes[k]!.time <= t0) role = changes[k++]!.role;
      for (;;) {
        const next = k < changes.length ? changes[k]! : undefined;
        const to = next ? Math.min(next.time, t1) : t1;
        if (role !== null) {
          g.strokeStyle = role ? withAlpha(loaded.roleColors.get(role) ?? COLORS.dim, 0.75) : COLORS.line;
          g.beginPath();
          g.moveTo(x(from), y);
          g.lineTo(x(to), y);
          g.stroke();
        }
        if (!next || next.time > t1) break;
        from = next.time;
        role = next.role;
        k++;
      }
    }

    // The selected event's causal past (green) and future (violet), lane by lane.
    if (cut) {
      for (let lane = 0; lane < lanes; lane++) {
        const y = top + lane * laneHeight + 1;
        const past = cut.past[lane]!;
        if (past >= 0) {
          g.fillStyle = withAlpha(PAST_COLOR, 0.16);
          g.fillRect(GUTTER, y, Math.max(0, x(model.times[past]!) - GUTTER), laneHeight - 2);
        }
        const future = cut.future[lane]!;
        if (future < model.events.length) {
          const xf = Math.max(GUTTER, x(model.times[future]!));
          g.fillStyle = withAlpha(FUTURE_COLOR, 0.16);
          g.fillRect(xf, y, width - xf, laneHeight - 2);
        }
      }
    }

    // Messages in the window: sends draw their arrow; deliveries and drops whose send is left of
    // the window draw theirs too. A message spanning the whole window is the one thing skipped.
    const first = firstIndexAtOrAfter(model.times, t0);
    const last = indexAtTime(model.times, t1);
    // Sends in the window, found by binary search over the send list: counting costs O(log n).
    const sends = model.sendEvents;
    const sendAt = (k: number) => model.times[sends[k]!]!;
    const lowerSend = (t: number) => {
      let low = 0;
      let high = sends.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (sendAt(mid) < t) low = mid + 1;
        else high = mid;
      }
      return low;
    };
    const firstSend = lowerSend(t0);
    const lastSend = lowerSend(t1 + 1);
    const messagesInWindow = lastSend - firstSend;
    const stride = messagesInWindow > MAX_ARROWS ? Math.ceil(messagesInWindow / MAX_ARROWS) : 1;
    const arrows: Arrow[] = [];
    const selectedId = selection?.kind === 'message' ? selection.id : -1;
    const { endIndex } = model.messages;
    const showReasons = laneHeight >= 16;
    let drawn = 0;
    const crosses: Array<{ x: number; y: number; color: string; reason: string }> = [];
    const filter = this.filter;
    const filtering = filter.hidden.size > 0 || filter.search !== '';
    // Arrows are gathered into one path per stroke style and stroked once each: thousands of
    // separate strokes cost a canvas far more than the lines themselves (scrubbing a dense run).
    const strokes = new Map<string, Path2D>();
    const pathFor = (style: string) => {
      let path = strokes.get(style);
      if (!path) strokes.set(style, (path = new Path2D()));
      return path;
    };
    const duplicates = new Path2D();
    let selectedArrow: { x1: number; y1: number; x2: number; y2: number; head: boolean } | undefined;
    // The scale inlined: this runs for thousands of arrows a frame.
    const xScale = (width - 10 - GUTTER) / (t1 - t0 || 1);
    const xOf = (t: number) => GUTTER + (t - t0) * xScale;
    const colors = sendColors(model);
    const drawMessage = (send: number, e: number) => {
      const id = model.messageIds[send]!;
      const a = model.nodeA[send]!;
      const b = model.nodeB[send]!;
      const xa = xOf(model.times[send]!);
      const ya = laneY(a);
      const yb = laneY(b);
      const future = model.times[send]! > time;
      const desc = (model.events[send] as Extract<TraceEvent, { k: 'send' }>).desc;
      if (filtering && !shownBy(filter, desc)) return;
      if (e >= 0 && model.kinds[e] === KIND.drop) {
        // A dropped message: a stub towards its target, ending in a cross coloured by the reason.
        const reason = (model.events[e] as Extract<TraceEvent, { k: 'drop' }>).reason;
        const xe = Math.max(xOf(model.times[e]!), xa + 10);
        const xm = xa + (xe - xa) * 0.6;
        const ym = ya + (yb - ya) * 0.4;
        const color = loaded.dropColors.get(reason) ?? COLORS.cut;
        const path = pathFor(alphaOf(color, future ? 0.25 : 0.7));
        path.moveTo(xa, ya);
        path.lineTo(xm, ym);
        crosses.push({ x: xm, y: ym, color: alphaOf(color, future ? 0.35 : 0.95), reason });
        arrows.push({ id, x1: xa, y1: ya, x2: xm, y2: ym, desc });
      } else {
        const xb = e >= 0 ? xOf(model.times[e]!) : xOf(model.endTime);
        const head = xb - xa > 8 && Math.abs(yb - ya) > 6 && stride === 1;
        if (id === selectedId) selectedArrow = { x1: xa, y1: ya, x2: xb, y2: yb, head };
        else {
          const causal = cut ? causalColor(cut, model, send) : undefined;
          const path = pathFor(
            causal !== undefined ? causal : colors.style(send, desc, cut ? 0.08 : future ? 0.18 : 0.62),
          );
          path.moveTo(xa, ya);
          path.lineTo(xb, yb);
          if (head) arrowHead(path, xa, ya, xb, yb);
        }
        arrows.push({ id, x1: xa, y1: ya, x2: xb, y2: yb, desc });
        if (e >= 0 && model.kinds[e] === KIND.deliver && (model.events[e] as { dup?: boolean }).dup)
          duplicates.rect(xb - 2, yb - 2, 4, 4);
      }
      drawn++;
    };
    for (let k = firstSend; k < lastSend; k += stride) {
      const send = sends[k]!;
      drawMessage(send, endIndex[model.messageIds[send]!]!);
    }
    // Messages sent left of the window that arrive inside it (visited only when zoomed in).
    if (stride === 1 && last - first <= MAX_ARROWS * 8) {
      for (let i = first; i < last; i++) {
        const kind = model.kinds[i]!;
        if (kind !== KIND.deliver && kind !== KIND.drop) continue;
        const id = model.messageIds[i]!;
        const s = id >= 0 ? model.messages.sendIndex[id]! : -1;
        if (s >= 0 && s < first) drawMessage(s, i);
      }
    }
    g.lineWidth = 1;
    for (const [style, path] of strokes) {
      g.strokeStyle = style;
      g.stroke(path);
    }
    g.fillStyle = COLORS.info;
    g.fill(duplicates);
    if (selectedArrow) {
      const path = new Path2D();
      path.moveTo(selectedArrow.x1, selectedArrow.y1);
      path.lineTo(selectedArrow.x2, selectedArrow.y2);
      if (selectedArrow.head) arrowHead(path, selectedArrow.x1, selectedArrow.y1, selectedArrow.x2, selectedArrow.y2);
      g.strokeStyle = COLORS.selection;
      g.lineWidth = 2.5;
      g.stroke(path);
      g.lineWidth = 1;
    }
    const crossPaths = new Map<string, Path2D>();
    for (const cross of crosses) {
      let path = crossPaths.get(cross.color);
      if (!path) crossPaths.set(cross.color, (path = new Path2D()));
      path.moveTo(cross.x - 3.5, cross.y - 3.5);
      path.lineTo(cross.x + 3.5, cross.y + 3.5);
      path.moveTo(cross.x + 3.5, cross.y - 3.5);
      path.lineTo(cross.x - 3.5, cross.y + 3.5);
    }
    g.lineWidth = 1.8;
    for (const [color, path] of crossPaths) {
      g.strokeStyle = color;
      g.stroke(path);
    }
    if (showReasons && crosses.length <= 60) {
      g.font = '9px system-ui, sans-serif';
      let lastX = -Infinity;
      for (const cross of crosses) {
        if (cross.x - lastX < 46) continue;
        lastX = cross.x;
        g.fillStyle = cross.color;
        g.fillText(cross.reason, cross.x + 5, cross.y + 3);
      }
    }
    this.arrows = arrows;

    // Zoomed in: each arrow's message, along it, where it does not cover another label.
    let labelled = 0;
    if (stride === 1 && arrows.length <= MAX_LABELLED_ARROWS && laneHeight >= 16) {
      g.font = '9.5px ui-monospace, SFMono-Regular, Menlo, monospace';
      const placed: Array<{ x: number; y: number; w: number }> = [];
      for (const arrow of arrows) {
        const w = g.measureText(arrow.desc).width;
        const length = Math.hypot(arrow.x2 - arrow.x1, arrow.y2 - arrow.y1);
        if (length < Math.min(w, 80)) continue;
        const mx = (arrow.x1 + arrow.x2) / 2;
        const my = (arrow.y1 + arrow.y2) / 2;
        if (placed.some((p) => Math.abs(p.y - my) < 11 && mx < p.x + p.w + 6 && mx + w + 6 > p.x)) continue;
        placed.push({ x: mx, y: my, w });
        g.fillStyle = withAlpha(COLORS.background, 0.75);
        g.fillRect(mx + 2, my - 9, w + 4, 12);
        g.fillStyle = COLORS.text;
        g.fillText(arrow.desc, mx + 4, my);
        labelled++;
      }
    }

    // Event points on the lanes, when there are few enough to tell apart.
    const points: Array<{ index: number; x: number; y: number }> = [];
    if (last - first <= MAX_POINTS && laneHeight >= 8) {
      const radius = Math.min(3, laneHeight / 6);
      const dots = new Map<string, Path2D>();
      for (let i = first; i < last; i++) {
        const kind = model.kinds[i]!;
        // State and view lines restate the step just drawn; drops happen on no node.
        if (kind === KIND.state || kind === KIND.view) continue;
        const lane = laneOf(model, i);
        if (lane < 0) continue;
        const px = x(model.times[i]!);
        const py = laneY(lane);
        const selected = cut?.event === i;
        const style = selected
          ? COLORS.selection
          : cut
            ? i <= cut.past[lane]!
              ? PAST_COLOR
              : i >= cut.future[lane]!
                ? FUTURE_COLOR
                : alphaOf(COLORS.dim, 0.5)
            : kind === KIND.timer
              ? COLORS.info
              : kind === KIND.fault
                ? COLORS.fault
                : alphaOf(COLORS.text, 0.8);
        let path = dots.get(style);
        if (!path) dots.set(style, (path = new Path2D()));
        const r = selected ? radius + 2 : radius;
        path.moveTo(px + r, py);
        path.arc(px, py, r, 0, Math.PI * 2);
        points.push({ index: i, x: px, y: py });
      }
      // The selected point last, on top.
      for (const [style, path] of [...dots].sort(
        ([a], [b]) => Number(a === COLORS.selection) - Number(b === COLORS.selection),
      )) {
        g.fillStyle = style;
        g.fill(path);
      }
    }
    this.points = points;
    this.canvas.dataset.points = String(points.length);
    this.canvas.dataset.arrowLabels = String(labelled);
    this.canvas.dataset.causalEvent = cut ? String(cut.event) : '';

    // Markers: faults and violations as vertical lines.
    for (const marker of model.markers) {
      if (marker.time < t0 || marker.time > t1) continue;
      const mx = x(marker.time);
      g.strokeStyle = marker.kind === 'fault' ? withAlpha(COLORS.fault, 0.7) : COLORS.violation;
      g.lineWidth = marker.kind === 'fault' ? 1 : 2;
      g.setLineDash(marker.kind === 'fault' ? [3, 3] : []);
      g.beginPath();
      g.moveTo(mx, 17);
      g.lineTo(mx, height);
      g.stroke();
      g.setLineDash([]);
    }

    // The cursor.
    if (time >= t0 && time <= t1) {
      const cx = x(time);
      g.strokeStyle = COLORS.cursor;
      g.lineWidth = 1.5;
      g.beginPath();
      g.moveTo(cx, 0);
      g.lineTo(cx, height);
      g.stroke();
    }
    g.restore();

    // Lane labels.
    drawGutter(g, height);
    const selectedNode = selection?.kind === 'node' ? selection.node : -1;
    if (laneHeight >= 9) {
      g.font = `${Math.min(12, laneHeight - 2)}px ui-monospace, SFMono-Regular, Menlo, monospace`;
      for (let lane = 0; lane < lanes; lane++) {
        const node = frame.nodes[lane]!;
        const role = node.summary?.role;
        const y = laneY(lane);
        g.fillStyle = node.crashed ? COLORS.cut : (role && loaded.roleColors.get(role)) || COLORS.dim;
        g.beginPath();
        g.arc(10, y, Math.min(4, laneHeight / 3), 0, Math.PI * 2);
        g.fill();
        g.fillStyle = lane === selectedNode ? COLORS.selection : COLORS.text;
        g.fillText(model.nodes[lane]!, 20, y + 4, GUTTER - 24);
      }
    }
    // Time axis labels along the top.
    g.fillStyle = COLORS.faint;
    g.font = '10px system-ui, sans-serif';
    const ticks = x.ticks(Math.max(2, Math.floor((width - GUTTER) / 110)));
    for (const tick of ticks) g.fillText(formatDuration(tick), x(tick) + 3, height - 4);
    g.fillStyle = COLORS.dim;
    g.fillText(
      stride > 1 ? `1 in ${stride} of ${messagesInWindow} messages shown — zoom in` : `${messagesInWindow} messages`,
      6,
      12,
    );

    this.canvas.dataset.messagesInWindow = String(messagesInWindow);
    this.canvas.dataset.arrowsDrawn = String(drawn);
    this.canvas.dataset.drops = String(crosses.length);
    this.canvas.dataset.stride = String(stride);
    this.canvas.dataset.window = `${Math.round(t0)},${Math.round(t1)}`;
  }
}

/** A message's colour under a causal selection: in the past, in the future, or neither (undefined). */
function causalColor(cut: CausalCut, model: TraceModel, send: number): string | undefined {
  const from = model.nodeA[send]!;
  if (send <= cut.past[from]!) return withAlpha(PAST_COLOR, 0.9);
  if (send >= cut.future[from]!) return withAlpha(FUTURE_COLOR, 0.9);
  return undefined;
}

/** An open arrowhead at (x2, y2), added to `path`. */
function arrowHead(path: Path2D, x1: number, y1: number, x2: number, y2: number): void {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const size = 5;
  path.moveTo(x2, y2);
  path.lineTo(x2 - size * Math.cos(angle - 0.45), y2 - size * Math.sin(angle - 0.45));
  path.moveTo(x2, y2);
  path.lineTo(x2 - size * Math.cos(angle + 0.45), y2 - size * Math.sin(angle + 0.45));
}

/**
 * Each send's arrow colour, worked out once per message (from its description's first word) and
 * kept by send index, with its styles at each alpha: the hot loop then does no string work.
 */
class SendColors {
  private readonly colorOfSend: Int16Array;
  private readonly colors: string[] = [];
  private readonly styles = new Map<number, string[]>();

  constructor(events: number) {
    this.colorOfSend = new Int16Array(events).fill(-1);
  }

  style(send: number, desc: string, alpha: number): string {
    let color = this.colorOfSend[send]!;
    if (color < 0) {
      const hex = messageColor(desc);
      color = this.colors.indexOf(hex);
      if (color < 0) color = this.colors.push(hex) - 1;
      this.colorOfSend[send] = color;
    }
    let byColor = this.styles.get(alpha);
    if (!byColor) this.styles.set(alpha, (byColor = []));
    return (byColor[color] ??= withAlpha(this.colors[color]!, alpha));
  }
}

const sendColorsByModel = new WeakMap<TraceModel, SendColors>();
function sendColors(model: TraceModel): SendColors {
  let colors = sendColorsByModel.get(model);
  if (!colors) sendColorsByModel.set(model, (colors = new SendColors(model.events.length)));
  return colors;
}

/** `withAlpha`, remembered: a dense window asks for the same few styles thousands of times a frame. */
const alphaStyles = new Map<string, string>();
function alphaOf(hex: string, alpha: number): string {
  const key = `${hex}/${alpha}`;
  let style = alphaStyles.get(key);
  if (style === undefined) alphaStyles.set(key, (style = withAlpha(hex, alpha)));
  return style;
}

function hatch(g: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, color: string): void {
  if (w <= 0 || h <= 0) return;
  g.save();
  g.beginPath();
  g.rect(x, y, w, h);
  g.clip();
  g.strokeStyle = color;
  g.lineWidth = 1;
  g.beginPath();
  const step = 7;
  const start = Math.floor(x / step) * step;
  for (let sx = start - h; sx < x + w; sx += step) {
    g.moveTo(sx, y + h);
    g.lineTo(sx + h, y);
  }
  g.stroke();
  g.restore();
}

function distanceToSegment(px: number, py: number, arrow: Arrow): number {
  const dx = arrow.x2 - arrow.x1;
  const dy = arrow.y2 - arrow.y1;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - arrow.x1) * dx + (py - arrow.y1) * dy) / length));
  return Math.hypot(px - (arrow.x1 + t * dx), py - (arrow.y1 + t * dy));
}
