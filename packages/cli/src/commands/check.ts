import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  checkPartitions,
  DEFAULT_MAX_STEPS,
  HistoryStreamReader,
  modelFactories,
  PartitionCollector,
  renderLinearizabilityReport,
  summarizeLinearizability,
  type EvidenceOperation,
  type HistoryFormat,
  type KeyLinearizability,
  type LinearizabilityEvidence,
  type LinearizabilityResult,
  type Model,
  type ModelOptions,
  type Partition,
} from '@dsim/check';
import { formatMicros } from '@dsim/core';
import { formatFlags, integerFlag, parseArgs, type FlagSpec } from '../args.ts';
import type { CheckReply, CheckRequest, CheckWorkerData } from '../check-worker.ts';
import { CheckProgress } from '../check-progress.ts';
import { UsageError } from '../errors.ts';
import { EXIT_INTERNAL, EXIT_OK, EXIT_UNKNOWN, EXIT_USAGE, EXIT_VIOLATION } from '../exit-codes.ts';
import { style } from '../style.ts';

const modelNames = Object.keys(modelFactories);

export const checkFlags: Record<string, FlagSpec> = {
  model: {
    value: true,
    short: 'm',
    placeholder: modelNames.join('|'),
    description: 'the model to check against (required)',
  },
  format: {
    value: true,
    placeholder: 'edn|json',
    description: 'the history format (default: from the file name, else the text)',
  },
  budget: {
    value: true,
    placeholder: 'time|steps',
    description:
      'stop with an unknown verdict after a time (30s, 2m, 500ms) and/or a number of search steps (20000000); both: 30s,20000000',
  },
  'max-steps': {
    value: true,
    placeholder: 'n',
    description: `search steps before giving up with an unknown verdict (default ${DEFAULT_MAX_STEPS})`,
  },
  workers: {
    value: true,
    placeholder: 'n',
    description: 'check keys in parallel on n worker threads (default 1: in this thread)',
  },
  'all-keys': { description: 'check every key and show every failing one (default: stop at the first failing key)' },
  'failed-cas': {
    value: true,
    placeholder: 'constraint|drop',
    description:
      "what a failed cas means: 'constraint' (default, as Jepsen/Knossos/Porcupine: it saw another value) or 'drop' (only: not applied)",
  },
  'absent-value': {
    value: true,
    placeholder: "null|''",
    description: "what a read of a never-written key returns: null (default) or '' (the empty string; also 'empty')",
  },
  'search-only': { description: 'never use the unique-writes check (every key by search)' },
  report: {
    value: true,
    placeholder: 'file.html',
    description: 'write a self-contained HTML report with a timeline per key (the failure drawn as Porcupine does)',
  },
  json: { description: 'print the full result (verdict, per-key results, evidence) as JSON' },
  help: { short: 'h', description: 'show this help' },
};

export const checkUsage = `dsim check <history> --model ${modelNames.join('|')} [options]

Checks that a history is linearizable. The history is a Jepsen EDN file (history.edn: one
{:process 0, :type :invoke, :f :read, :value nil} map per operation) or a dsim JSON history (an
array of entries, or JSON Lines); it is read as a stream, so files of millions of operations fit.
Keys are checked independently; a key of plain reads and writes with distinct written values is
decided by the polynomial unique-writes check, any other by search. Models:
${modelNames
  .map((name) => {
    const model = modelFactories[name]!();
    return `  ${model.name.padEnd(13)}${model.description}`;
  })
  .join('\n')}

Exit status: 0 linearizable, 1 not linearizable, 2 bad input, 3 internal error, 4 unknown (the
budget ran out before a verdict).

${formatFlags(checkFlags)}`;

interface CheckSettings {
  readonly file: string;
  readonly model: Model;
  readonly modelName: string;
  readonly modelOptions: ModelOptions;
  readonly format?: HistoryFormat;
  readonly maxSteps: number;
  readonly timeBudgetMillis?: number;
  readonly workers: number;
  readonly allKeys: boolean;
  readonly uniqueWrites: boolean;
  readonly report?: string;
  readonly json: boolean;
}

