import { hashTrace, parseTrace } from '@dsim/core';
import { ClusterView } from './app/cluster-view.ts';
import { type Controller, type DrawContext, type Loaded, type Selection, type Source } from './app/context.ts';
import { Inspector } from './app/inspector.ts';
import { renderLegends } from './app/legends.ts';
import { OperationsView } from './app/operations-view.ts';
import { dropColors, roleColors } from './app/palette.ts';
import { Dialogs } from './app/dialogs.ts';
import { el, replaceContent, type Child } from './app/dom.ts';
import { SpaceTimeView } from './app/spacetime-view.ts';
import { TimelineView } from './app/timeline-view.ts';
import { formatTime } from './model/describe.ts';
import { checkTrace, markFailingOperation, type Verdict } from './model/linearizability.ts';
import { decodeRunSpec, encodeRunSpec, type RunSpec } from './model/run-spec.ts';
import { FrameSeeker } from './model/seeker.ts';
import { buildTraceModel, indexAtTime } from './model/trace-model.ts';
import { findScenario, scenariosReady, shippedScenarios } from './scenarios.ts';
import { RunWorker } from './worker/client.ts';

/** Simulated microseconds per wall millisecond; 1000 is real time. */
const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000, 200_000];

interface Timings {
  /** Since navigation: when the app started fetching the trace (URL loads only). */
  pageReadyMs?: number;
  fetchMs?: number;
  readingMs: number;
  parseMs: number;
  modelMs: number;
  checkpointsMs: number;
  firstDrawMs: number;
  totalMs: number;
}

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

class App implements Controller {
  loaded: Loaded | undefined;
  source: Source | undefined;
  text = '';
  hash: string | undefined;
  /** Hash the run worker reported (for in-browser runs). */
  runHash: string | undefined;
  verdict: Verdict | undefined;
  index = 0;
  time = 0;
  domain: [number, number] = [0, 1];
  selection: Selection | undefined;
  playing = false;
  speedIndex = 3;
  skipQuiet = true;
  timings: Timings | undefined;
  frames = 0;
  lastDrawMs = 0;
  /** Where the last frame's time went, in ms (for the benchmark). */
  drawBreakdown: Record<string, number> = {};
  readonly worker = new RunWorker();
  private dirty = true;
  private lastTick = 0;
  private readonly cluster = new ClusterView($('#cluster'), this);
  private readonly spacetime = new SpaceTimeView($('#spacetime'), this);
  private readonly operations = new OperationsView($('#operations'), this, () => this.verdict);
  private readonly timeline = new TimelineView($('#timeline'), this);
  private readonly inspector = new Inspector($('#inspector'), this, () => this.verdict);
  readonly dialogs = new Dialogs(this);

  constructor() {
    const speed = $<HTMLSelectElement>('#speed');
    for (const [index, value] of SPEEDS.entries()) {
      const option = document.createElement('option');
      option.value = String(index);
      option.textContent = `${value / 1000}×`;
      speed.append(option);
    }
    speed.addEventListener('change', () => this.setSpeed(Number(speed.value)));
    $<HTMLInputElement>('#skip-quiet').addEventListener(
      'change',
      (event) => (this.skipQuiet = (event.target as HTMLInputElement).checked),
    );
    $('#play').addEventListener('click', () => this.togglePlay());
    $('#step').addEventListener('click', () => this.step(1));
    $('#step-back').addEventListener('click', () => this.step(-1));
    $('#to-start').addEventListener('click', () => this.seekIndex(0));
    $('#to-end').addEventListener('click', () => this.loaded && this.seekIndex(this.loaded.model.events.length));
    $('#prev-marker').addEventListener('click', () => this.jumpMarker(-1));
    $('#next-marker').addEventListener('click', () => this.jumpMarker(1));
    window.addEventListener('resize', () => this.requestDraw());
    requestAnimationFrame((now) => this.tick(now));
  }

  // ------------------------------------------------------------------ loading

