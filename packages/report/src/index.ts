export { h, renderToDom, renderToString, escapeText, type ElementNode, type TreeChild } from './element-tree.ts';
export { formatMicros, formatCount } from './format.ts';
export {
  runFacts,
  latencies,
  throughput,
  type RunFacts,
  type FaultPeriod,
  type OperationFact,
  type Period,
} from './run-facts.ts';
export { barsOverTime, histogram, horizontalBars, lanes, scatterOverTime, PLOT_COLORS, type Band } from './plots.ts';
export { runPlots, faultBands } from './run-plots.ts';
export { htmlPage } from './html-page.ts';
export { runReportBody, runReportHtml, type RunReportContext } from './run-report.ts';
export {
  readSweepResults,
  sweepReportBody,
  sweepReportHtml,
  type SweepHeaderLine,
  type SweepResultLine,
} from './sweep-report.ts';
export { comparePlot, describeTraceEvent, firstDivergence, type Divergence } from './compare.ts';
