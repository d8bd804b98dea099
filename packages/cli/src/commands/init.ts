import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFlags, parseArgs, type FlagSpec } from '../args.ts';
import { UsageError } from '../errors.ts';
import { EXIT_OK } from '../exit-codes.ts';
import { style } from '../style.ts';

/** The starter project, shipped with the CLI (templates/ sits beside src/ and dist/). */
const STARTER = fileURLToPath(new URL('../../templates/starter/', import.meta.url));

/** Files npm would drop or rename when packing, kept under another name in the template. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

export const initFlags: Record<string, FlagSpec> = {
  name: { value: true, placeholder: 'name', description: "the package name (default: the folder's name)" },
  help: { short: 'h', description: 'show this help' },
};

export const initUsage = `dsim init [folder] [options]

Writes a starter project into a folder (default: the current one): a protocol skeleton
(src/protocol.ts), its property test (src/protocol.test.ts), a scenario (scenarios/), the
dsim.config.ts that names the protocol, a tsconfig.json and a package.json. It overwrites no
file; an existing package.json gains the scripts and dev dependencies it lacks. Then:
  npm install && npm test && npx dsim run scenarios/ring-partition.json

${formatFlags(initFlags)}`;

export async function initCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, initFlags, 'init');
  if (flags.help) {
    console.log(initUsage);
    return EXIT_OK;
  }
  if (positional.length > 1) throw new UsageError(`dsim init: give at most one folder (got ${positional.join(' ')})`);
  const target = resolve(positional[0] ?? '.');
  if (existsSync(target) && !statSync(target).isDirectory())
    throw new UsageError(`dsim init: ${positional[0]} is a file; give a folder (it is created if missing)`);
  mkdirSync(target, { recursive: true });
  const name = typeof flags.name === 'string' ? flags.name : packageName(basename(target));
  if (!/^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name))
    throw new UsageError(`dsim init: '${name}' is not a valid npm package name; give one with --name my-protocol`);

  const files = [...templateFiles(STARTER).map((file) => RENAMED[file] ?? file), 'package.json'];
  const clashes = files.filter((file) => file !== 'package.json' && existsSync(join(target, file)));
  if (clashes.length > 0)
    throw new UsageError(
      `dsim init: ${relative(process.cwd(), target) || '.'} already has ${clashes.join(', ')}; run it in an empty folder (nothing is overwritten)`,
    );
  const manifestPath = join(target, 'package.json');
  const manifest = existsSync(manifestPath)
    ? withStarter(readManifest(manifestPath), starterManifest(name))
    : starterManifest(name);

  for (const file of templateFiles(STARTER)) {
    const to = join(target, RENAMED[file] ?? file);
    mkdirSync(join(to, '..'), { recursive: true });
    cpSync(join(STARTER, file), to);
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

  const shown = positional[0] === undefined || resolve(positional[0]) === process.cwd() ? '' : positional[0];
  console.log(`${style.green('✓')} wrote a dsim project${shown ? ` in ${shown}` : ''}:`);
  for (const file of [...files].sort()) console.log(`  ${file}`);
  console.log(`
Next:
  ${shown ? `cd ${shown} && ` : ''}npm install
  npm test                                          # the property test: fast-check draws fault schedules
  npx dsim run scenarios/ring-partition.json        # one run: its shape, verdict and trace
  npx dsim view traces/ring-partition-seed1.jsonl   # the replay in the browser`);
  return EXIT_OK;
}

function readManifest(path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`dsim init: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`dsim init: ${path} must hold a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * An existing package.json with what the starter needs and it lacks: ES modules (the starter's
 * TypeScript is ESM), the test and sim scripts, the dev dependencies. Nothing it has is changed.
 */
function withStarter(existing: Record<string, unknown>, starter: Record<string, unknown>): Record<string, unknown> {
  if (existing.type !== undefined && existing.type !== 'module')
    throw new UsageError(
      `dsim init: package.json has "type": ${JSON.stringify(existing.type)}; the starter is ES modules: set "type": "module" or use an empty folder`,
    );
  const record = (value: unknown) =>
    typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
  const has = { ...record(existing.dependencies), ...record(existing.devDependencies) };
  const missing = Object.entries(record(starter.devDependencies)).filter(([dependency]) => !(dependency in has));
  return {
    ...existing,
    type: 'module',
    scripts: { ...record(starter.scripts), ...record(existing.scripts) },
    devDependencies: { ...record(existing.devDependencies), ...Object.fromEntries(missing) },
  };
}

/** Every file under the template folder, as paths relative to it. */
function templateFiles(folder: string, prefix = ''): string[] {
  return readdirSync(join(folder, prefix))
    .sort()
    .flatMap((entry) => {
      const path = join(prefix, entry);
      return statSync(join(folder, path)).isDirectory() ? templateFiles(folder, path) : [path];
    });
}

/** A folder name made into a package name: 'My Protocol' → 'my-protocol'. */
function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, '-')
    .replace(/^[-._]+|-+$/g, '');
  return name || 'my-protocol';
}

/** The starter's package.json: this CLI's version of every dsim package it uses. */
function starterManifest(name: string): Record<string, unknown> {
  const cli = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const dsim = `^${cli.version}`;
  return {
    name,
    version: '0.0.0',
    private: true,
    type: 'module',
    scripts: {
      test: 'vitest run',
      sim: 'dsim run scenarios/ring-partition.json',
    },
    devDependencies: {
      '@dsim/cli': dsim,
      '@dsim/core': dsim,
      '@dsim/property': dsim,
      typescript: '~5.9.3',
      vitest: '^4.1.0',
    },
  };
}