  async loadText(
    text: string,
    source: Source,
    options: { at?: number; runHash?: string; play?: boolean } = {},
  ): Promise<void> {
    const start = performance.now();
    this.status(`Reading ${source.name}…`);
    await nextPaint();
    const parseStart = performance.now();
    const parsed = parseTrace(text);
    const modelStart = performance.now();
    const model = buildTraceModel(parsed);
    const seekerStart = performance.now();
    const seeker = new FrameSeeker(model);
    const drawStart = performance.now();
    this.playing = false;
    this.loaded = { model, seeker, roleColors: roleColors(model.roles), dropColors: dropColors(model.dropReasons) };
    this.source = source;
    this.text = text;
    this.hash = undefined;
    this.runHash = options.runHash;
    this.verdict = undefined;
    this.selection = undefined;
    this.domain = initialDomain(model.times, model.endTime, model.messageCount);
    this.index = 0;
    this.time = 0;
    // A speed at which a typical message takes about half a second to cross.
    const wanted = model.medianFlight > 0 ? model.medianFlight / 500 : model.endTime / 30_000;
    this.setSpeed(nearestSpeed(wanted));
    if (options.at !== undefined) this.seekTime(options.at);
    document.body.classList.add('loaded');
    renderLegends(this.loaded);
    this.renderProblems();
    this.renderTitle();
    this.draw();
    const end = performance.now();
    this.timings = {
      readingMs: parseStart - start,
      parseMs: modelStart - parseStart,
      modelMs: seekerStart - modelStart,
      checkpointsMs: drawStart - seekerStart,
      firstDrawMs: end - drawStart,
      totalMs: end - parseStart,
    };
    this.status(
      `${source.name}: ${model.events.length.toLocaleString()} events${model.problems.length ? `, ${model.problems.length} problem${model.problems.length === 1 ? '' : 's'}` : ''}`,
    );
    if (options.play) this.playing = true;
    this.updatePlayButton();
    // The hash and the checker's verdict come after the first picture.
    setTimeout(() => {
      if (this.text !== text) return;
      this.hash = hashTrace(text);
      this.verdict = checkTrace(model);
      markFailingOperation(model, this.verdict);
      this.renderTitle();
      this.renderVerdict();
      this.requestDraw();
    }, 0);
  }

  async loadUrl(url: string, options: { at?: number } = {}): Promise<void> {
    this.status(`Fetching ${url}…`);
    try {
      const fetchStart = performance.now();
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      const text = await readText(response);
      const fetched = performance.now();
      await this.loadText(text, { kind: 'url', name: url.split('/').pop() || url, url }, options);
      if (this.timings) Object.assign(this.timings, { pageReadyMs: fetchStart, fetchMs: fetched - fetchStart });
    } catch (error) {
      this.status(`Could not load the trace at ${url}: ${(error as Error).message}`, true);
    }
  }

  async loadFile(file: File): Promise<void> {
    const text = await file.text();
    if (/\.json$/i.test(file.name)) {
      // A scenario file (for example a fork exported from here) runs; anything else is read as a trace.
      try {
        const value: unknown = JSON.parse(text);
        if (
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          'protocol' in value &&
          !('format' in value)
        ) {
          const spec = value as Record<string, unknown>;
          await this.run({ spec, ...(typeof spec.seed === 'number' ? { seed: spec.seed } : {}) });
          return;
        }
      } catch {
        // not one JSON document: fall through and report it as a trace
      }
    }
    await this.loadText(text, { kind: 'file', name: file.name });
  }

  /** Runs a scenario in the worker and loads its trace. Returns the run's hash, or an error message. */
  async run(run: RunSpec, options: { at?: number; play?: boolean } = {}): Promise<{ hash?: string; error?: string }> {
    const name = run.scenario ?? String(run.spec?.name ?? 'scenario');
    this.status(`Running ${name}${run.seed !== undefined ? ` seed ${run.seed}` : ''} in a worker…`);
    const started = performance.now();
    const reply = await this.worker.run(run);
    if (reply.type === 'error') {
      this.status(`Could not run ${name}: ${reply.message}`, true);
      return { error: reply.message };
    }
    if (reply.type !== 'ran') return { error: 'unexpected reply from the run worker' };
    const effective: RunSpec = { ...run, seed: reply.seed };
    history.replaceState(null, '', `?${encodeRunSpec(effective)}`);
    await this.loadText(reply.text, { kind: 'run', name, run: effective }, { runHash: reply.hash, ...options });
    this.status(
      `Ran ${name} seed ${reply.seed} in ${Math.round(performance.now() - started)} ms: ${reply.events.toLocaleString()} events, hash ${reply.hash}`,
    );
    return { hash: reply.hash };
  }

