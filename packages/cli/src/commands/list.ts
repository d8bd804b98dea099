import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AnyProtocol } from '@dsim/core';
import { families } from '@dsim/registry';
import { formatFlags, parseArgs, type FlagSpec } from '../args.ts';
import { UsageError } from '../errors.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { loadScenario } from '../load-scenario.ts';
import { loadProjectProtocols, protocolPathsFlag } from '../project-protocols.ts';
import { style } from '../style.ts';

export const listFlags: Record<string, FlagSpec> = {
  dir: { value: true, placeholder: 'folder', description: 'where to look for scenarios (default simulations/)' },
  protocol: {
    value: true,
    placeholder: 'module',
    description: "register the protocols a module exports (besides dsim.config's), e.g. ./src/ring.ts",
  },
  help: { short: 'h', description: 'show this help' },
};

export const listUsage = `dsim list [protocol] [options]

Lists the protocols dsim ships (with their invariants, workloads and bug switches), the seed
families 'dsim sweep --family' runs, and the scenario files under simulations/. Name a protocol to
see only its part.

${formatFlags(listFlags)}`;

export async function listCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, listFlags, 'list');
  if (flags.help) {
    console.log(listUsage);
    return EXIT_OK;
  }
  const { registry } = await loadProjectProtocols({
    cwd: process.cwd(),
    protocolPaths: protocolPathsFlag(flags.protocol),
  });
  const only = positional[0];
  if (positional.length > 1) throw new UsageError(`dsim list: name at most one protocol (got ${positional.join(' ')})`);
  if (only !== undefined && !Object.hasOwn(registry, only))
    throw new UsageError(`dsim list: no protocol '${only}'. Protocols: ${Object.keys(registry).join(', ')}`);
  const protocols = Object.entries(registry).filter(([name]) => !only || name === only);
  console.log(style.bold('Protocols'));
  for (const [name, protocol] of protocols) printProtocol(name, protocol);
  const familyEntries = Object.entries(families).filter(
    ([name, family]) => !only || name.startsWith(`${only}/`) || familyProtocols(family).includes(only),
  );
  if (familyEntries.length > 0) {
    console.log(style.bold('\nSeed families') + style.dim('  (dsim sweep --family <name> --seeds 1..1000)'));
    for (const [name, family] of familyEntries) {
      const options = Object.keys(family.options ?? {}).map((option) => `--${option}`);
      console.log(
        `  ${style.cyan(name)}  ${style.dim(`— ${family.description}${options.length ? ` (${options.join(' ')})` : ''}`)}`,
      );
    }
  }
  const dir = typeof flags.dir === 'string' ? flags.dir : 'simulations';
  if (!existsSync(dir)) {
    console.log(style.dim(`\n(no ${dir}/ folder here: run dsim from the repository root to list scenarios)`));
    return EXIT_OK;
  }
  console.log(style.bold('\nScenarios'));
  for (const file of findScenarioFiles(dir)) {
    let line = `  ${relative(process.cwd(), file)}`;
    try {
      const scenario = (await loadScenario(file)) as { protocol?: unknown; description?: unknown };
      const protocolName =
        typeof scenario.protocol === 'string'
          ? scenario.protocol
          : (scenario.protocol as AnyProtocol | undefined)?.name;
      if (only && protocolName !== only) continue;
      line += style.dim(
        `  ${protocolName ?? '?'}${typeof scenario.description === 'string' ? ` — ${scenario.description}` : ''}`,
      );
    } catch {
      if (only) continue;
      line += style.dim('  (not a scenario)');
    }
    console.log(line);
  }
  return EXIT_OK;
}

function printProtocol(name: string, protocol: AnyProtocol): void {
  console.log(
    `  ${style.cyan(style.bold(name))}${protocol.description ? style.dim(` — ${protocol.description}`) : ''}`,
  );
  const invariants = protocol.invariants ?? [];
  if (invariants.length)
    console.log(
      `    ${style.dim('invariants')}  ${invariants.map((invariant) => `${invariant.name} ${style.dim(`(${invariant.kind})`)}`).join(', ')}`,
    );
  const workloads = Object.keys(protocol.workloads ?? {});
  if (workloads.length) console.log(`    ${style.dim('workloads ')}  ${workloads.join(', ')}`);
  for (const [bug, info] of Object.entries(protocol.bugs ?? {}))
    console.log(`    ${style.dim('bug switch')}  ${style.red(bug)}: ${info.description}`);
}

/** The protocols a family's scenarios may use: the values of its 'protocol' option, if it has one. */
function familyProtocols(family: (typeof families)[string]): readonly string[] {
  const option = family.options?.protocol;
  return option && option.type === 'choice' ? option.values : [];
}

/** Scenario files under a folder, sorted: every `.ts` and `.json` file (simulations/ holds nothing else). */
export function findScenarioFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.json') || (entry.endsWith('.ts') && !entry.endsWith('.d.ts'))) found.push(path);
    }
  };
  walk(dir);
  return found;
}
