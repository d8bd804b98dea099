import { parseDuration, type Fault, type ScheduledFault } from '@dsim/core';
import { protocols as registry } from '../project-protocols.ts';
import { formatTime } from '../model/describe.ts';
import { encodeRunSpec, forkFaults, scenarioFor, type RunSpec } from '../model/run-spec.ts';
import { scenarioFromHeader } from '../model/scenario-from-header.ts';
import { findScenario, shippedScenarios, type ShippedScenario } from '../scenarios.ts';
import type { Loaded, Source } from './context.ts';
import { el } from './dom.ts';

/** What the dialogs need from the app. */
export interface DialogHost {
  readonly loaded: Loaded | undefined;
  readonly source: Source | undefined;
  readonly time: number;
  run(run: RunSpec, options?: { at?: number; play?: boolean }): Promise<{ hash?: string; error?: string }>;
  status(message: string, error?: boolean): void;
  /** The loaded trace's hash, once computed. */
  traceHash(): Promise<string | undefined>;
  /** The hash a run would give, computed in the worker; an error message when it cannot run. */
  hashOfRun(run: RunSpec): Promise<{ hash?: string; error?: string }>;
}

/** Longest run link offered; browsers and chat tools cut longer URLs. */
const MAX_LINK_LENGTH = 8000;

const FAULT_TYPES = [
  'crash',
  'restart',
  'pause',
  'resume',
  'isolate',
  'partition',
  'bridge',
  'cut',
  'ring',
  'heal',
  'clockJump',
  'clockDrift',
  'loss',
  'duplicate',
] as const;

/** The run dialog (pick a scenario, seed and faults), the fork dialog, and the help overlay. */
export class Dialogs {
  constructor(private readonly host: DialogHost) {}

  // ------------------------------------------------------------------ run