  // ------------------------------------------------------------------ controller

  select(selection: Selection | undefined): void {
    this.selection = selection;
    this.requestDraw();
  }

  seekTime(time: number): void {
    if (!this.loaded) return;
    const { model } = this.loaded;
    this.time = Math.max(0, Math.min(model.endTime, time));
    this.index = indexAtTime(model.times, this.time);
    this.follow(true);
    this.requestDraw();
  }

  seekIndex(index: number): void {
    if (!this.loaded) return;
    const { model } = this.loaded;
    this.index = Math.max(0, Math.min(model.events.length, index));
    this.time = this.index > 0 ? model.times[this.index - 1]! : 0;
    if (this.index === model.events.length) this.time = Math.max(this.time, model.endTime);
    this.requestDraw();
  }

  step(direction: 1 | -1): void {
    this.playing = false;
    this.updatePlayButton();
    this.seekIndex(this.index + direction);
    this.follow();
    const event = this.loaded?.model.events[this.index - 1];
    if (event && this.loaded) {
      const id = this.loaded.model.messageIds[this.index - 1]!;
      if (id >= 0) this.selection = { kind: 'message', id };
    }
  }

  setDomain(from: number, to: number): void {
    if (!this.loaded) return;
    const end = this.loaded.model.endTime;
    let width = Math.max(20, Math.min(end, to - from));
    if (!(width > 0)) width = end;
    let start = Math.max(0, Math.min(end - width, from));
    if (!Number.isFinite(start)) start = 0;
    this.domain = [start, start + width];
    this.spacetime.syncZoom(this.domain[0], this.domain[1]);
    this.requestDraw();
  }

  requestDraw(): void {
    this.dirty = true;
  }

  togglePlay(): void {
    if (!this.loaded) return;
    if (!this.playing && this.index >= this.loaded.model.events.length) this.seekIndex(0);
    this.playing = !this.playing;
    this.updatePlayButton();
    this.requestDraw();
  }

  setSpeed(index: number): void {
    this.speedIndex = Math.max(0, Math.min(SPEEDS.length - 1, index));
    $<HTMLSelectElement>('#speed').value = String(this.speedIndex);
  }

  get speed(): number {
    return SPEEDS[this.speedIndex]!;
  }

  jumpMarker(direction: 1 | -1): void {
    if (!this.loaded) return;
    const markers = this.loaded.model.markers;
    const marker =
      direction > 0
        ? markers.find((m) => m.index >= this.index)
        : [...markers].reverse().find((m) => m.index < this.index - 1);
    if (!marker) {
      this.status(direction > 0 ? 'No later fault or violation' : 'No earlier fault or violation');
      return;
    }
    this.playing = false;
    this.updatePlayButton();
    this.seekIndex(marker.index + 1);
    this.follow(true);
    this.status(`${formatTime(marker.time)}  ${marker.label}`);
  }

  fit(): void {
    if (!this.loaded) return;
    this.setDomain(0, this.loaded.model.endTime);
  }

  zoomAroundCursor(factor: number): void {
    const [from, to] = this.domain;
    const width = (to - from) * factor;
    this.setDomain(this.time - width / 2, this.time + width / 2);
  }

  /** Keeps the cursor inside the diagrams' window. */
  private follow(center = false): void {
    const [from, to] = this.domain;
    if (this.time >= from && this.time <= to) return;
    const width = to - from;
    this.setDomain(this.time - width * (center ? 0.5 : 0.1), this.time + width * (center ? 0.5 : 0.9));
  }

  // ------------------------------------------------------------------ the loop

