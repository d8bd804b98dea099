import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '@dsim/core';
import { shrinkFaultSchedule } from '@dsim/property';
import { registry } from '@dsim/registry';
import { DSIM, shellArg } from './shell.ts';
import { style } from './style.ts';

/** A failing run to shrink: its scenario as the sweep built it, its seed, and how a summary names it. */
export interface ShrinkTarget {
  readonly label: string;
  readonly seed: number;
  readonly scenario: Scenario;
}

export interface ShrinkOutcome {
  readonly label: string;
  readonly seed: number;
  readonly scenarioFile?: string;
  readonly traceFile?: string;
  readonly episodesBefore?: number;
  readonly episodesAfter?: number;
  readonly violation?: string;
  /** Why nothing was written, when nothing was. */
  readonly reason?: string;
}

/**
 * Shrinks each failing run's fault schedule (see shrinkFaultSchedule) and writes the smaller
 * scenario and its trace into `dir`, as `seed-<label>.json` and `seed-<label>.trace.jsonl`: a
 * scenario file ready to commit as a regression test, and the trace the visualizer opens.
 */
export function shrinkFailures(targets: readonly ShrinkTarget[], dir: string, title: string): ShrinkOutcome[] {
  const outcomes: ShrinkOutcome[] = [];
  for (const target of targets) {
    const base = `seed-${target.label.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
    let shrunk;
    try {
      shrunk = shrinkFaultSchedule({
        name: `${title} seed ${target.label}`,
        scenario: target.scenario,
        seed: target.seed,
        registry,
      });
    } catch (error) {
      outcomes.push({ ...target, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (!shrunk.shrunk) {
      outcomes.push({ label: target.label, seed: target.seed, reason: shrunk.reason });
      continue;
    }
    mkdirSync(dir, { recursive: true });
    const scenarioFile = join(dir, `${base}.json`);
    const traceFile = join(dir, `${base}.trace.jsonl`);
    writeFileSync(scenarioFile, `${JSON.stringify(shrunk.scenario, null, 2)}\n`);
    writeFileSync(traceFile, shrunk.result.traceText);
    outcomes.push({
      label: target.label,
      seed: target.seed,
      scenarioFile,
      traceFile,
      episodesBefore: shrunk.episodesBefore,
      episodesAfter: shrunk.episodesAfter,
      violation: shrunk.violation,
    });
  }
  return outcomes;
}

export function printShrunk(outcomes: readonly ShrinkOutcome[]): void {
  if (outcomes.length === 0) return;
  console.log();
  console.log(style.bold('shrunk'));
  for (const outcome of outcomes) {
    if (!outcome.scenarioFile) {
      console.log(`  seed ${outcome.label.padEnd(6)} ${style.yellow(`not shrunk: ${outcome.reason}`)}`);
      continue;
    }
    console.log(
      `  seed ${outcome.label.padEnd(6)} ${outcome.episodesBefore} → ${outcome.episodesAfter} fault episodes: ${outcome.violation!.slice(0, 90)}`,
    );
    console.log(style.dim(`              ${DSIM} run ${shellArg(outcome.scenarioFile)}`));
    console.log(style.dim(`              ${DSIM} view ${shellArg(outcome.traceFile!)}`));
  }
}