  openRun(): void {
    const dialog = document.querySelector<HTMLDialogElement>('#run-dialog')!;
    const current = this.host.source?.kind === 'run' ? this.host.source.run : undefined;
    const scenarioSelect = el('select', { id: 'run-scenario' });
    for (const entry of shippedScenarios) {
      scenarioSelect.append(
        el(
          'option',
          { value: entry.key },
          `${entry.key}${entry.scenario.description ? ` — ${String(entry.scenario.description).slice(0, 70)}` : ''}`,
        ),
      );
    }
    scenarioSelect.append(el('option', { value: '' }, 'custom scenario…'));
    const loadedShipped = shippedForHeader(this.host.loaded?.model.header?.scenario);
    scenarioSelect.value = current?.scenario ?? loadedShipped?.key ?? shippedScenarios[0]?.key ?? '';
    const protocolSelect = el('select', { id: 'run-protocol' });
    for (const name of Object.keys(registry)) protocolSelect.append(el('option', { value: name }, name));
    // A trace of a project's protocol (served by `dsim view` in that project) starts on its protocol.
    const loadedProtocol = this.host.loaded?.model.header?.protocol;
    if (typeof loadedProtocol === 'string' && Object.hasOwn(registry, loadedProtocol))
      protocolSelect.value = loadedProtocol;
    const nodes = el('input', { id: 'run-nodes', type: 'number', min: '1', max: '500', value: '5' });
    const until = el('input', { id: 'run-until', value: '60s' });
    const workload = el('select', { id: 'run-workload' });
    const clients = el('input', { id: 'run-clients', type: 'number', min: '1', value: '3' });
    const seed = el('input', { id: 'run-seed', type: 'number', min: '0', value: '1' });
    const faults = el('textarea', { id: 'run-faults', spellcheck: 'false' });
    const error = el('div', { class: 'error' });
    const customRows: HTMLElement[] = [];
    const row = (label: string, input: HTMLElement, custom = false) => {
      const labelElement = el('label', { for: input.id }, label);
      if (custom) customRows.push(labelElement, input);
      return [labelElement, input];
    };
    const refreshWorkloads = () => {
      const protocol = registry[protocolSelect.value];
      workload.replaceChildren(el('option', { value: '' }, 'none'));
      for (const name of Object.keys(protocol?.workloads ?? {})) workload.append(el('option', { value: name }, name));
    };
    const refresh = () => {
      const shipped = findScenario(scenarioSelect.value);
      for (const element of customRows) element.style.display = shipped ? 'none' : '';
      const base = shipped?.scenario;
      // The seed `dsim run <file>` would use: this run's own, else the scenario's, else 1.
      const header = this.host.loaded?.model.header;
      seed.value = String(
        current && current.scenario === scenarioSelect.value && current.seed !== undefined
          ? current.seed
          : !current && loadedShipped && loadedShipped.key === scenarioSelect.value && header
            ? header.seed
            : scenarioSeed(base),
      );
      const faultList =
        current && current.scenario === scenarioSelect.value && current.faults
          ? current.faults
          : ((base?.faults as unknown[] | undefined) ?? []);
      faults.value = JSON.stringify(faultList, null, 1)
        .replace(/\n\s*/g, ' ')
        .replace(/\},\s*\{ "at"/g, '},\n{ "at"');
      if (!shipped && faultList.length === 0) faults.value = '[]';
    };
    protocolSelect.addEventListener('change', refreshWorkloads);
    scenarioSelect.addEventListener('change', refresh);
    refreshWorkloads();
    const runButton = el('button', { class: 'primary', id: 'run-go' }, 'Run');
    const cancel = el('button', {}, 'Cancel');
    cancel.addEventListener('click', () => dialog.close());
    runButton.addEventListener('click', async () => {
      error.textContent = '';
      let faultList: ScheduledFault[];
      try {
        const parsed: unknown = JSON.parse(faults.value || '[]');
        if (!Array.isArray(parsed))
          throw new Error(
            'the faults must be a JSON list of { "at": "10s", "fault": { "type": "crash", "node": "n1" } }',
          );
        faultList = parsed as ScheduledFault[];
      } catch (problem) {
        error.textContent = `faults: ${(problem as Error).message}`;
        return;
      }
      const seedValue = Number(seed.value);
      const shipped = findScenario(scenarioSelect.value);
      let run: RunSpec;
      if (shipped) {
        const same = JSON.stringify(faultList) === JSON.stringify(shipped.scenario.faults ?? []);
        run = { scenario: shipped.key, seed: seedValue, ...(same ? {} : { faults: faultList }) };
      } else {
        const spec: Record<string, unknown> = {
          name: 'custom',
          protocol: protocolSelect.value,
          nodes: Number(nodes.value),
          until: until.value,
          faults: faultList,
        };
        if (workload.value) spec.workload = { name: workload.value, clients: Number(clients.value) };
        run = { spec, seed: seedValue };
      }
      runButton.disabled = true;
      const result = await this.host.run(run);
      runButton.disabled = false;
      if (result.error) error.textContent = result.error;
      else dialog.close();
    });
    const form = el('div', { class: 'form' });
    form.append(
      ...row('scenario', scenarioSelect),
      ...row('protocol', protocolSelect, true),
      ...row('nodes', nodes, true),
      ...row('run until', until, true),
      ...row('workload', workload, true),
      ...row('clients', clients, true),
      ...row('seed', seed),
      ...row('faults', faults),
    );
    refresh();
    const hint = el(
      'p',
      { class: 'hint' },
      `Faults: { "at": "10s", "fault": { "type": "crash" | "restart" | "pause" | "resume" | "isolate", "node": "n1" } }, { "type": "partition", "groups": [["n1","n2"],["n3"]] }, { "type": "cut", "from": ["n1"], "to": ["n2"] } (one-way), { "type": "heal" }, clockJump (delta), clockDrift (ppm), loss/duplicate (probability). The run happens in a Web Worker with the same kernel as the CLI; the page URL then reproduces it.`,
    );
    const buttons = el('div', { class: 'buttons' });
    buttons.append(cancel, runButton);
    dialog.replaceChildren(el('h2', {}, 'Run a scenario'), form, hint, error, buttons);
    if (!dialog.open) dialog.showModal();
  }