  private tick(now: number): void {
    const elapsed = Math.min(100, now - (this.lastTick || now));
    this.lastTick = now;
    if (this.playing && this.loaded) {
      const { model } = this.loaded;
      let time = this.time + elapsed * this.speed;
      if (this.skipQuiet) {
        const frame = this.loaded.seeker.frameAt(this.index);
        const next = this.index < model.events.length ? model.times[this.index]! : model.endTime;
        // Nothing moving and nothing due soon: jump to just before the next event.
        if (frame.inFlight.size === 0 && next - time > this.speed * 400) time = next - this.speed * 150;
      }
      if (time >= model.endTime) {
        time = model.endTime;
        this.playing = false;
        this.updatePlayButton();
      }
      this.time = time;
      this.index = indexAtTime(model.times, time);
      this.follow();
      this.dirty = true;
    }
    if (this.dirty) this.draw();
    requestAnimationFrame((next) => this.tick(next));
  }

  draw(): void {
    this.dirty = false;
    if (!this.loaded) return;
    const started = performance.now();
    const frame = this.loaded.seeker.frameAt(this.index);
    const context: DrawContext = {
      loaded: this.loaded,
      frame,
      time: this.time,
      domain: this.domain,
      selection: this.selection,
      speed: this.speed,
    };
    const t0 = performance.now();
    this.cluster.draw(context);
    const t1 = performance.now();
    this.spacetime.draw(context);
    const t2 = performance.now();
    this.operations.draw(context);
    this.timeline.draw(context);
    const t3 = performance.now();
    this.inspector.draw(context);
    const t4 = performance.now();
    this.drawBreakdown = {
      seek: t0 - started,
      cluster: t1 - t0,
      spacetime: t2 - t1,
      operationsAndTimeline: t3 - t2,
      inspector: t4 - t3,
    };
    const total = this.loaded.model.events.length;
    replaceContent(
      $('#clock'),
      't = ',
      el('b', {}, formatTime(this.time)),
      ' ',
      el(
        'span',
        { class: 'dim' },
        `· event ${this.index.toLocaleString()} / ${total.toLocaleString()}`,
        frame.violations
          ? el(
              'span',
              { style: 'color:var(--violation)' },
              ` · ${frame.violations} violation${frame.violations === 1 ? '' : 's'}`,
            )
          : null,
      ),
    );
    $('#cluster-note').textContent =
      `${frame.inFlight.size} in flight${frame.partition ? ' · partitioned' : ''}${frame.networkFaults.length ? ` · ${frame.networkFaults.map((f) => f.type).join(', ')}` : ''}`;
    this.frames++;
    this.lastDrawMs = performance.now() - started;
  }

  // ------------------------------------------------------------------ chrome

  updatePlayButton(): void {
    $('#play').textContent = this.playing ? '❚❚' : '▶';
  }

  renderTitle(): void {
    const model = this.loaded?.model;
    if (!model || !this.source) return;
    const header = model.header;
    const parts: Child[] = [];
    parts.push(el('b', {}, String(header?.scenario ?? this.source.name)));
    if (header) parts.push(String(header.protocol), `seed ${String(header.seed)}`, `${header.nodes.length} nodes`);
    parts.push(`${model.events.length.toLocaleString()} events`);
    if (this.hash) {
      const matches = this.runHash === undefined ? '' : this.runHash === this.hash ? ' ✓' : ` ≠ run ${this.runHash}`;
      parts.push(el('span', {}, 'hash ', el('span', { class: 'hash', id: 'trace-hash' }, this.hash), matches));
    }
    parts.push(this.source.kind === 'run' ? 'run in this browser' : this.source.name);
    replaceContent($('#title'), ...parts.flatMap((part, i) => (i === 0 ? [part] : [' · ', part])));
  }

  private renderVerdict(): void {
    const element = $('#verdict');
    const verdict = this.verdict;
    if (!verdict) {
      element.textContent = '';
      return;
    }
    element.className = `verdict ${verdict.status}`;
    const label: Record<Verdict['status'], string> = {
      linearizable: `✓ linearizable (${verdict.model})`,
      'not-linearizable': `✗ not linearizable (${verdict.model}): ${verdict.prefixOrder?.length ?? 0} ops linearize, then one cannot be placed`,
      unknown: 'linearizability unknown (search budget ran out)',
      unavailable: 'not checked',
      'no-operations': 'no client operations',
    };
    element.textContent = label[verdict.status];
    element.title = verdict.message;
  }

