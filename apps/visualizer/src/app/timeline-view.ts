import * as d3 from 'd3';
import { formatDuration } from '../model/describe.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { COLORS, withAlpha } from './palette.ts';
import { fitCanvas, type Controller, type DrawContext } from './context.ts';
import { jumpMarkers, lastEventTime, type JumpMarker } from './run-markers.ts';

const PAD = 12;

/**
 * The whole run at a glance, and the scrubber: event density, crash/pause/partition stretches,
 * fault (amber) and violation (red) markers, the window the diagrams show, and the cursor.
 * Press and drag anywhere to scrub; the wheel zooms the diagrams' window around the pointer.
 */
export class TimelineView {
  private readonly canvas: HTMLCanvasElement;
  private density: { model: TraceModel; width: number; counts: Float64Array; max: number } | undefined;
  private scale = d3.scaleLinear();
  private dragging = false;
  private domain: readonly [number, number] = [0, 1];
  private end = 1;
  private markers: { model: TraceModel; list: JumpMarker[] } | undefined;

  constructor(
    root: HTMLElement,
    private readonly controller: Controller,
  ) {
    this.canvas = root.querySelector('canvas')!;
    const seek = (event: PointerEvent) => {
      const rect = this.canvas.getBoundingClientRect();
      this.controller.seekTime(Math.max(0, Math.min(this.end, this.scale.invert(event.clientX - rect.left))));
    };
    this.canvas.addEventListener('pointerdown', (event) => {
      this.dragging = true;
      this.canvas.setPointerCapture(event.pointerId);
      seek(event);
    });
    this.canvas.addEventListener('pointermove', (event) => {
      if (this.dragging) seek(event);
    });
    const stop = () => (this.dragging = false);
    this.canvas.addEventListener('pointerup', stop);
    this.canvas.addEventListener('pointercancel', stop);
    this.canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const rect = this.canvas.getBoundingClientRect();
        const at = this.scale.invert(event.clientX - rect.left);
        const factor = Math.exp(event.deltaY * 0.002);
        const [from, to] = this.domain;
        this.controller.setDomain(at - (at - from) * factor, at + (to - at) * factor);
      },
      { passive: false },
    );
  }

  draw(context: DrawContext): void {
    const { loaded, time, domain } = context;
    const { model } = loaded;
    const { context: g, width, height } = fitCanvas(this.canvas);
    this.domain = domain;
    const end = lastEventTime(model);
    this.end = end;
    const x = d3
      .scaleLinear()
      .domain([0, end])
      .range([PAD, width - PAD]);
    this.scale = x;
    g.clearRect(0, 0, width, height);
    // Top to bottom: marker triangles, the density bar, two rows of fault strips, tick labels.
    const barTop = 14;
    const stripsHeight = 9;
    const labelsHeight = 11;
    const barHeight = height - barTop - stripsHeight - labelsHeight;

    // Event density (computed once per width, O(events)).
    if (!this.density || this.density.model !== model || this.density.width !== width) {
      const buckets = Math.max(1, Math.floor(width - 2 * PAD));
      const counts = new Float64Array(buckets);
      const times = model.times;
      const factor = buckets / (end + 1);
      for (let i = 0; i < times.length; i++) counts[Math.min(buckets - 1, Math.floor(times[i]! * factor))]!++;
      let max = 1;
      for (const count of counts) if (count > max) max = count;
      this.density = { model, width, counts, max };
    }
    const { counts, max } = this.density;
    g.fillStyle = COLORS.grid;
    g.fillRect(PAD, barTop, width - 2 * PAD, barHeight);
    g.fillStyle = withAlpha('#7fb4e6', 0.45);
    for (let b = 0; b < counts.length; b++) {
      if (counts[b] === 0) continue;
      const h = Math.max(1, (Math.sqrt(counts[b]!) / Math.sqrt(max)) * (barHeight - 4));
      g.fillRect(PAD + b, barTop + barHeight - h, 1, h);
    }

    // Fault stretches as thin strips under the bar.
    for (const interval of model.intervals) {
      const xa = x(interval.from);
      const xb = Math.max(xa + 2, x(interval.to));
      g.fillStyle =
        interval.kind === 'crash'
          ? withAlpha(COLORS.cut, 0.8)
          : interval.kind === 'pause'
            ? COLORS.paused
            : interval.kind === 'partition'
              ? withAlpha(COLORS.cut, 0.45)
              : withAlpha(COLORS.fault, 0.6);
      const row = interval.kind === 'partition' || interval.kind === 'network' ? 0 : 1;
      g.fillRect(xa, barTop + barHeight + 1 + row * 4, Math.min(xb, width - PAD) - xa, 3);
    }

    // The diagrams' window.
    const wa = x(Math.max(0, domain[0]));
    const wb = x(Math.min(end, domain[1]));
    g.fillStyle = 'rgba(255,255,255,0.06)';
    g.fillRect(wa, barTop - 2, Math.max(2, wb - wa), barHeight + 4);
    g.strokeStyle = 'rgba(255,255,255,0.25)';
    g.strokeRect(wa + 0.5, barTop - 1.5, Math.max(2, wb - wa) - 1, barHeight + 3);

    // Markers: faults (amber), violations and errors (red, with a line), leadership changes (gold, small).
    if (this.markers?.model !== model) this.markers = { model, list: jumpMarkers(model) };
    for (const marker of this.markers.list) {
      const mx = x(marker.time);
      if (marker.kind === 'leader') {
        g.fillStyle = COLORS.leader;
        g.fillRect(mx - 1, barTop - 7, 2, 6);
        continue;
      }
      const color = marker.kind === 'fault' ? COLORS.fault : COLORS.violation;
      g.fillStyle = color;
      g.beginPath();
      g.moveTo(mx, barTop - 1);
      g.lineTo(mx - 4, barTop - 8);
      g.lineTo(mx + 4, barTop - 8);
      g.closePath();
      g.fill();
      if (marker.kind !== 'fault') {
        g.fillRect(mx - 1, barTop, 2, barHeight);
      }
    }

    // Ticks, in their own row under the fault strips so nothing strikes through them.
    g.fillStyle = COLORS.dim;
    g.font = '10px system-ui, sans-serif';
    g.textBaseline = 'bottom';
    const ticks = x.ticks(Math.max(2, Math.floor(width / 120)));
    for (const [i, tick] of ticks.entries()) {
      const label = formatDuration(tick);
      const tx = x(tick);
      g.fillRect(tx, barTop + barHeight + stripsHeight - 1, 1, 3);
      g.textAlign = i === ticks.length - 1 && tx + g.measureText(label).width + 2 > width ? 'right' : 'left';
      g.fillText(label, g.textAlign === 'right' ? tx - 2 : tx + 2, height);
    }
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';

    // Cursor.
    const cx = x(time);
    g.fillStyle = COLORS.cursor;
    g.fillRect(cx - 1, barTop - 4, 2, barHeight + 8);
    g.beginPath();
    g.arc(cx, barTop - 6, 4, 0, Math.PI * 2);
    g.fill();
  }
}
