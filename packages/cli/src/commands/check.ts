import { readFileSync } from 'node:fs';
import {
  checkLinearizability,
  models,
  parseHistory,
  type EvidenceOperation,
  type HistoryFormat,
  type LinearizabilityResult,
} from '@dsim/check';
import { formatMicros, type History } from '@dsim/core';
import { formatFlags, integerFlag, parseArgs, type FlagSpec } from '../args.ts';
import { EXIT_OK, EXIT_USAGE, EXIT_VIOLATION, UsageError } from '../errors.ts';
import { style } from '../style.ts';

export const checkFlags: Record<string, FlagSpec> = {
  model: {
    value: true,
    short: 'm',
    placeholder: Object.keys(models).join('|'),
    description: 'the model to check against (required)',
  },
  format: {
    value: true,
    placeholder: 'edn|json',
    description: 'the history format (default: from the file name, else the text)',
  },
  'max-steps': {
    value: true,
    placeholder: 'n',
    description: 'search steps before giving up with an unknown verdict (default 10000000)',
  },
  json: { description: 'print the full result (verdict, per-key results, evidence) as JSON' },
  help: { short: 'h', description: 'show this help' },
};

export const checkUsage = `dsim check <history> --model ${Object.keys(models).join('|')} [options]

Checks that a history is linearizable. The history is a Jepsen EDN file (history.edn: one
{:process 0, :type :invoke, :f :read, :value nil} map per operation) or a dsim JSON history (an
array of entries, or JSON Lines). Models:
${Object.values(models)
  .map((model) => `  ${model.name.padEnd(13)}${model.description}`)
  .join('\n')}

Exit status: 0 linearizable, 1 not linearizable or unknown (the search ran out of steps), 2 bad input.

${formatFlags(checkFlags)}`;

/** `dsim check <history> --model <model>`. */
export async function checkCommand(args: string[]): Promise<number> {
  let history: History;
  let result: LinearizabilityResult;
  let json = false;
  try {
    const { positional, flags } = parseArgs(args, checkFlags, 'check');
    if (flags.help) {
      console.log(checkUsage);
      return EXIT_OK;
    }
    json = flags.json === true;
    if (positional.length !== 1)
      throw new UsageError(
        `dsim check: give exactly one history file (got ${positional.length}). Usage: dsim check <history> --model register`,
      );
    const modelName = flags.model;
    if (typeof modelName !== 'string')
      throw new UsageError(`dsim check: say which model to check against: --model ${Object.keys(models).join('|')}`);
    const model = models[modelName];
    if (!model)
      throw new UsageError(`dsim check: unknown model '${modelName}' (models: ${Object.keys(models).join(', ')})`);
    const format = flags.format;
    if (format !== undefined && format !== 'edn' && format !== 'json')
      throw new UsageError(`dsim check: --format must be edn or json, got '${String(format)}'`);
    const maxSteps = integerFlag(flags['max-steps'], 'max-steps', 'check');
    if (maxSteps === 0) throw new UsageError('dsim check: --max-steps must be at least 1');
    const file = positional[0]!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `dsim check: cannot read '${file}': ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      );
    }
    const parsed = parseHistory(text, { source: file, ...(format ? { format: format as HistoryFormat } : {}) });
    history = parsed.history;
    if (!json) {
      console.log(
        `${style.bold('history')}  ${file} ${style.dim(`(${parsed.format}, ${history.length} entries${parsed.skipped ? `, ${parsed.skipped} non-client operations skipped` : ''})`)}`,
      );
      console.log(`${style.bold('model')}    ${model.name} ${style.dim(`— ${model.description}`)}`);
    }
    result = checkLinearizability(history, model, maxSteps !== undefined ? { maxSteps } : {});
  } catch (error) {
    // Bad usage, an unreadable file, a malformed history or an operation the model does not know:
    // all are bad input, and each message names where and what.
    console.error(style.red(error instanceof Error ? error.message : String(error)));
    return EXIT_USAGE;
  }
  if (json) console.log(JSON.stringify(result, null, 2));
  else printResult(result);
  return result.verdict === 'linearizable' ? EXIT_OK : EXIT_VIOLATION;
}

function printResult(result: LinearizabilityResult): void {
  const counts = { linearizable: 0, 'not-linearizable': 0, unknown: 0, skipped: 0 };
  for (const key of result.keys) counts[key.verdict]++;
  console.log(
    `${style.bold('keys')}     ${result.keys.length} ${style.dim(`(${counts.linearizable} linearizable, ${counts['not-linearizable']} not, ${counts.unknown} unknown); ${result.operations} operations searched in ${result.steps} steps`)}`,
  );
  const verdict =
    result.verdict === 'linearizable'
      ? style.green('LINEARIZABLE')
      : result.verdict === 'unknown'
        ? style.yellow('UNKNOWN')
        : style.red('NOT LINEARIZABLE');
  console.log(`\n${style.bold('verdict')}  ${verdict}`);
  console.log(result.message);
  const evidence = result.evidence;
  if (!evidence) return;
  const line = (op: EvidenceOperation) =>
    `${`p${op.process}`.padEnd(5)} ${op.description.padEnd(24)} ${style.dim(`entries ${op.invokeIndex}..${op.completeIndex ?? '∞'}, ${op.invokeTime === null ? '?' : formatMicros(op.invokeTime)}..${op.completeTime === null ? '∞' : formatMicros(op.completeTime)}`)}`;
  console.log(`\n${style.bold('evidence')} ${evidence.key === null ? '' : `key ${JSON.stringify(evidence.key)}`}`);
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