  // ------------------------------------------------------------------ fork

  /** The scenario and run the loaded trace came from, rebuilt from its header when it came from a file. */
  private baseOfLoaded(): { run: RunSpec; scenario: Record<string, unknown> } | undefined {
    const source = this.host.source;
    if (source?.kind === 'run') {
      const run = source.run;
      const base = run.scenario !== undefined ? findScenario(run.scenario)?.scenario : run.spec;
      if (base) return { run, scenario: scenarioFor(base, run) };
    }
    const header = this.host.loaded?.model.header;
    if (!header) return undefined;
    const scenario = scenarioFromHeader(header);
    return { run: { spec: scenario, seed: header.seed }, scenario };
  }

  openFork(): void {
    const loaded = this.host.loaded;
    if (!loaded) {
      this.host.status('Load a trace or run a scenario first', true);
      return;
    }
    const base = this.baseOfLoaded();
    if (!base) {
      this.host.status('This trace has no header, so it cannot be re-run', true);
      return;
    }
    const dialog = document.querySelector<HTMLDialogElement>('#fork-dialog')!;
    const nodes = loaded.model.nodes;
    const at = el('input', { id: 'fork-at', value: `${Math.round(this.host.time)}us` });
    const type = el('select', { id: 'fork-type' });
    for (const name of FAULT_TYPES) type.append(el('option', { value: name }, name));
    const node = el('select', { id: 'fork-node' });
    for (const id of nodes) node.append(el('option', { value: id }, id));
    const groups = el('input', {
      id: 'fork-groups',
      value: `${nodes.slice(0, Math.ceil(nodes.length / 2)).join(' ')} | ${nodes.slice(Math.ceil(nodes.length / 2)).join(' ')}`,
    });
    const amount = el('input', { id: 'fork-amount', value: '500ms' });
    const error = el('div', { class: 'error' });
    const labels: Record<string, HTMLElement> = {};
    const row = (name: string, label: string, input: HTMLElement) => {
      labels[name] = el('label', { for: input.id }, label);
      return [labels[name], input];
    };
    const refresh = () => {
      const t = type.value;
      const show = (name: string, visible: boolean, input: HTMLElement) => {
        labels[name]!.style.display = visible ? '' : 'none';
        input.style.display = visible ? '' : 'none';
      };
      show(
        'node',
        ['crash', 'restart', 'pause', 'resume', 'isolate', 'clockJump', 'clockDrift'].includes(t) || t === 'bridge',
        node,
      );
      show('groups', ['partition', 'bridge', 'cut'].includes(t), groups);
      show('amount', ['clockJump', 'clockDrift', 'loss', 'duplicate'].includes(t), amount);
      labels.node!.textContent = t === 'bridge' ? 'bridge node' : 'node';
      labels.groups!.textContent = t === 'cut' ? 'from | to (one-way)' : 'groups (| between)';
      labels.amount!.textContent = t === 'clockJump' ? 'jump by' : t === 'clockDrift' ? 'drift (ppm)' : 'probability';
      if (t === 'clockDrift' && !/^-?\d+$/.test(amount.value)) amount.value = '200';
      if ((t === 'loss' || t === 'duplicate') && !/^0?\.\d+$/.test(amount.value)) amount.value = '0.3';
      if (t === 'clockJump' && !/(us|ms|s)$/.test(amount.value)) amount.value = '500ms';
    };
    type.addEventListener('change', refresh);
    const form = el('div', { class: 'form' });
    form.append(
      ...row('at', 'at (global time)', at),
      ...row('type', 'fault', type),
      ...row('node', 'node', node),
      ...row('groups', 'groups', groups),
      ...row('amount', 'amount', amount),
    );
    refresh();

    const build = (): { run: RunSpec; scenario: Record<string, unknown>; at: number } | undefined => {
      error.textContent = '';
      const time = parseDuration(at.value.trim());
      if (typeof time !== 'number') {
        error.textContent = `at: ${time.error}`;
        return undefined;
      }
      const split = groups.value.split('|').map((side) =>
        side
          .trim()
          .split(/[\s,]+/)
          .filter(Boolean),
      );
      let fault: Fault;
      const t = type.value as (typeof FAULT_TYPES)[number];
      switch (t) {
        case 'crash':
        case 'restart':
        case 'pause':
        case 'resume':
        case 'isolate':
          fault = { type: t, node: node.value };
          break;
        case 'partition':
          fault = { type: 'partition', groups: split };
          break;
        case 'bridge':
          fault = { type: 'bridge', bridge: node.value, groups: [split[0] ?? [], split[1] ?? []] };
          break;
        case 'cut':
          fault = { type: 'cut', from: split[0] ?? [], to: split[1] ?? [] };
          break;
        case 'ring':
        case 'heal':
          fault = { type: t };
          break;
        case 'clockJump':
          fault = { type: 'clockJump', node: node.value, delta: amount.value.trim() };
          break;
        case 'clockDrift':
          fault = { type: 'clockDrift', node: node.value, ppm: Number(amount.value) };
          break;
        case 'loss':
        case 'duplicate':
          fault = { type: t, probability: Number(amount.value) };
          break;
      }
      const existing = (base.scenario.faults as ScheduledFault[] | undefined) ?? [];
      const faults = forkFaults(existing, time, fault);
      const run: RunSpec = { ...base.run, faults };
      const scenarioBase = run.scenario !== undefined ? findScenario(run.scenario)!.scenario : run.spec!;
      return { run, scenario: { ...scenarioFor(scenarioBase, run), seed: run.seed }, at: time };
    };

    const go = el('button', { class: 'primary', id: 'fork-go' }, 'Run on from here');
    go.addEventListener('click', async () => {
      const fork = build();
      if (!fork) return;
      go.disabled = true;
      // The prefix before `at` is identical by determinism; re-running is how we "continue".
      const result = await this.host.run(fork.run, { at: Math.max(0, fork.at - 1), play: true });
      go.disabled = false;
      if (result.error) error.textContent = result.error;
      else dialog.close();
    });
    const exportButton = el('button', { id: 'fork-export' }, 'Export scenario JSON');
    exportButton.addEventListener('click', () => {
      const fork = build();
      if (!fork) return;
      const name = String(fork.scenario.name ?? 'scenario').replace(/[^\w.-]+/g, '-');
      download(`${name}-fork-seed${fork.run.seed ?? 1}.json`, JSON.stringify(fork.scenario, null, 2) + '\n');
    });
    const cancel = el('button', {}, 'Cancel');
    cancel.addEventListener('click', () => dialog.close());
    const buttons = el('div', { class: 'buttons' });
    buttons.append(cancel, exportButton, go);
    dialog.replaceChildren(
      el('h2', {}, `Fork at ${formatTime(this.host.time)}`),
      el(
        'p',
        { class: 'hint' },
        'Adds one fault at this time and runs the same scenario and seed again: everything before it replays identically, then the run goes its new way. Export saves the forked scenario for `dsim run`.',
      ),
      form,
      error,
      buttons,
    );
    if (!dialog.open) dialog.showModal();
  }

