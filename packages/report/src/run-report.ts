import type { ParsedTrace } from '@dsim/core';
import { h, type ElementNode } from './element-tree.ts';
import { formatCount, formatMicros } from './format.ts';
import { htmlPage } from './html-page.ts';
import { runFacts, type RunFacts } from './run-facts.ts';
import { runPlots } from './run-plots.ts';

/** Extra facts a caller knows and the trace does not: its hash, where it came from, how to re-run it. */
export interface RunReportContext {
  readonly hash?: string;
  readonly source?: string;
  readonly reproduce?: string;
  /** The checker's verdict on the client history, when the caller ran it. */
  readonly linearizability?: { readonly verdict: string; readonly message: string };
}

/** The report's content as an element tree: the verdicts, the fault timeline and every plot that applies. */
export function runReportBody(facts: RunFacts, context: RunReportContext = {}): ElementNode[] {
  const clean = facts.violations.length === 0 && facts.endReason !== 'error';
  const ok = facts.operations.filter((op) => op.type === 'ok').length;
  const verdicts = h(
    'table',
    {},
    h(
      'tr',
      {},
      h('th', {}, 'invariants'),
      h(
        'td',
        {},
        clean
          ? 'every checked invariant held'
          : facts.violations.length
            ? `${facts.violations.length} violation${facts.violations.length === 1 ? '' : 's'}`
            : 'the run ended with an error',
      ),
    ),
    context.linearizability
      ? h(
          'tr',
          {},
          h('th', {}, 'linearizability'),
          h('td', {}, `${context.linearizability.verdict}: ${context.linearizability.message}`),
        )
      : undefined,
    h(
      'tr',
      {},
      h('th', {}, 'client operations'),
      h(
        'td',
        {},
        facts.operations.length
          ? `${formatCount(facts.operations.length)}: ${formatCount(ok)} ok, ${formatCount(facts.operations.filter((op) => op.type === 'fail').length)} fail, ${formatCount(facts.operations.filter((op) => op.type === 'info').length)} unknown, ${formatCount(facts.operations.filter((op) => op.type === 'pending').length)} pending`
          : 'none',
      ),
    ),
    h(
      'tr',
      {},
      h('th', {}, 'run'),
      h(
        'td',
        {},
        `${formatCount(facts.events)} events · ended at ${formatMicros(facts.endMicros)} of ${formatMicros(facts.untilMicros)}${facts.endReason ? ` (${facts.endReason})` : ' (no end event: truncated)'}`,
      ),
    ),
    context.hash ? h('tr', {}, h('th', {}, 'trace hash'), h('td', {}, h('code', {}, context.hash))) : undefined,
    context.reproduce
      ? h('tr', {}, h('th', {}, 'reproduce'), h('td', {}, h('code', {}, context.reproduce)))
      : undefined,
  );
  const violations = facts.violations.length
    ? [
        h('h2', {}, 'Violations'),
        h(
          'table',
          {},
          ...facts.violations.map((violation) =>
            h(
              'tr',
              {},
              h('td', { class: 'num' }, formatMicros(violation.time)),
              h('td', {}, h('b', {}, violation.invariant)),
              h('td', {}, violation.message),
            ),
          ),
        ),
      ]
    : [];
  const timeline = h(
    'table',
    { id: 'fault-timeline' },
    ...facts.faults.map((fault) =>
      h('tr', {}, h('td', { class: 'num' }, formatMicros(fault.time)), h('td', {}, fault.label)),
    ),
  );
  return [
    h('h1', {}, `${facts.scenario}`),
    h(
      'p',
      { class: 'sub' },
      `${facts.protocol} · seed ${facts.seed} · ${facts.nodes.length} nodes${context.source ? ` · ${context.source}` : ''} `,
      h('span', { class: `verdict ${clean ? 'good' : 'bad'}` }, clean ? '✓ held' : '✗ violated'),
    ),
    verdicts,
    ...violations,
    h('h2', {}, 'Faults'),
    facts.faults.length ? timeline : h('p', { class: 'sub' }, 'no faults'),
    h('h2', {}, 'Plots'),
    ...runPlots(facts).map(({ id, plot }) => h('figure', { id: `plot-${id}`, style: 'margin:0' }, plot)),
  ];
}

/** `dsim report`: one self-contained HTML file for a run. */
export function runReportHtml(trace: ParsedTrace, context: RunReportContext = {}): string {
  const facts = runFacts(trace);
  return htmlPage(`dsim report: ${facts.scenario} seed ${facts.seed}`, ...runReportBody(facts, context));
}
