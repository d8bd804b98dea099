// First: it starts the download of the trace the URL names while the rest of the code evaluates.
import { takeEarlyFetch } from './early-fetch.ts';
import { TraceReader } from '@dsim/core';
import { ClockView } from './app/clock-view.ts';
import { ClusterView } from './app/cluster-view.ts';
import {
  measureCanvases,
  onCanvasResize,
  type Controller,
  type DrawContext,
  type Loaded,
  type Selection,
  type Source,
} from './app/context.ts';
import { Inspector } from './app/inspector.ts';
import { renderLegends } from './app/legends.ts';
import { OperationsView } from './app/operations-view.ts';
import { dropColors, roleColors } from './app/palette.ts';
import type { Dialogs } from './app/dialogs.ts';
import { el, replaceContent, type Child } from './app/dom.ts';
import { SpaceTimeView } from './app/spacetime-view.ts';
import { TimelineView } from './app/timeline-view.ts';
import { countsLabel, traceCounts } from './model/counts.ts';
import { formatCount, formatTime } from './model/describe.ts';
import { markFailingOperation, type Verdict } from './model/verdict.ts';
import { AnalysisWorker } from './worker/analysis-client.ts';
import { decodeRunSpec, encodeRunSpec, type RunSpec } from './model/run-spec.ts';
import { FrameSeeker } from './model/seeker.ts';
import { buildTraceModel, indexAtTime, traceModelSteps, type TraceModel } from './model/trace-model.ts';
import { messageKinds } from './model/sequence-export.ts';
import { committedEntriesOf } from './model/view-facts.ts';
import { violationsOf } from './model/violations.ts';
import { RunWorker } from './worker/client.ts';
import { jumpMarkers, lastEventTime, type JumpMarker } from './app/run-markers.ts';

/** Simulated microseconds per wall millisecond; 1000 is real time. */
const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000, 200_000];

interface Timings {
  /** When the app began loading the trace (performance.now; for URLs, the start of the fetch). */
  pageReadyMs: number;
  /** From then to the first picture (of the first part of a large trace). */
  firstPictureMs: number;
  /** Time spent reading lines (in slices, overlapping the download). */
  parseMs: number;
  /**
   * Indexing the whole trace, and folding it into checkpoints before it is drawn (wall time,
   * slices and the frames between); a trace drawn once, whole, is folded after it is drawn.
   */
  modelMs: number;
  checkpointsMs: number;
  /** The first picture's own cost (model of the first part and its draw), and where it went. */
  firstDrawMs: number;
  firstDrawParts: Record<string, number>;
  /** From the start to the whole trace on screen. */
  totalMs: number;
}

interface LoadOptions {
  readonly at?: number;
  readonly runHash?: string;
  readonly play?: boolean;
}

/** Events in the first picture of a large trace (a dense trace's first window shows 8,000). */
const FIRST_PICTURE_EVENTS = 10_000;
/**
 * A trace known to be at most this long (its Content-Length, a file's size) is drawn once, whole:
 * it is read, indexed and drawn in about a second, and a picture of its first part would only
 * delay the whole by that picture's own cost. A longer trace, or one of unknown length (a
 * stream), shows its first part first.
 */
const WHOLE_AT_ONCE_BYTES = 12_000_000;
/** Longest a slice of loading work runs before the page gets to draw and answer, in ms. */
const SLICE_MS = 30;
/** Lines read, and events indexed or folded, between checks of the slice's time. */
const READ_LINES = 500;
const STEP_EVENTS = 2_000;

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

type Later = typeof import('./app/later.ts');
/** The code loaded after the first picture (app/later.ts), once it is. */
let later: Later | undefined;
let laterLoading: Promise<Later> | undefined;
function loadLater(): Promise<Later> {
  // With the project's protocols (served by `dsim view`) joined, so the Run dialog offers them.
  laterLoading ??= import('./app/later.ts').then(
    async (module) => {
      await module.protocolsReady;
      return (later = module);
    },
    (error: unknown) => {
      laterLoading = undefined; // the next use tries again
      throw error;
    },
  );
  return laterLoading;
}

