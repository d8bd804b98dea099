import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoverageGoals, FamilyOptionValues } from '@dsim/core';
import { UsageError } from './errors.ts';
import type { SeedResult } from './sweep-worker.ts';

/**
 * A sweep's results as data: a JSON Lines file whose first line is a header naming the sweep
 * (scenario digest, code version, seed range, shard) and whose every other line is one finished
 * seed, appended as it finishes so a killed sweep keeps what it did.
 */
export const RESULTS_FORMAT = 'dsim-sweep-results';
export const RESULTS_VERSION = 1;

export interface ResultsHeader {
  readonly format: typeof RESULTS_FORMAT;
  readonly version: number;
  /** The sweep's command line, as given to dsim. */
  readonly command: readonly string[];
  /** Which sweep this is: the scenario file's bytes (or the family and its option sets) and --until. */
  readonly scenarioDigest: string;
  /** The CLI package version, plus the git commit when the code is a git checkout. */
  readonly codeVersion: string;
  /** The title a summary prints: the scenario file or `--family name`. */
  readonly title: string;
  readonly family?: string;
  readonly seeds: { readonly first: number; readonly last: number };
  readonly shard: { readonly index: number; readonly count: number };
  /** How many option sets each seed runs (1 for a scenario file). */
  readonly cases: number;
  readonly invariants: ReadonlyArray<{ readonly name: string; readonly kind: string }>;
  /** What the sweep should reach (absent in files written before coverage was counted). */
  readonly coverageGoals?: CoverageGoals;
  /** Written by `--until-covered`: the sweep stops taking seeds once every goal is reached, so seeds it never ran are expected. */
  readonly untilCovered?: boolean;
}

/** One finished run: the worker's result, its verdict, and how to reproduce it. */
export interface ResultLine extends SeedResult {
  readonly verdict: 'ok' | 'violation' | 'error';
  readonly family?: string;
  readonly options?: FamilyOptionValues;
  /** The seed and, for a family with several option sets, the options: how a summary names the run. */
  readonly label: string;
  /** The command that replays exactly this run. */
  readonly reproduce: string;
}

export function verdictOf(result: SeedResult): ResultLine['verdict'] {
  if (result.ok) return 'ok';
  return result.violations.length > 0 ? 'violation' : 'error';
}

export function runKey(result: { readonly seed: number; readonly case?: number }): string {
  return `${result.seed}:${result.case ?? 0}`;
}

export function scenarioDigest(what: unknown): string {
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 16);
}

let cachedCodeVersion: string | undefined;

/** `@dsim/cli@<version>+<commit>`, or without the commit when git is not there to ask. */
export function codeVersion(): string {
  if (cachedCodeVersion !== undefined) return cachedCodeVersion;
  const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
  const { version } = JSON.parse(readFileSync(`${packageDir}/package.json`, 'utf8')) as { version: string };
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: packageDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    commit = '';
  }
  cachedCodeVersion = `@dsim/cli@${version}${/^[0-9a-f]{40}$/.test(commit) ? `+${commit}` : ''}`;
  return cachedCodeVersion;
}

/** Appends one line; appendFileSync reaches the file before the next seed runs, so a kill loses nothing finished. */
export function appendResultLine(file: string, value: ResultsHeader | ResultLine): void {
  try {
    appendFileSync(file, `${JSON.stringify(value)}\n`);
  } catch (error) {
    throw new UsageError(
      `dsim sweep: cannot write the results to ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export interface ResultsFile {
  readonly header: ResultsHeader;
  readonly lines: ResultLine[];
}

/**
 * Reads a results file. A last line cut short by a kill is skipped (its seed counts as not run);
 * anything else malformed is an error naming the file and line.
 */
export function readResultsFile(file: string, command: string): ResultsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `dsim ${command}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const rows = text.split('\n');
  // The text after the last newline is empty, or a line a kill cut short.
  const complete = rows.slice(0, -1);
  let header: ResultsHeader | undefined;
  try {
    header = JSON.parse(complete[0] ?? '') as ResultsHeader;
  } catch {
    header = undefined;
  }
  if (!header || header.format !== RESULTS_FORMAT)
    throw new UsageError(
      `dsim ${command}: ${file} is not a sweep results file (its first line must be a '${RESULTS_FORMAT}' header; write one with 'dsim sweep ... --results ${file}')`,
    );
  if (header.version !== RESULTS_VERSION)
    throw new UsageError(
      `dsim ${command}: ${file} is results format version ${header.version}; this dsim reads version ${RESULTS_VERSION}`,
    );
  const lines: ResultLine[] = [];
  for (let index = 1; index < complete.length; index++) {
    const row = complete[index]!;
    if (row.trim() === '') continue;
    try {
      lines.push(JSON.parse(row) as ResultLine);
    } catch {
      throw new UsageError(`dsim ${command}: ${file} line ${index + 1} is not valid JSON; the file is damaged`);
    }
  }
  return { header, lines };
}

/** Cuts off a last line a kill left unfinished, so that appending starts on a line of its own. */
export function dropCutLine(file: string): void {
  const text = readFileSync(file);
  const end = text.lastIndexOf(0x0a) + 1;
  if (end < text.length) truncateSync(file, end);
}