  private renderProblems(): void {
    const element = $('#problems');
    const problems = this.loaded?.model.problems ?? [];
    if (problems.length === 0) {
      element.hidden = true;
      return;
    }
    element.hidden = false;
    const events = this.loaded!.model.events.length;
    const first = problems[0]!;
    element.replaceChildren();
    const summary = el(
      'div',
      {},
      el('b', {}, `${problems.length} problem${problems.length === 1 ? '' : 's'} reading this trace`),
      ` — showing the ${events.toLocaleString()} valid events. First: line ${first.line}: ${first.message}`,
    );
    const list = document.createElement('ul');
    for (const problem of problems.slice(0, 50)) {
      const item = document.createElement('li');
      item.textContent = `line ${problem.line}: ${problem.message}`;
      list.append(item);
    }
    if (problems.length > 50)
      list.append(Object.assign(document.createElement('li'), { textContent: `… and ${problems.length - 50} more` }));
    element.append(summary, list);
  }

  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  status(message: string, error = false): void {
    const element = $('#status');
    element.textContent = message;
    element.className = `status visible${error ? ' error' : ''}`;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(() => (element.className = 'status'), error ? 9000 : 3500);
  }

  // ------------------------------------------------------------------ keyboard

  onKey(event: KeyboardEvent): void {
    if (
      event.target instanceof HTMLInputElement ||
      event.target instanceof HTMLTextAreaElement ||
      event.target instanceof HTMLSelectElement
    )
      return;
    if (document.querySelector('dialog[open]') && event.key !== 'Escape') return;
    const model = this.loaded?.model;
    const handled = () => event.preventDefault();
    switch (event.key) {
      case ' ':
        this.togglePlay();
        return handled();
      case 'ArrowRight':
        if (event.shiftKey && model) this.seekTime(this.time + model.endTime / 100);
        else this.step(1);
        return handled();
      case 'ArrowLeft':
        if (event.shiftKey && model) this.seekTime(this.time - model.endTime / 100);
        else this.step(-1);
        return handled();
      case ']':
        this.jumpMarker(1);
        return handled();
      case '[':
        this.jumpMarker(-1);
        return handled();
      case 'Home':
        this.seekIndex(0);
        return handled();
      case 'End':
        if (model) this.seekIndex(model.events.length);
        return handled();
      case '+':
      case '=':
        this.setSpeed(this.speedIndex + 1);
        return handled();
      case '-':
      case '_':
        this.setSpeed(this.speedIndex - 1);
        return handled();
      case 'f':
        this.fit();
        return handled();
      case 'z':
        this.zoomAroundCursor(0.25);
        return handled();
      case 'x':
        this.zoomAroundCursor(4);
        return handled();
      case 'o':
        $<HTMLInputElement>('#file').click();
        return handled();
      case 'r':
        this.dialogs.openRun();
        return handled();
      case 'k':
        this.dialogs.openFork();
        return handled();
      case '?':
        this.dialogs.openHelp();
        return handled();
      case 'Escape':
        this.select(undefined);
        return;
      default:
        return;
    }
  }
}

function initialDomain(times: Float64Array, end: number, messages: number): [number, number] {
  if (messages <= 4000 || times.length === 0) return [0, end];
  // Dense traces open on their first few thousand events; `f` fits the whole run.
  const last = times[Math.min(times.length - 1, 8000)]!;
  return [0, Math.max(last, end / 1000)];
}

function nearestSpeed(wanted: number): number {
  let best = 0;
  for (let i = 0; i < SPEEDS.length; i++)
    if (Math.abs(Math.log(SPEEDS[i]! / wanted)) < Math.abs(Math.log(SPEEDS[best]! / wanted))) best = i;
  return best;
}

/**
 * Reads a response body as text by streaming it through a TextDecoder: in Chromium this is about
 * twice as fast as `response.text()` for a 100 MB trace (decoding overlaps the download).
 */