class App implements Controller {
  loaded: Loaded | undefined;
  /** True while a trace is being read: what is on screen may be its first part. */
  loading = false;
  source: Source | undefined;
  /** Counts loads, so a slow load that a newer one replaced stops. */
  private generation = 0;
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
  private readonly analysis = new AnalysisWorker();
  /** Wall time (performance.now) of the first picture of the loaded trace, and of the hash and verdict. */
  firstPictureAt = 0;
  /** How many events the first picture showed (fewer than the trace's when it was drawn from its first part). */
  firstPictureEvents = 0;
  analysedAt = 0;
  private analysisFailed = false;
  /** Where the replay ends: the last event (not the scenario's `until`). */
  end = 1;
  markers: JumpMarker[] = [];
  previous: { model: TraceModel; name: string } | undefined;
  private dirty = true;
  private lastTick = 0;
  private readonly cluster = new ClusterView($('#cluster'), this);
  private readonly spacetime = new SpaceTimeView($('#spacetime'), this);
  private readonly operations = new OperationsView($('#operations'), this, () => this.verdict);
  private readonly timeline = new TimelineView($('#timeline'), this);
  private readonly inspector = new Inspector($('#inspector'), this, () => this.verdict);
  private dialogs: Dialogs | undefined;
  private readonly clock = new ClockView($('#clock'));
  private readonly clusterNote = $('#cluster-note');

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
    onCanvasResize(() => this.requestDraw());
    requestAnimationFrame((now) => this.tick(now));
  }

  // ------------------------------------------------------------------ loading

  /** Loads a trace held whole in memory (a file, a run's trace). */
  loadText(text: string, source: Source, options: LoadOptions = {}): Promise<void> {
    return this.loadPieces(onePiece(text), source, options, performance.now(), text.length);
  }

  /**
   * Loads a trace from its text in pieces, as they arrive. Unless `totalBytes` says the trace is
   * short (WHOLE_AT_ONCE_BYTES), the first picture is drawn from the first FIRST_PICTURE_EVENTS
   * events while the rest is still being read; then the rest is read,
   * indexed and folded into checkpoints in slices of at most SLICE_MS, between which the page
   * draws and answers, and the whole trace replaces the first part on screen. The text goes to
   * the analysis worker piece by piece, which hashes it meanwhile.
   */
  private async loadPieces(
    pieces: AsyncIterable<Piece>,
    source: Source,
    options: LoadOptions,
    startedAt: number,
    totalBytes = 0,
  ): Promise<void> {
    const generation = ++this.generation;
    const superseded = () => generation !== this.generation;
    this.loading = true;
    this.playing = false;
    this.updatePlayButton();
    this.status(`Reading ${source.name}…`);
    this.timings = undefined;
    const slicer = new Slicer(SLICE_MS);
    const reader = new TraceReader();
    let shownFirst = false;
    const partFirst = !(totalBytes > 0 && totalBytes <= WHOLE_AT_ONCE_BYTES);
    let parseMs = 0;
    let firstDrawMs = 0;
    let firstDrawParts: Record<string, number> = {};
    let characters = 0;
    let keptHash: string | undefined;
    const analysis = this.analysis.begin({
      hash: (hash) => {
        if (superseded()) return;
        keptHash = hash;
        if (this.loading) return; // shown when the whole trace is
        this.hash = hash;
        this.renderTitle();
        progress(0.97, 'Checking the client history in a worker…');
      },
      verdict: (verdict) => {
        if (superseded()) return;
        const model = this.loaded!.model;
        // Sets do not survive the trip from the worker as our type says: rebuild the prefix set.
        this.verdict = { ...verdict, ...(verdict.prefixOrder ? { prefix: new Set(verdict.prefixOrder) } : {}) };
        // The marker sits at the failing operation, not at the end of the run.
        markFailingOperation(model, this.verdict);
        this.analysedAt = performance.now();
        this.renderVerdict();
        progress(1, '');
        this.requestDraw();
      },
      error: (message) => {
        if (superseded()) return;
        this.analysisFailed = true;
        progress(1, '');
        this.status(`Could not hash or check this trace: ${message}`, true);
      },
    });
    this.hash = undefined;
    this.runHash = options.runHash;
    this.verdict = undefined;
    this.analysedAt = 0;
    this.analysisFailed = false;
    const readProgress = () =>
      totalBytes > 0
        ? `Reading ${(characters / 1e6).toFixed(0)} of ${(totalBytes / 1e6).toFixed(0)} MB…`
        : `Reading ${(characters / 1e6).toFixed(0)} MB…`;
    const showFirst = () => {
      // The first picture: the events read so far, drawn as a trace of their own.
      const drawStart = performance.now();
      const partial = buildTraceModel({
        header: reader.header,
        events: reader.events.slice(),
        problems: [],
        complete: false,
      });
      const seekerStart = performance.now();
      const seeker = new FrameSeeker(partial);
      const installStart = performance.now();
      this.install(partial, seeker, source, options, true);
      firstDrawParts = {
        model: seekerStart - drawStart,
        checkpoints: installStart - seekerStart,
        install: performance.now() - installStart,
        ...this.drawBreakdown,
      };
      this.firstPictureAt = performance.now();
      performance.mark('dsim:first-picture');
      this.firstPictureEvents = partial.events.length;
      firstDrawMs = this.firstPictureAt - drawStart;
      shownFirst = true;
      this.status(
        `${source.name}: showing the first ${formatCount(partial.events.length)} trace lines while the rest is read`,
      );
    };

    for await (const piece of pieces) {
      if (superseded()) return;
      characters += piece.text.length;
      if (piece.bytes) analysis.bytes(piece.bytes);
      else analysis.text(piece.text);
      reader.push(piece.text);
      for (;;) {
        const parseStart = performance.now();
        const lines = reader.read(READ_LINES);
        parseMs += performance.now() - parseStart;
        if (lines === 0) break;
        if (partFirst && !shownFirst && reader.events.length >= FIRST_PICTURE_EVENTS) showFirst();
        if (await slicer.pause()) {
          if (superseded()) return;
          progress(totalBytes ? 0.6 * Math.min(1, characters / totalBytes) : 0.3, readProgress());
        }
      }
    }
    const parseStart = performance.now();
    const parsed = reader.finish();
    performance.mark('dsim:read');
    parseMs += performance.now() - parseStart;
    await slicer.pause();
    if (superseded()) return;

    // The whole trace: indexed, then folded into checkpoints, a slice at a time. When nothing is
    // on screen yet (a trace drawn once, whole: at most WHOLE_AT_ONCE_BYTES, or under
    // FIRST_PICTURE_EVENTS events) it is drawn first and folded after, between frames: until
    // then a far seek folds from the last checkpoint made, which such a trace's size bounds. A
    // first part on screen is replaced only by a whole that seeks in O(interval) anywhere.
    progress(0.7, `Indexing ${formatCount(parsed.events.length)} events…`);
    const modelStart = performance.now();
    const model = await this.drive(traceModelSteps(parsed, STEP_EVENTS), slicer, superseded);
    if (!model) return;
    performance.mark('dsim:indexed');
    const seekerStart = performance.now();
    progress(0.8, 'Preparing to scrub…');
    const growing = shownFirst ? undefined : FrameSeeker.growing(model, 2048, STEP_EVENTS);
    const seeker =
      growing?.seeker ?? (await this.drive(FrameSeeker.steps(model, 2048, STEP_EVENTS), slicer, superseded));
    if (!seeker) return;
    if (!growing) performance.mark('dsim:folded');
    const extrasStart = performance.now();
    // What the first draw of a new model computes, each in a slice of its own.
    const markers = jumpMarkers(model);
    await slicer.pause();
    messageKinds(model);
    await slicer.pause();
    committedEntriesOf(model);
    await slicer.pause();
    violationsOf(model);
    await slicer.pause();
    if (superseded()) return;
    const installStart = performance.now();
    performance.mark('dsim:extras');
    this.install(model, seeker, source, options, !shownFirst, markers);
    const end = performance.now();
    if (!shownFirst) {
      this.firstPictureAt = end;
      performance.mark('dsim:first-picture');
      this.firstPictureEvents = model.events.length;
      firstDrawMs = end - installStart;
      firstDrawParts = { install: firstDrawMs, ...this.drawBreakdown };
    }
    performance.mark('dsim:whole');
    this.loading = false;
    this.timings = {
      pageReadyMs: startedAt,
      firstPictureMs: this.firstPictureAt - startedAt,
      parseMs,
      modelMs: seekerStart - modelStart,
      checkpointsMs: growing ? 0 : extrasStart - seekerStart,
      firstDrawMs,
      firstDrawParts,
      totalMs: end - startedAt,
    };
    this.status(
      `${source.name}: ${countsLabel(traceCounts(model))}${model.problems.length ? `, ${model.problems.length} problem${model.problems.length === 1 ? '' : 's'}` : ''}`,
    );
    if (options.play) this.playing = true;
    this.updatePlayButton();
    if (keptHash !== undefined) {
      this.hash = keptHash;
      this.renderTitle();
    }
    // The checker's verdict comes from the worker after the picture; the page plays and scrubs meanwhile.
    progress(0.95, this.hash ? 'Checking the client history in a worker…' : 'Hashing and checking in a worker…');
    $('#verdict').textContent = model.operations.length ? 'checking…' : '';
    $('#verdict').className = 'verdict unknown';
    analysis.end(model.operations);
    if (growing) {
      await this.drive(growing.fold, slicer, superseded);
      performance.mark('dsim:folded');
    }
  }

  /** Runs a sliced computation to its end, pausing between slices; undefined when a newer load supersedes it. */
  private async drive<T>(
    steps: Generator<number, T>,
    slicer: Slicer,
    superseded: () => boolean,
  ): Promise<T | undefined> {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await slicer.pause();
      if (superseded()) return undefined;
    }
  }

  /**
   * Puts a model on screen. The first model of a load (the first part of a large trace, or the
   * whole of a small one) sets the window, speed and cursor; the whole trace replacing its first
   * part keeps what the user has done since.
   */
  private install(
    model: TraceModel,
    seeker: FrameSeeker,
    source: Source,
    options: LoadOptions,
    first: boolean,
    markers = jumpMarkers(model),
  ): void {
    // Kept for comparing: the trace shown before this one (a run before its fork, say).
    if (first && this.loaded && this.source)
      this.previous = { model: this.loaded.model, name: describeSource(this.source) };
    this.loaded = { model, seeker, roleColors: roleColors(model.roles), dropColors: dropColors(model.dropReasons) };
    this.source = source;
    this.end = lastEventTime(model);
    this.markers = markers;
    if (first) {
      this.selection = undefined;
      this.domain = initialDomain(model.times, this.end, model.messageCount);
      this.index = 0;
      this.time = 0;
      this.setSpeed(defaultSpeedIndex(model.medianFlight, this.end));
      if (options.at !== undefined) this.seekTime(options.at);
    } else {
      if (options.at !== undefined && this.time === 0) this.seekTime(options.at);
      this.index = indexAtTime(model.times, this.time);
    }
    this.spacetime.syncZoom(this.domain[0], this.domain[1]);
    document.body.classList.add('loaded');
    renderLegends(this.loaded);
    this.renderProblems();
    this.renderTitle();
    measureCanvases();
    this.draw(true);
  }

  async loadUrl(url: string, options: { at?: number } = {}): Promise<void> {
    this.status(`Fetching ${url}…`);
    const early = takeEarlyFetch(url);
    const fetchStart = early?.startedAt ?? performance.now();
    if (!early) performance.mark('dsim:fetch');
    try {
      progress(0, `Fetching ${url}…`);
      const response = await (early?.response ?? fetch(url));
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      // A compressed body's length says nothing of the text's: unknown, as for a stream.
      const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
      const total = encoded ? 0 : Number(response.headers.get('content-length')) || 0;
      await this.loadPieces(
        textPieces(response),
        { kind: 'url', name: url.split('/').pop() || url, url },
        options,
        fetchStart,
        total,
      );
    } catch (error) {
      progress(1, '');
      this.loading = false;
      this.status(`Could not load the trace at ${url}: ${(error as Error).message}`, true);
    }
  }

  async loadFile(file: File): Promise<void> {
    if (!/\.json$/i.test(file.name)) {
      // A trace file is read as it streams from the disk, like a download.
      await this.loadPieces(
        textPieces(new Response(file)),
        { kind: 'file', name: file.name },
        {},
        performance.now(),
        file.size,
      );
      return;
    }
    const text = await file.text();
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
      `Ran ${name} seed ${reply.seed} in ${Math.round(performance.now() - started)} ms: ${formatCount(reply.events)} events, hash ${reply.hash}`,
    );
    return { hash: reply.hash };
  }

  /** The loaded trace's hash; computed after the first picture, so this may wait for it. */
  async traceHash(): Promise<string | undefined> {
    while ((this.loading || (this.loaded && this.hash === undefined)) && !this.analysisFailed)
      await new Promise((resolve) => setTimeout(resolve, 50));
    return this.hash;
  }

  async hashOfRun(run: RunSpec): Promise<{ hash?: string; error?: string }> {
    const reply = await this.worker.hash(run);
    if (reply.type === 'hash') return { hash: reply.hash };
    return { error: reply.type === 'error' ? reply.message : 'unexpected reply from the run worker' };
  }

  /** Runs `use` with the dialogs: at once when their code is loaded, else as soon as it is. */
  withDialogs(use: (dialogs: Dialogs) => unknown): void {
    this.withLater((module) => use((this.dialogs ??= new module.Dialogs(this))));
  }

  private withLater(use: (module: Later) => unknown): void {
    if (later) use(later);
    else
      loadLater().then(use, (error: Error) =>
        this.status(`Could not load this part of the app: ${error.message}`, true),
      );
  }

  openCompare(): void {
    this.withLater(({ openCompare }) => this.openCompareWith(openCompare));
  }

  private openCompareWith(openCompare: Later['openCompare']): void {
    openCompare({
      loaded: this.loaded,
      sourceName: this.source?.name,
      previous: this.previous,
      seekTime: (time) => this.seekTime(time),
      status: (message, error) => this.status(message, error),
    });
  }

  openReport(): void {
    this.withLater(({ openReport }) => this.openReportWith(openReport));
  }

  private openReportWith(openReport: Later['openReport']): void {
    openReport({
      loaded: this.loaded,
      hash: this.hash,
      verdict: this.verdict,
      sourceName: this.source?.name,
      status: (message, error) => this.status(message, error),
    });
  }

  // ------------------------------------------------------------------ controller

  select(selection: Selection | undefined): void {
    this.selection = selection;
    this.requestDraw();
  }

  seekTime(time: number): void {
    if (!this.loaded) return;
    const { model } = this.loaded;
    this.time = Math.max(0, Math.min(this.end, time));
    this.index = indexAtTime(model.times, this.time);
    this.follow(true);
    this.requestDraw();
  }

  seekIndex(index: number): void {
    if (!this.loaded) return;
    const { model } = this.loaded;
    this.index = Math.max(0, Math.min(model.events.length, index));
    this.time = this.index > 0 ? model.times[this.index - 1]! : 0;
    if (this.index === model.events.length) this.time = Math.max(this.time, this.end);
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
    const end = this.end;
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
    const markers = this.markers;
    const marker =
      direction > 0
        ? markers.find((m) => m.index >= this.index)
        : [...markers].reverse().find((m) => m.index < this.index - 1);
    if (!marker) {
      this.status(
        direction > 0 ? 'No later fault, violation or new leader' : 'No earlier fault, violation or new leader',
      );
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
    this.setDomain(0, this.end);
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
        const next = this.index < model.events.length ? model.times[this.index]! : this.end;
        // Nothing moving and nothing due soon: jump to just before the next event.
        if (frame.inFlight.size === 0 && next - time > this.speed * 400) time = next - this.speed * 150;
      }
      if (time >= this.end) {
        time = this.end;
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

  /** Draws every view for the cursor; `now` also rebuilds the panels that wait while the cursor moves. */
  draw(now = false): void {
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
    this.inspector.draw(context, now);
    const t4 = performance.now();
    this.drawBreakdown = {
      seek: t0 - started,
      cluster: t1 - t0,
      spacetime: t2 - t1,
      operationsAndTimeline: t3 - t2,
      inspector: t4 - t3,
    };
    const { model } = this.loaded;
    const header = model.header ? 1 : 0;
    this.clock.update(this.time, this.index + header, model.events.length + header, frame.violations);
    const note = `${frame.inFlight.size} in flight${frame.partition ? ' · partitioned' : ''}${frame.networkFaults.length ? ` · ${frame.networkFaults.map((f) => f.type).join(', ')}` : ''}`;
    if (this.clusterNote.textContent !== note) this.clusterNote.textContent = note;
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
    // Counted as `dsim run` counts them: the kernel's events and the trace file's lines.
    parts.push(el('span', { id: 'trace-counts' }, countsLabel(traceCounts(model))));
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
      ` — showing the ${formatCount(events)} valid events. First: line ${first.line}: ${first.message}`,
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
        if (event.shiftKey && model) this.seekTime(this.time + this.end / 100);
        else this.step(1);
        return handled();
      case 'ArrowLeft':
        if (event.shiftKey && model) this.seekTime(this.time - this.end / 100);
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
        this.withDialogs((dialogs) => dialogs.openRun());
        return handled();
      case 'k':
        this.withDialogs((dialogs) => dialogs.openFork());
        return handled();
      case 'c':
        this.openCompare();
        return handled();
      case 'p':
        this.openReport();
        return handled();
      case '?':
        this.withDialogs((dialogs) => dialogs.openHelp());
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

function describeSource(source: Source): string {
  if (source.kind !== 'run') return source.name;
  const faults = source.run.faults ? ' (forked)' : '';
  return `${source.name} seed ${source.run.seed ?? ''}${faults}`;
}

/** Longest a whole run may take to play at the default speed, in wall milliseconds. */
const PLAY_WHOLE_RUN_MS = 45_000;

/**
 * The default speed: a typical message takes about half a second to cross, unless that would make
 * the whole run play longer than PLAY_WHOLE_RUN_MS (Figure 8's 8 s at 5 ms per hop would take 13
 * minutes); then the slowest speed that plays it within that time.
 */
export function defaultSpeedIndex(medianFlightMicros: number, endMicros: number): number {
  const readable = medianFlightMicros > 0 ? medianFlightMicros / 500 : endMicros / 30_000;
  const wanted = Math.max(readable, endMicros / PLAY_WHOLE_RUN_MS);
  const index = SPEEDS.findIndex((speed) => speed >= wanted);
  return index < 0 ? SPEEDS.length - 1 : index;
}

/** A piece of a trace as it is read: its text, and the bytes it was decoded from when there were any. */
interface Piece {
  readonly text: string;
  /** The raw bytes, which the analysis worker hashes as they are (so the page never re-encodes or copies the text). */
  readonly bytes?: Uint8Array;
}

/**
 * A response body as text, piece by piece as it downloads (decoding overlaps the download; the
 * decoder never splits a character between pieces), each with the bytes it came from.
 */
async function* textPieces(response: Response): AsyncGenerator<Piece> {
  if (!response.body) {
    yield { text: await response.text() };
    return;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    yield { text: decoder.decode(value, { stream: true }), bytes: value };
  }
  // The decoder's last characters: their bytes went with the pieces before.
  const rest = decoder.decode();
  if (rest) yield { text: rest, bytes: new Uint8Array(0) };
}

async function* onePiece(text: string): AsyncGenerator<Piece> {
  yield { text };
}

/**
 * Cuts long work into slices: `pause` gives the page a turn (to draw a frame, take a click) once
 * the slice has run `budgetMs`; it says whether it did.
 */
class Slicer {
  private sliceStart = performance.now();
  constructor(private readonly budgetMs: number) {}

  async pause(): Promise<boolean> {
    if (performance.now() - this.sliceStart < this.budgetMs) return false;
    await yieldToPage();
    this.sliceStart = performance.now();
    return true;
  }
}

/** A macrotask turn, so a due frame is drawn and input handled (setTimeout's 4 ms clamp avoided). */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(undefined);
  });
}