  // ------------------------------------------------------------------ share

  /**
   * What can honestly be shared: a run link only when re-running it here gives this trace's hash,
   * the `dsim run` command that gives the same run, and, for a served trace, its file link with
   * what that link depends on.
   */
  async openShare(): Promise<void> {
    const loaded = this.host.loaded;
    const source = this.host.source;
    if (!loaded || !source) {
      this.host.status('Load a trace or run a scenario first', true);
      return;
    }
    const dialog = document.querySelector<HTMLDialogElement>('#share-dialog')!;
    const body = el('div', { class: 'share' });
    const verdict = el('p', { class: 'share-verdict', id: 'share-verdict' }, 'Checking what reproduces this trace…');
    const close = el('button', {}, 'Close');
    close.addEventListener('click', () => dialog.close());
    const buttons = el('div', { class: 'buttons' });
    buttons.append(close);
    dialog.replaceChildren(el('h2', {}, 'Share'), verdict, body, buttons);
    if (!dialog.open) dialog.showModal();

    const header = loaded.model.header;
    const at = Math.round(this.host.time);
    const base = `${location.origin}${location.pathname}`;
    const shipped =
      source.kind === 'run' && source.run.scenario !== undefined ? findScenario(source.run.scenario) : undefined;
    const fromHeader = shippedForHeader(header?.scenario);

    if (source.kind === 'url') {
      const traceLink = `${base}?trace=${encodeURIComponent(source.url)}&at=${at}`;
      const local = isLoopbackUrl(new URL(source.url, location.href));
      body.append(
        shareRow(
          'trace link',
          'share-trace-link',
          traceLink,
          local
            ? 'Opens this trace file only while `dsim view` serves it on this machine; send the command below instead.'
            : 'Opens the trace at its address, for as long as the file stays there.',
        ),
      );
    }

    // Candidate runs, most specific first: this page's own run, the shipped scenario the header names, the header itself.
    const candidates: Array<{ run: RunSpec; command: string; file?: { name: string; text: string } }> = [];
    const seed = source.kind === 'run' ? source.run.seed : header?.seed;
    if (source.kind === 'run') {
      if (shipped && source.run.faults === undefined)
        candidates.push({ run: source.run, command: `dsim run ${shipped.file} --seed ${seed ?? 1}` });
      else {
        const scenario: Record<string, unknown> = {
          ...scenarioFor(shipped?.scenario ?? source.run.spec ?? {}, source.run),
          ...(seed !== undefined ? { seed } : {}),
        };
        const name = `${safeName(String(scenario.name ?? 'scenario'))}.json`;
        candidates.push({
          run: source.run,
          command: `dsim run ${name} --seed ${seed ?? 1}`,
          file: { name, text: JSON.stringify(scenario, null, 2) + '\n' },
        });
      }
    } else if (header) {
      if (fromHeader)
        candidates.push({
          run: { scenario: fromHeader.key, seed: header.seed },
          command: `dsim run ${fromHeader.file} --seed ${header.seed}`,
        });
      const scenario = scenarioFromHeader(header);
      const name = `${safeName(String(header.scenario ?? 'scenario'))}.json`;
      candidates.push({
        run: { spec: scenario, seed: header.seed },
        command: `dsim run ${name} --seed ${header.seed}`,
        file: { name, text: JSON.stringify(scenario, null, 2) + '\n' },
      });
    }
    if (candidates.length === 0) {
      verdict.textContent = 'This trace has no header, so nothing can re-run it: share the file itself.';
      return;
    }
    const wanted = await this.host.traceHash();
    for (const candidate of candidates) {
      const { hash, error } =
        source.kind === 'run'
          ? { hash: this.host.loaded === loaded ? wanted : undefined, error: undefined }
          : await this.host.hashOfRun(candidate.run);
      if (hash === undefined || hash !== wanted) {
        if (candidate !== candidates[candidates.length - 1]) continue;
        verdict.textContent = `No link reproduces this trace: re-running its header here gives ${error ? `an error (${error})` : `hash ${hash}`}, not ${wanted} (a trace from another version of dsim, or edited by hand). Share the file itself.`;
        verdict.className = 'share-verdict bad';
        return;
      }
      const link = `${base}?${encodeRunSpec({ ...candidate.run, at })}`;
      verdict.textContent = `Re-running gives the same trace (hash ${wanted}): the link and the command below reproduce it exactly.`;
      verdict.className = 'share-verdict good';
      body.prepend(
        link.length <= MAX_LINK_LENGTH
          ? shareRow('run link', 'share-link', link, 'Runs it in the browser and puts the cursor here.')
          : el(
              'p',
              { class: 'hint' },
              `A run link would be ${link.length} characters long, too long to share; use the command.`,
            ),
        shareRow(
          'command',
          'share-command',
          candidate.command,
          candidate.file ? `with ${candidate.file.name} saved from the button below` : 'from the repository root',
        ),
      );
      if (candidate.file) {
        const file = candidate.file;
        const save = el('button', { id: 'share-save-scenario' }, `Save ${file.name}`);
        save.addEventListener('click', () => download(file.name, file.text));
        buttons.prepend(save);
      }
      return;
    }
  }

