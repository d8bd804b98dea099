import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { families } from '@dsim/registry';
import { formatFlags, parseArgs, type FlagSpec } from '../args.ts';
import { EXIT_OK, EXIT_VIOLATION, UsageError } from '../errors.ts';
import { measureTotals } from '../family-args.ts';
import { style } from '../style.ts';
import { printSummary } from '../sweep-summary.ts';
import { sweepReportHtml } from '@dsim/report';
import { coverageLines, sweepCoverage } from '../sweep-coverage.ts';
import { readResultsFile, runKey, type ResultLine, type ResultsHeader } from '../sweep-results.ts';

export const sweepMergeFlags: Record<string, FlagSpec> = {
  out: {
    value: true,
    short: 'o',
    placeholder: 'file.jsonl',
    description: 'write the merged results (one header, every run once, by seed) to this file',
  },
  html: {
    value: true,
    placeholder: 'report.html',
    description: 'write a self-contained HTML report: verdicts, distributions, coverage, failing seeds',
  },
  json: { description: 'print the summary as JSON' },
  help: { short: 'h', description: 'show this help' },
};

export const sweepMergeUsage = `dsim sweep merge <results.jsonl>... [options]

Merges the --results files of one sweep's shards (or of a sweep stopped and resumed) and prints
the summary a single-machine run prints, with every failing seed's reproduce command. The files
must share the scenario digest, code version and seed range. A run found in two files must have
the same trace hash in both (else the simulation is nondeterministic: an error). Exit 0 when every
seed of the range is present and held every invariant, 1 when any failed or is missing, 2 on bad
input.

${formatFlags(sweepMergeFlags)}`;

export interface MergedSweep {
  readonly header: ResultsHeader;
  /** Every run once, by seed then option set. */
  readonly runs: ResultLine[];
  /** Runs of the seed range found in no file, as `seed:case` keys. */
  readonly missing: Array<{ seed: number; case: number }>;
  /** Runs found in more than one file with equal hashes. */
  readonly duplicates: number;
}

/** Merges results files of one sweep; throws a UsageError naming the file that does not belong. */
export function mergeResults(files: readonly string[]): MergedSweep {
  let header: ResultsHeader | undefined;
  let firstFile = '';
  const byKey = new Map<string, { line: ResultLine; file: string }>();
  let duplicates = 0;
  for (const file of files) {
    const read = readResultsFile(file, 'sweep merge');
    if (!header) {
      header = read.header;
      firstFile = file;
    } else {
      for (const field of ['scenarioDigest', 'codeVersion'] as const)
        if (read.header[field] !== header[field])
          throw new UsageError(
            `dsim sweep merge: ${file} belongs to another sweep: its ${field} is ${read.header[field]}, ${firstFile}'s is ${header[field]}; merge only the shards of one sweep (same scenario, options and code)`,
          );
      if (
        read.header.seeds.first !== header.seeds.first ||
        read.header.seeds.last !== header.seeds.last ||
        read.header.cases !== header.cases
      )
        throw new UsageError(
          `dsim sweep merge: ${file} covers seeds ${read.header.seeds.first}..${read.header.seeds.last}, ${firstFile} covers ${header.seeds.first}..${header.seeds.last}; merge the shards of one --seeds range`,
        );
    }
    for (const line of read.lines) {
      const key = runKey(line);
      const seen = byKey.get(key);
      if (!seen) {
        byKey.set(key, { line, file });
        continue;
      }
      if (seen.line.hash !== line.hash)
        throw new UsageError(
          `dsim sweep merge: nondeterminism: seed ${line.label ?? line.seed} has trace hash ${seen.line.hash ?? 'none'} in ${seen.file} and ${line.hash ?? 'none'} in ${file}; the same scenario, seed and code must give the same trace (replay it with: ${line.reproduce})`,
        );
      duplicates++;
    }
  }
  if (!header) throw new UsageError(`dsim sweep merge needs at least one results file.\n\n${sweepMergeUsage}`);
  const runs = [...byKey.values()].map(({ line }) => line);
  runs.sort((a, b) => a.seed - b.seed || (a.case ?? 0) - (b.case ?? 0));
  const missing: Array<{ seed: number; case: number }> = [];
  for (let seed = header.seeds.first; seed <= header.seeds.last; seed++)
    for (let index = 0; index < header.cases; index++)
      if (!byKey.has(runKey({ seed, case: index }))) missing.push({ seed, case: index });
  return { header, runs, missing, duplicates };
}

