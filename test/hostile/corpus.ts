import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrace } from '@dsim/core';
import { main } from '@dsim/cli';
import { describeEvent } from '../../apps/visualizer/src/model/describe.ts';
import { historyOf } from '../../apps/visualizer/src/model/history.ts';
import { checkTrace } from '../../apps/visualizer/src/model/linearizability.ts';
import { scenarioFromHeader } from '../../apps/visualizer/src/model/scenario-from-header.ts';
import { FrameSeeker } from '../../apps/visualizer/src/model/seeker.ts';
import { buildTraceModel } from '../../apps/visualizer/src/model/trace-model.ts';

/**
 * Runs the hostile corpus as a user would meet it: every scenario through `dsim run` (in this
 * process, its output captured), every trace through everything the viewer does with a file but
 * draw. A scenario passes when it is refused with exit 2 and a message without a stack trace; a
 * trace passes when it loads without an exception and, unless it is a well-formed trace carrying
 * script or a prototype key (named valid-…), lists at least one problem (garbage is never shown
 * as a clean trace). Nothing may reach Object.prototype on the way.
 */
export interface CorpusResult {
  readonly file: string;
  readonly ok: boolean;
  readonly detail: string;
}

const root = import.meta.dirname;
const STACK_LINE = /^\s+at .+[:(]/m;

export async function runScenarioCorpus(): Promise<CorpusResult[]> {
  const results: CorpusResult[] = [];
  const folder = join(root, 'scenarios');
  for (const name of readdirSync(folder).sort()) {
    const file = join(folder, name);
    const output: string[] = [];
    const { log, error } = console;
    console.log = (...args: unknown[]) => void output.push(args.map(String).join(' '));
    console.error = console.log;
    let code: number;
    try {
      code = await main(['run', file, '--no-trace', '--quiet']);
    } catch (thrown) {
      code = -1;
      output.push(`THREW: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`);
    } finally {
      console.log = log;
      console.error = error;
    }
    const text = output.join('\n');
    const problems = [
      code !== 2 && `exit ${code} (expected 2)`,
      STACK_LINE.test(text) && 'a stack trace',
      !/error:/.test(text) && 'no error message',
    ].filter(Boolean);
    results.push({
      file: `scenarios/${name}`,
      ok: problems.length === 0,
      detail: problems.length ? `${problems.join(', ')}: ${text.slice(0, 300)}` : firstLine(text),
    });
  }
  return results;
}

export function runTraceCorpus(): CorpusResult[] {
  const results: CorpusResult[] = [];
  const folder = join(root, 'traces');
  for (const name of readdirSync(folder).sort()) {
    const text = readFileSync(join(folder, name), 'utf8');
    try {
      const model = buildTraceModel(parseTrace(text));
      const seeker = new FrameSeeker(model, 8);
      for (const index of [model.events.length, 0, model.events.length >> 1]) seeker.frameAt(index);
      for (const event of model.events) describeEvent(event);
      historyOf(model);
      checkTrace(model, 10_000);
      if (model.header) scenarioFromHeader(model.header);
      const named = model.problems.length > 0 || name.startsWith('valid-');
      if (Object.keys(Object.prototype).length > 0) throw new Error('Object.prototype was polluted');
      results.push({
        file: `traces/${name}`,
        ok: named,
        detail: named
          ? (model.problems[0]?.message ?? 'loads; its script stays text')
          : 'garbage loaded with no problem named',
      });
    } catch (thrown) {
      results.push({
        file: `traces/${name}`,
        ok: false,
        detail: `threw ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`,
      });
    }
  }
  return results;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => /error:/.test(candidate)) ?? text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