  // ------------------------------------------------------------------ help

  openHelp(): void {
    const dialog = document.querySelector<HTMLDialogElement>('#help-dialog')!;
    const keys: Array<[string, string]> = [
      ['space', 'play / pause'],
      ['→ / ←', 'step one event forward / back'],
      ['shift + → / ←', 'jump 1% of the run'],
      ['] / [', 'next / previous fault or violation'],
      ['Home / End', 'start / end of the run'],
      ['+ / −', 'faster / slower'],
      ['f', 'fit the whole run in the space-time view'],
      ['z / x', 'zoom in / out around the cursor'],
      ['o', 'open a trace file'],
      ['r', 'run a scenario in the browser'],
      ['k', 'fork: add a fault here and run on'],
      ['p', 'plots of this run, and its report to download'],
      ['c', 'compare with the previous trace or a file'],
      ['Esc', 'clear the selection, close dialogs'],
      ['?', 'this help'],
    ];
    const table = el('table', { class: 'keys' });
    for (const [key, what] of keys) {
      const row = el('tr');
      const cell = el('td');
      for (const [i, part] of key.split(' / ').entries()) {
        if (i > 0) cell.append(' / ');
        cell.append(el('kbd', {}, part));
      }
      row.append(cell, el('td', {}, what));
      table.append(row);
    }
    const close = el('button', {}, 'Close');
    close.addEventListener('click', () => dialog.close());
    const buttons = el('div', { class: 'buttons' });
    buttons.append(close);
    dialog.replaceChildren(
      el('h2', {}, 'Keyboard shortcuts'),
      table,
      el(
        'p',
        { class: 'hint' },
        'Mouse: drag the timeline to scrub; scroll the space-time view to zoom and drag it to pan; click nodes, message dots, arrows and operations to inspect them.',
      ),
      buttons,
    );
    if (!dialog.open) dialog.showModal();
  }
}

/** The seed a scenario names, as `dsim run` reads it (default 1). */
export function scenarioSeed(scenario: Readonly<Record<string, unknown>> | undefined): number {
  const seed = scenario?.seed;
  return typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0 ? seed : 1;
}

/** The shipped scenario a trace header names, by its `name` field. */
export function shippedForHeader(name: unknown): ShippedScenario | undefined {
  if (typeof name !== 'string') return undefined;
  return shippedScenarios.find((entry) => entry.scenario.name === name);
}

function shareRow(label: string, id: string, value: string, note: string): HTMLElement {
  const input = el('input', { id, readonly: '', value });
  const copy = el('button', { class: 'small' }, 'Copy');
  copy.addEventListener('click', () => {
    input.select();
    void navigator.clipboard?.writeText(value).then(
      () => (copy.textContent = 'Copied'),
      () => (copy.textContent = 'Select and copy'),
    );
  });
  return el(
    'div',
    { class: 'share-row' },
    el('label', { for: id }, label),
    input,
    copy,
    el('div', { class: 'hint' }, note),
  );
}

function isLoopbackUrl(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol === 'blob:';
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