/** The loading bar under the header: a fraction of the work done and what is happening; 1 hides it. */
function progress(fraction: number, label: string): void {
  const element = $('#progress');
  element.hidden = fraction >= 1;
  element.querySelector<HTMLElement>('.bar')!.style.width = `${Math.round(Math.max(0.02, fraction) * 100)}%`;
  element.querySelector<HTMLElement>('.label')!.textContent = label;
  element.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
}

// ------------------------------------------------------------------ wiring

const app = new App();
window.addEventListener('keydown', (event) => app.onKey(event));
$<HTMLInputElement>('#file').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void app.loadFile(file);
});
$('#empty-open').addEventListener('click', () => $<HTMLInputElement>('#file').click());
$('#empty-run').addEventListener('click', () => app.withDialogs((dialogs) => dialogs.openRun()));
$('#open-run').addEventListener('click', () => app.withDialogs((dialogs) => dialogs.openRun()));
$('#fork').addEventListener('click', () => app.withDialogs((dialogs) => dialogs.openFork()));
$('#help-button').addEventListener('click', () => app.withDialogs((dialogs) => dialogs.openHelp()));
$('#share').addEventListener('click', () => app.withDialogs((dialogs) => dialogs.openShare()));
$('#report').addEventListener('click', () => app.openReport());
$('#compare').addEventListener('click', () => app.openCompare());

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
  if (traceUrl) await app.loadUrl(traceUrl, at && /^\d+$/.test(at) ? { at: Number(at) } : {});
  else {
    const run = decodeRunSpec(params);
    if (run && 'error' in run) app.status(run.error, true);
    else if (run) await app.run(run, run.at !== undefined ? { at: run.at } : {});
  }
  // The rest of the app's code, now that what was asked for is on screen (a failure is told when
  // a dialog that needs it is opened).
  await loadLater().catch(() => undefined);
})();

