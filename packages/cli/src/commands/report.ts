import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hashTrace, parseTrace } from '@dsim/core';
import { runReportHtml } from '@dsim/report';
import { formatFlags, parseArgs, type FlagSpec } from '../args.ts';
import { EXIT_OK, UsageError } from '../errors.ts';

export const reportFlags: Record<string, FlagSpec> = {
  out: {
    value: true,
    short: 'o',
    placeholder: 'report.html',
    description: 'where to write the report (default: the trace file with .html)',
  },
  help: { short: 'h', description: 'show this help' },
};

export const reportUsage = `dsim report <trace.jsonl> [--out report.html]

Writes one self-contained HTML file about a run (no script, nothing fetched): the verdicts, the
fault timeline, and plots of client latency with fault periods shaded, throughput, availability
per node, time without a leader, blocked or frozen time per participant and suspicion, each where
the run has it.

${formatFlags(reportFlags)}`;

export async function reportCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, reportFlags, 'report');
  if (flags.help) {
    console.log(reportUsage);
    return EXIT_OK;
  }
  if (positional.length !== 1)
    throw new UsageError(`dsim report: give exactly one trace file (got ${positional.length})\n\n${reportUsage}`);
  const file = positional[0]!;
  if (!existsSync(file) || statSync(file).isDirectory())
    throw new UsageError(
      `dsim report: ${file}: no such trace file; dsim run writes traces to traces/<scenario>-seed<n>.jsonl`,
    );
  const text = readFileSync(file, 'utf8');
  const parsed = parseTrace(text);
  if (!parsed.header && parsed.events.length === 0)
    throw new UsageError(
      `dsim report: ${file} is not a dsim trace: ${parsed.problems[0]?.message ?? 'it holds no events'}`,
    );
  const out = typeof flags.out === 'string' ? flags.out : `${file.replace(/\.jsonl?$/i, '')}.html`;
  if (out === file) throw new UsageError(`dsim report: --out ${out} is the trace itself; choose another file`);
  const header = parsed.header;
  writeFileSync(
    out,
    runReportHtml(parsed, {
      hash: hashTrace(text),
      source: file,
      ...(header
        ? { reproduce: `dsim run <the ${String(header.scenario)} scenario file> --seed ${String(header.seed)}` }
        : {}),
    }),
  );
  for (const problem of parsed.problems.slice(0, 3))
    console.error(`dsim report: ${file} line ${problem.line}: ${problem.message}`);
  console.log(`dsim report: wrote ${out}`);
  return EXIT_OK;
}
