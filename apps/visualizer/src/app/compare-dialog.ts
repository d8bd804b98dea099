import { parseTrace, type ParsedTrace } from '@dsim/core';
import { comparePlot, describeTraceEvent, formatMicros, renderToDom } from '@dsim/report';
import type { TraceModel } from '../model/trace-model.ts';
import { el } from './dom.ts';

/** What the comparison needs from the app: the trace on screen and the one shown before it. */
export interface CompareHost {
  readonly loaded: { readonly model: TraceModel } | undefined;
  readonly sourceName: string | undefined;
  readonly previous: { readonly model: TraceModel; readonly name: string } | undefined;
  seekTime(time: number): void;
  status(message: string, error?: boolean): void;
}

function asParsed(model: TraceModel): ParsedTrace {
  return {
    header: model.header,
    events: model.events as ParsedTrace['events'],
    problems: [...model.problems],
    complete: model.complete,
  };
}

/**
 * Two runs side by side on one time axis with the first divergent event marked: the trace shown
 * before this one (a run and its fork, Figure 8 with and without its bug switch) or a file.
 */
export function openCompare(host: CompareHost): void {
  const model = host.loaded?.model;
  if (!model) {
    host.status('Load a trace or run a scenario first', true);
    return;
  }
  const dialog = document.querySelector<HTMLDialogElement>('#compare-dialog')!;
  const result = el('div', { class: 'plots', id: 'compare-result' });
  const show = (other: ParsedTrace, otherName: string) => {
    const { plot, divergence } = comparePlot(asParsed(model), other, [
      `this run (${host.sourceName ?? 'trace'})`,
      otherName,
    ]);
    result.replaceChildren(renderToDom(plot, document) as Node);
    if (!divergence) {
      result.append(el('p', { class: 'hint', id: 'compare-verdict' }, 'The two traces have identical events.'));
      return;
    }
    const go = el('button', { class: 'small', id: 'compare-go' }, `Go to ${formatMicros(divergence.time)}`);
    go.addEventListener('click', () => {
      host.seekTime(divergence.time);
      dialog.close();
    });
    result.append(
      el(
        'p',
        { id: 'compare-verdict' },
        `First divergent event: #${divergence.index + 1} at ${formatMicros(divergence.time)}.`,
      ),
      el(
        'table',
        { class: 'fields' },
        el('tr', {}, el('th', {}, 'this run'), el('td', {}, describeTraceEvent(divergence.a))),
        el('tr', {}, el('th', {}, otherName), el('td', {}, describeTraceEvent(divergence.b))),
      ),
      go,
    );
  };
  const choices = el('div', { class: 'buttons', style: 'justify-content:flex-start' });
  if (host.previous) {
    const previous = host.previous;
    const button = el('button', { id: 'compare-previous' }, `With the previous trace (${previous.name})`);
    button.addEventListener('click', () => show(asParsed(previous.model), previous.name));
    choices.append(button);
  }
  const file = el('input', { type: 'file', id: 'compare-file', accept: '.jsonl,.txt' });
  file.addEventListener('change', async () => {
    const picked = file.files?.[0];
    if (!picked) return;
    const parsed = parseTrace(await picked.text());
    if (!parsed.header && parsed.events.length === 0) {
      result.replaceChildren(
        el(
          'p',
          { class: 'error' },
          `${picked.name} is not a dsim trace: ${parsed.problems[0]?.message ?? 'no events'}`,
        ),
      );
      return;
    }
    show(parsed, picked.name);
  });
  file.hidden = true;
  choices.append(el('label', { class: 'button' }, 'Open a trace to compare…', file));
  const close = el('button', {}, 'Close');
  close.addEventListener('click', () => dialog.close());
  dialog.replaceChildren(
    el('h2', {}, 'Compare two runs'),
    el(
      'p',
      { class: 'hint' },
      'Same scenario and seed replay identically until something changes: a fork’s fault, a bug switch, a code change. The dashed line marks the first event that differs.',
    ),
    choices,
    result,
    el('div', { class: 'buttons' }, close),
  );
  if (!dialog.open) dialog.showModal();
  if (host.previous) show(asParsed(host.previous.model), host.previous.name);
}
