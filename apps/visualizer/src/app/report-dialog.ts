import type { ParsedTrace } from '@dsim/core';
import { renderToDom, runFacts, runPlots, runReportHtml } from '@dsim/report';
import type { Verdict } from '../model/linearizability.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { el } from './dom.ts';

/** What the report needs from the app. */
export interface ReportHost {
  readonly loaded: { readonly model: TraceModel } | undefined;
  readonly hash: string | undefined;
  readonly verdict: Verdict | undefined;
  readonly sourceName: string | undefined;
  status(message: string, error?: boolean): void;
}

/**
 * The run's plots in a dialog, and the same report as one self-contained HTML file to download
 * (what `dsim report <trace>` writes). Plots come from @dsim/report as element trees, built here
 * with createElementNS: no markup is ever parsed from a trace.
 */
export function openReport(host: ReportHost): void {
  const model = host.loaded?.model;
  if (!model) {
    host.status('Load a trace or run a scenario first', true);
    return;
  }
  const trace: ParsedTrace = {
    header: model.header,
    events: model.events as ParsedTrace['events'],
    problems: [...model.problems],
    complete: model.complete,
  };
  const facts = runFacts(trace);
  const dialog = document.querySelector<HTMLDialogElement>('#report-dialog')!;
  const plots = el('div', { class: 'plots' });
  for (const { id, plot } of runPlots(facts)) {
    const figure = el('figure', { id: `plot-${id}` });
    figure.append(renderToDom(plot, document) as Node);
    plots.append(figure);
  }
  const download = el('button', { class: 'primary', id: 'report-download' }, 'Download report (HTML)');
  download.addEventListener('click', () => {
    const verdict = host.verdict;
    const html = runReportHtml(trace, {
      ...(host.hash ? { hash: host.hash } : {}),
      ...(host.sourceName ? { source: host.sourceName } : {}),
      ...(verdict && verdict.status !== 'unavailable'
        ? { linearizability: { verdict: verdict.status, message: verdict.message } }
        : {}),
    });
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    const link = el('a', { href: url, download: `${facts.scenario}-seed${facts.seed}-report.html` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  const close = el('button', {}, 'Close');
  close.addEventListener('click', () => dialog.close());
  dialog.replaceChildren(
    el('h2', {}, `Plots: ${facts.scenario} · seed ${facts.seed}`),
    el(
      'p',
      { class: 'hint' },
      'Derived from the trace alone. Hover a mark for its numbers. The download is one HTML file with these plots, the verdicts and the fault timeline, as `dsim report` writes it.',
    ),
    plots,
    el('div', { class: 'buttons' }, close, download),
  );
  if (!dialog.open) dialog.showModal();
}