export async function sweepMergeCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, sweepMergeFlags, 'sweep merge');
  if (flags.help) {
    console.log(sweepMergeUsage);
    return EXIT_OK;
  }
  if (positional.length === 0)
    throw new UsageError(`dsim sweep merge needs the results files to merge.\n\n${sweepMergeUsage}`);
  for (const file of positional) if (!existsSync(file)) throw new UsageError(`dsim sweep merge: ${file}: no such file`);
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  if (out && positional.includes(out))
    throw new UsageError(`dsim sweep merge: --out ${out} is one of the files being merged; choose another file`);
  const merged = mergeResults(positional);
  const { header, runs, missing } = merged;
  if (out)
    writeMerged(out, { ...header, command: ['dsim', 'sweep', 'merge', ...args], shard: { index: 1, count: 1 } }, runs);
  if (typeof flags.html === 'string') writeFileSync(flags.html, sweepReportHtml(header, runs));
  const failing = runs.filter((run) => !run.ok);
  const family = header.family ? families[header.family] : undefined;
  const measured = family?.measure ? family.measure.report(measureTotals(runs.map((run) => run.measures))) : [];
  const wallMillis = runs.reduce((sum, run) => sum + (run.wallMillis ?? 0), 0);
  // An --until-covered sweep stops once covered: the seeds it did not take are not missing.
  const stoppedWhenCovered = header.untilCovered === true;
  const exit = failing.length > 0 || (missing.length > 0 && !stoppedWhenCovered) ? EXIT_VIOLATION : EXIT_OK;
  const covered = header.coverageGoals ? sweepCoverage(header.coverageGoals, runs) : undefined;
  if (flags.json) {
    console.log(
      JSON.stringify(
        {
          scenario: header.title,
          codeVersion: header.codeVersion,
          scenarioDigest: header.scenarioDigest,
          files: positional.length,
          seeds: runs.length,
          missing,
          duplicates: merged.duplicates,
          failing: failing.map(({ label: _label, reproduce, ...run }) => ({ ...run, replay: reproduce })),
          events: runs.reduce((sum, run) => sum + run.events, 0),
          ...(covered
            ? { coverage: { goals: covered.goalCount, unreached: covered.unreached, totals: covered.totals } }
            : {}),
          ...(family?.measure ? { measures: measureTotals(runs.map((run) => run.measures)) } : {}),
        },
        null,
        2,
      ),
    );
    return exit;
  }
  console.log(`${style.bold('dsim sweep merge')} ${header.title}`);
  console.log(`${style.dim('code       ')}${header.codeVersion}`);
  console.log(`${style.dim('scenario   ')}digest ${header.scenarioDigest}`);
  console.log(
    `${style.dim('seeds      ')}${header.seeds.first}..${header.seeds.last}${header.cases > 1 ? ` × ${header.cases} option sets` : ''} from ${positional.length} file${positional.length === 1 ? '' : 's'}${merged.duplicates ? `, ${merged.duplicates} duplicate runs (same hash) counted once` : ''}`,
  );
  console.log(style.dim('time       the sum of the runs’ own wall times'));
  console.log();
  printSummary({
    runs,
    invariants: header.invariants,
    unit: header.cases > 1 ? 'runs' : 'seeds',
    wallMillis,
    measured,
    coverage: covered ? coverageLines(covered) : [],
    incomplete: missing.length > 0 && !stoppedWhenCovered,
    ...(out ? { savedIn: out } : {}),
  });
  if (missing.length > 0 && stoppedWhenCovered)
    console.log(
      style.dim(
        `  ${missing.length.toLocaleString('en-US')} seeds of ${header.seeds.first}..${header.seeds.last} not run: the sweep ran --until-covered`,
      ),
    );
  else if (missing.length > 0) {
    const shown = missing
      .slice(0, 20)
      .map((run) => (header.cases > 1 ? `${run.seed}#${run.case + 1}` : String(run.seed)))
      .join(', ');
    console.log(
      style.red(
        style.bold(
          `✗ ${missing.length} ${header.cases > 1 ? 'runs' : 'seeds'} of ${header.seeds.first}..${header.seeds.last} are in no file: ${shown}${missing.length > 20 ? ', …' : ''}`,
        ),
      ),
    );
    console.log(style.dim(`  run the shard that lost them again with --resume <its results file>`));
  }
  return exit;
}

/**
 * Writes the merged file a few thousand lines at a time: a whole sweep as one string would pass
 * V8's largest string (about 512 MB; 64 shards of 10,000 runs are more).
 */
function writeMerged(file: string, header: ResultsHeader, runs: readonly ResultLine[]): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `${JSON.stringify(header)}\n`);
    for (let start = 0; start < runs.length; start += 4096) {
      let chunk = '';
      for (const run of runs.slice(start, start + 4096)) chunk += `${JSON.stringify(run)}\n`;
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
}