/** `dsim check <history> --model <model>`. */
export async function checkCommand(args: string[]): Promise<number> {
  let settings: CheckSettings;
  let partitions: Partition[];
  try {
    const parsed = parseSettings(args);
    if (parsed === 'help') {
      console.log(checkUsage);
      return EXIT_OK;
    }
    settings = parsed;
    partitions = readHistory(settings);
  } catch (error) {
    // Bad usage, an unreadable file, a malformed history or an operation the model does not know:
    // all are bad input, and each message names where and what.
    console.error(style.red(error instanceof Error ? error.message : String(error)));
    return EXIT_USAGE;
  }
  let result: LinearizabilityResult;
  try {
    result = settings.workers > 1 ? await checkInWorkers(partitions, settings) : checkHere(partitions, settings);
  } catch (error) {
    // The history was read and accepted: a failure in the search is dsim's, not the input's.
    console.error(
      style.red(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
    return EXIT_INTERNAL;
  }
  if (settings.json) console.log(JSON.stringify(result, null, 2));
  else printResult(result, settings);
  if (settings.report !== undefined) {
    try {
      writeFileSync(
        settings.report,
        renderLinearizabilityReport({ result, partitions, model: settings.model, source: settings.file }),
      );
      if (!settings.json) console.log(`\n${style.bold('report')}   ${settings.report}`);
    } catch (error) {
      console.error(style.red(`dsim check: cannot write the report '${settings.report}': ${(error as Error).message}`));
      return EXIT_USAGE;
    }
  }
  return result.verdict === 'linearizable' ? EXIT_OK : result.verdict === 'unknown' ? EXIT_UNKNOWN : EXIT_VIOLATION;
}

function parseSettings(args: string[]): CheckSettings | 'help' {
  const { positional, flags } = parseArgs(args, checkFlags, 'check');
  if (flags.help) return 'help';
  if (positional.length !== 1)
    throw new UsageError(
      `dsim check: give exactly one history file (got ${positional.length}). Usage: dsim check <history> --model register`,
    );
  const modelName = flags.model;
  if (typeof modelName !== 'string')
    throw new UsageError(`dsim check: say which model to check against: --model ${modelNames.join('|')}`);
  const factory = modelFactories[modelName];
  if (!factory) throw new UsageError(`dsim check: unknown model '${modelName}' (models: ${modelNames.join(', ')})`);
  const failedCas = flags['failed-cas'];
  if (failedCas !== undefined && failedCas !== 'constraint' && failedCas !== 'drop')
    throw new UsageError(`dsim check: --failed-cas must be 'constraint' or 'drop', got '${String(failedCas)}'`);
  const absentFlag = flags['absent-value'];
  let absentValue: null | '' | undefined;
  if (absentFlag !== undefined) {
    if (absentFlag === 'null') absentValue = null;
    else if (absentFlag === '' || absentFlag === 'empty' || absentFlag === '""' || absentFlag === "''")
      absentValue = '';
    else
      throw new UsageError(
        `dsim check: --absent-value must be null or '' (write --absent-value '' or --absent-value empty), got '${String(absentFlag)}'`,
      );
  }
  const modelOptions: ModelOptions = {
    ...(failedCas !== undefined ? { failedCas } : {}),
    ...(absentValue !== undefined ? { absentValue } : {}),
  };
  if ((failedCas !== undefined || absentValue !== undefined) && !['register', 'cas-register', 'kv'].includes(modelName))
    throw new UsageError(
      `dsim check: --failed-cas and --absent-value apply to register, cas-register and kv, not ${modelName}`,
    );
  const format = flags.format;
  if (format !== undefined && format !== 'edn' && format !== 'json')
    throw new UsageError(`dsim check: --format must be edn or json, got '${String(format)}'`);
  let maxSteps = integerFlag(flags['max-steps'], 'max-steps', 'check');
  if (maxSteps === 0) throw new UsageError('dsim check: --max-steps must be at least 1');
  let timeBudgetMillis: number | undefined;
  if (flags.budget !== undefined) {
    const budget = parseBudget(String(flags.budget));
    if (budget.steps !== undefined) {
      if (maxSteps !== undefined)
        throw new UsageError('dsim check: give the step budget once: --budget <steps> or --max-steps <n>, not both');
      maxSteps = budget.steps;
    }
    timeBudgetMillis = budget.millis;
  }
  const workers = integerFlag(flags.workers, 'workers', 'check') ?? 1;
  if (workers < 1) throw new UsageError('dsim check: --workers must be at least 1');
  const report = flags.report;
  if (report !== undefined && (typeof report !== 'string' || report === ''))
    throw new UsageError('dsim check: --report needs a file name (--report out.html)');
  return {
    file: positional[0]!,
    model: factory(modelOptions),
    modelName,
    modelOptions,
    ...(format ? { format: format as HistoryFormat } : {}),
    maxSteps: maxSteps ?? DEFAULT_MAX_STEPS,
    ...(timeBudgetMillis !== undefined ? { timeBudgetMillis } : {}),
    workers,
    allKeys: flags['all-keys'] === true,
    uniqueWrites: flags['search-only'] !== true,
    ...(typeof report === 'string' ? { report } : {}),
    json: flags.json === true,
  };
}

const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `2m`, `500ms`, `20000000`, or a time and a step count separated by a comma. */
export function parseBudget(text: string): { millis?: number; steps?: number } {
  const budget: { millis?: number; steps?: number } = {};
  for (const part of text.split(',').map((piece) => piece.trim())) {
    const time = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part);
    const steps = /^(\d+)(?:\s*steps?)?$/.exec(part);
    if (time && budget.millis === undefined) budget.millis = Number(time[1]) * TIME_UNITS[time[2]!]!;
    else if (steps && budget.steps === undefined && Number(steps[1]) > 0) budget.steps = Number(steps[1]);
    else
      throw new UsageError(
        `dsim check: --budget takes a time (30s, 2m, 500ms), a number of search steps (20000000), or one of each separated by a comma (30s,20000000); got '${text}'`,
      );
  }
  return budget;
}

/** Streams the file through the reader into the partitions: memory for open operations and the per-key histories. */
function readHistory(settings: CheckSettings): Partition[] {
  const { file } = settings;
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r');
  } catch (error) {
    throw new UsageError(
      `dsim check: cannot read '${file}': ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  const collector = new PartitionCollector(settings.model);
  const reader = new HistoryStreamReader({
    source: file,
    ...(settings.format ? { format: settings.format } : {}),
    onRecord: (record) => withFile(file, () => collector.add(record)),
  });
  const progress = CheckProgress.create('read');
  try {
    const size = fstatSync(descriptor).size;
    const chunk = Buffer.allocUnsafe(1 << 22);
    const decoder = new TextDecoder('utf-8');
    let read = 0;
    for (;;) {
      const bytes = readSync(descriptor, chunk, 0, chunk.length, null);
      if (bytes === 0) break;
      read += bytes;
      reader.push(decoder.decode(chunk.subarray(0, bytes), { stream: true }));
      progress?.update(read, size, `${collector.operations.toLocaleString('en-US')} operations`, 'bytes');
    }
    reader.push(decoder.decode());
    reader.end();
    progress?.finish();
  } finally {
    closeSync(descriptor);
  }
  const partitions = withFile(file, () => collector.finish());
  if (!settings.json) {
    console.log(
      `${style.bold('history')}  ${file} ${style.dim(`(${reader.format ?? 'empty'}, ${collector.entries} entries${reader.skipped ? `, ${reader.skipped} non-client operations skipped` : ''})`)}`,
    );
    console.log(`${style.bold('model')}    ${settings.model.name} ${style.dim(`— ${settings.model.description}`)}`);
  }
  return partitions;
}

/** Runs `action`, naming the file in front of an error that does not name it yet. */
function withFile<T>(file: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof Error && !error.message.startsWith(`${file}: `)) error.message = `${file}: ${error.message}`;
    throw error;
  }
}

function deadlineOf(settings: CheckSettings): number {
  // The CLI owns the clock; the checker only hears "stop" through its poll.
  return settings.timeBudgetMillis === undefined ? Infinity : Date.now() + settings.timeBudgetMillis;
}

function checkHere(partitions: readonly Partition[], settings: CheckSettings): LinearizabilityResult {
  const deadline = deadlineOf(settings);
  const progress = CheckProgress.create('check');
  const total = partitions.length;
  let decided = 0;
  let failing = 0;
  const result = checkPartitions(partitions, settings.model, {
    maxSteps: settings.maxSteps,
    allKeys: settings.allKeys,
    uniqueWrites: settings.uniqueWrites,
    poll: (steps) => {
      progress?.update(decided, total, `${failing} failing, ${steps.toLocaleString('en-US')} steps`, 'keys');
      return Date.now() > deadline;
    },
    onKey: (key, count) => {
      decided = count;
      if (key.verdict === 'not-linearizable') failing++;
      progress?.update(decided, total, `${failing} failing`, 'keys');
    },
  });
  progress?.finish();
  return withTimeNote(result, settings, deadline);
}

/** Checks keys on worker threads, small keys first, stopping at the first failing key unless --all-keys. */
async function checkInWorkers(
  partitions: readonly Partition[],
  settings: CheckSettings,
): Promise<LinearizabilityResult> {
  const deadline = deadlineOf(settings);
  const order = partitions
    .map((_, i) => i)
    .sort((a, b) => partitions[a]!.operations.length - partitions[b]!.operations.length || a - b);
  const results: KeyLinearizability[] = new Array(partitions.length);
  const data: CheckWorkerData = {
    model: settings.modelName,
    modelOptions: settings.modelOptions,
    uniqueWrites: settings.uniqueWrites,
    deadline,
  };
  const progress = CheckProgress.create('check');
  const count = Math.min(settings.workers, Math.max(1, partitions.length));
  let next = 0;
  let used = 0;
  let decided = 0;
  let failing = 0;
  let stop = false;
  let failure: string | undefined;
  const running = new Map<number, number>();
  const workers: Worker[] = [];
  await new Promise<void>((resolve) => {
    let active = 0;
    const dispatch = (worker: Worker) => {
      if (stop || next >= order.length || Date.now() > deadline || used >= settings.maxSteps) {
        void worker.terminate();
        if (--active === 0) resolve();
        return;
      }
      const index = order[next++]!;
      running.set(index, 0);
      // Each key may use what is left of the shared step budget when it starts.
      worker.postMessage({
        index,
        partition: partitions[index]!,
        maxSteps: settings.maxSteps - used,
      } satisfies CheckRequest);
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('../check-worker-entry.mjs', import.meta.url), { workerData: data });
      workers.push(worker);
      active++;
      worker.on('message', (reply: CheckReply) => {
        if ('progress' in reply) {
          running.set(reply.index, reply.steps);
          progress?.update(decided, partitions.length, `${failing} failing, ${runningSteps(running)} steps`, 'keys');
          return;
        }
        running.delete(reply.index);
        if ('error' in reply) {
          failure ??= reply.error;
          stop = true;
        } else {
          results[reply.index] = reply.result;
          used += reply.result.steps;
          decided++;
          if (reply.result.verdict === 'not-linearizable') {
            failing++;
            if (!settings.allKeys) stop = true;
          }
          progress?.update(decided, partitions.length, `${failing} failing`, 'keys');
        }
        if (stop) {
          // One failing key decides the verdict: the others are abandoned mid-search.
          for (const other of workers) void other.terminate();
          resolve();
          return;
        }
        dispatch(worker);
      });
      worker.on('error', (error) => {
        failure ??= error.message;
        stop = true;
        for (const other of workers) void other.terminate();
        resolve();
      });
      dispatch(worker);
    }
  });
  progress?.finish();
  if (failure !== undefined) throw new Error(failure);
  const anyFailed = results.some((result) => result?.verdict === 'not-linearizable');
  for (let i = 0; i < partitions.length; i++) {
    if (results[i] !== undefined) continue;
    const partition = partitions[i]!;
    results[i] = {
      key: partition.key,
      verdict: anyFailed && !settings.allKeys ? 'skipped' : 'unknown',
      operations: partition.operations.length,
      steps: running.get(i) ?? 0,
      method: 'none',
    };
  }
  return withTimeNote(
    summarizeLinearizability(results, settings.model, { maxSteps: settings.maxSteps, allKeys: settings.allKeys }),
    settings,
    deadline,
  );
}

function runningSteps(running: ReadonlyMap<number, number>): string {
  let total = 0;
  for (const steps of running.values()) total += steps;
  return total.toLocaleString('en-US');
}

/** An unknown verdict caused by the clock says so (the checker's message speaks of steps). */
function withTimeNote(result: LinearizabilityResult, settings: CheckSettings, deadline: number): LinearizabilityResult {
  if (result.verdict !== 'unknown' || settings.timeBudgetMillis === undefined || Date.now() <= deadline) return result;
  return {
    ...result,
    message: `${result.message.replace(/^unknown: the search ran out of its budget of \d+ steps/, `unknown: the check ran out of its time budget of ${settings.timeBudgetMillis} ms`)}`,
  };
}

function printResult(result: LinearizabilityResult, settings: CheckSettings): void {
  const counts = { linearizable: 0, 'not-linearizable': 0, unknown: 0, skipped: 0 };
  for (const key of result.keys) counts[key.verdict]++;
  const methods = `decided by unique writes ${result.methods['unique-writes']}, by search ${result.methods.search}`;
  console.log(
    `${style.bold('keys')}     ${result.keys.length} ${style.dim(`(${counts.linearizable} linearizable, ${counts['not-linearizable']} not, ${counts.unknown} unknown${counts.skipped ? `, ${counts.skipped} not checked after the failure` : ''}; ${methods}); ${result.operations} operations, ${result.steps} search steps`)}`,
  );
  const verdict =
    result.verdict === 'linearizable'
      ? style.green('LINEARIZABLE')
      : result.verdict === 'unknown'
        ? style.yellow('UNKNOWN')
        : style.red('NOT LINEARIZABLE');
  console.log(`\n${style.bold('verdict')}  ${verdict}`);
  console.log(result.message);
  const failing = result.keys.filter((key) => key.evidence !== undefined);
  const shown = settings.allKeys ? failing : failing.slice(0, 1);
  for (const key of shown) printEvidence(key.evidence!, key.method);
}

function printEvidence(evidence: LinearizabilityEvidence, method: string): void {
  const line = (op: EvidenceOperation) => {
    const where =
      op.invokeLine !== null
        ? `lines ${op.invokeLine}..${op.completeLine ?? '∞'}`
        : `entries ${op.invokeIndex}..${op.completeIndex ?? '∞'}`;
    const times =
      op.invokeTime === null
        ? ''
        : `, ${formatMicros(op.invokeTime)}..${op.completeTime === null ? '∞' : formatMicros(op.completeTime)}`;
    return `${`p${op.process}`.padEnd(5)} ${op.description.padEnd(24)} ${style.dim(`${where}${times}`)}`;
  };
  console.log(
    `\n${style.bold('evidence')} ${evidence.key === null ? '' : `key ${JSON.stringify(evidence.key)} `}${style.dim(`(found by ${method === 'unique-writes' ? 'the unique-writes check' : 'search'})`)}`,
  );
  if (evidence.conflict) console.log(`  conflict: ${evidence.conflict}`);
  const shown = evidence.linearized.slice(-10);
  console.log(
    `  longest linearizable prefix: ${evidence.linearized.length} operation${evidence.linearized.length === 1 ? '' : 's'}${evidence.linearized.length > shown.length ? ` (last ${shown.length} shown)` : ''}`,
  );
  for (const op of shown) console.log(`    ${line(op)}`);
  console.log(`  value after it: ${JSON.stringify(evidence.stateAfter)}`);
  console.log(`  ${style.red('cannot be placed:')}`);
  console.log(`    ${line(evidence.blocked)}`);
  if (evidence.concurrent.length > 0) {
    console.log(`  concurrent operations not yet linearized at that point:`);
    for (const op of evidence.concurrent.slice(0, 10)) console.log(`    ${line(op)}`);
    if (evidence.concurrent.length > 10) console.log(style.dim(`    ... and ${evidence.concurrent.length - 10} more`));
  }
}