async function readText(response: Response): Promise<string> {
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

// ------------------------------------------------------------------ wiring

const app = new App();
window.addEventListener('keydown', (event) => app.onKey(event));
$<HTMLInputElement>('#file').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void app.loadFile(file);
});
$('#empty-open').addEventListener('click', () => $<HTMLInputElement>('#file').click());
$('#empty-run').addEventListener('click', () => app.dialogs.openRun());
$('#open-run').addEventListener('click', () => app.dialogs.openRun());
$('#fork').addEventListener('click', () => app.dialogs.openFork());
$('#help-button').addEventListener('click', () => app.dialogs.openHelp());
$('#share').addEventListener('click', () => {
  if (app.source?.kind === 'file') {
    app.status('A trace opened from a file has no link; run it here (Run scenario) or serve it with dsim view', true);
    return;
  }
  const url = new URL(location.href);
  if (app.source?.kind === 'run') url.search = `?${encodeRunSpec({ ...app.source.run, at: Math.round(app.time) })}`;
  void navigator.clipboard?.writeText(url.href).then(
    () => app.status('Link copied: it reproduces this run exactly'),
    () => app.status(url.href),
  );
});

// Drag and drop anywhere.
let dragDepth = 0;
window.addEventListener('dragenter', (event) => {
  event.preventDefault();
  dragDepth++;
  $('#drop-zone').hidden = false;
});
window.addEventListener('dragleave', () => {
  if (--dragDepth <= 0) $('#drop-zone').hidden = true;
});
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => {
  event.preventDefault();
  dragDepth = 0;
  $('#drop-zone').hidden = true;
  const file = event.dataTransfer?.files[0];
  if (file) void app.loadFile(file);
});

// The URL: ?trace=<url>, or a run (?scenario=…&seed=…&faults=…).
const params = new URLSearchParams(location.search);
const traceUrl = params.get('trace');
const at = params.get('at');
const ready = (async () => {
  await scenariosReady;
  if (traceUrl) await app.loadUrl(traceUrl, at && /^\d+$/.test(at) ? { at: Number(at) } : {});
  else {
    const run = decodeRunSpec(params);
    if (run && 'error' in run) app.status(run.error, true);
    else if (run) await app.run(run, run.at !== undefined ? { at: run.at } : {});
  }
})();

/** A handle for tests and benchmarks: what is loaded and drawn, and ways to drive the app. */
const testHook = {
  ready,
  app,
  scenarios: () =>
    shippedScenarios.map((entry) => ({ key: entry.key, file: entry.file, protocol: entry.scenario.protocol })),
  findScenario,
  state: () => {
    const loaded = app.loaded;
    const frame = loaded?.seeker.frameAt(app.index);
    return {
      loaded: !!loaded,
      events: loaded?.model.events.length ?? 0,
      problems: loaded?.model.problems ?? [],
      index: app.index,
      time: app.time,
      domain: app.domain,
      playing: app.playing,
      hash: app.hash,
      runHash: app.runHash,
      verdict: app.verdict
        ? {
            status: app.verdict.status,
            message: app.verdict.message,
            failing: app.verdict.failing,
            prefix: app.verdict.prefixOrder?.length,
          }
        : undefined,
      timings: app.timings,
      frames: app.frames,
      lastDrawMs: app.lastDrawMs,
      inFlight: frame?.inFlight.size ?? 0,
      partition: frame?.partition,
      nodes:
        loaded && frame
          ? loaded.model.nodes.map((id, i) => ({
              id,
              up: frame.nodes[i]!.up,
              crashed: frame.nodes[i]!.crashed,
              paused: frame.nodes[i]!.paused,
              role: frame.nodes[i]!.summary?.role,
            }))
          : [],
      source: app.source,
      url: location.href,
    };
  },
  seekTime: (time: number) => app.seekTime(time),
  seekIndex: (index: number) => app.seekIndex(index),
  setDomain: (from: number, to: number) => app.setDomain(from, to),
  select: (selection: Selection | undefined) => app.select(selection),
  loadText: (text: string, name: string) => app.loadText(text, { kind: 'file', name }),
  run: (run: RunSpec) => app.run(run),
  hashes: async (scenarios: string[], seeds: number[]) => {
    const reply = await app.worker.hashes(scenarios, seeds);
    if (reply.type === 'error') throw new Error(reply.message);
    return reply.type === 'hashes' ? reply.hashes : {};
  },
  drawNow: () => app.draw(),
};
(window as unknown as { __dsim: typeof testHook }).__dsim = testHook;