/** A handle for tests and benchmarks: what is loaded and drawn, and ways to drive the app. */
const testHook = {
  ready,
  app,
  /** The shipped scenarios (once `ready`). */
  scenarios: () =>
    (later?.shippedScenarios ?? []).map((entry) => ({
      key: entry.key,
      file: entry.file,
      protocol: entry.scenario.protocol,
    })),
  findScenario: (key: string) => later?.findScenario(key),
  state: () => {
    const loaded = app.loaded;
    const frame = loaded?.seeker.frameAt(app.index);
    return {
      /** The whole trace is on screen (while `loading`, the picture may show its first part). */
      loaded: !!loaded && !app.loading,
      loading: app.loading,
      events: loaded?.model.events.length ?? 0,
      problems: loaded?.model.problems ?? [],
      index: app.index,
      time: app.time,
      domain: app.domain,
      playing: app.playing,
      speed: app.speed,
      end: app.end,
      markers: app.markers.map((marker) => ({ kind: marker.kind, time: marker.time, label: marker.label })),
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
      firstPictureAt: app.firstPictureAt,
      firstPictureEvents: app.firstPictureEvents,
      analysedAt: app.analysedAt,
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
  drawNow: () => app.draw(true),
};
(window as unknown as { __dsim: typeof testHook }).__dsim = testHook;
