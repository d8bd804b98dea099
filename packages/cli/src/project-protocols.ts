import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyProtocol, ProtocolRegistry } from '@dsim/core';
import { registry as builtIn } from '@dsim/registry';
import type { DsimConfig } from './config.ts';
import { UsageError } from './errors.ts';

/** The names a project's dsim config may have, in the order they are looked for. */
export const CONFIG_FILES = [
  'dsim.config.ts',
  'dsim.config.mts',
  'dsim.config.js',
  'dsim.config.mjs',
  'dsim.config.json',
] as const;

/** Where a command's user protocols come from; plain data, so a worker thread can load them again. */
export interface ProtocolSources {
  /** The folder the config is searched from (the command's working directory). */
  readonly cwd: string;
  /** Modules given with --protocol, as typed. */
  readonly protocolPaths: readonly string[];
}

export interface ProjectProtocols {
  /** The built-in protocols and the project's, by the name scenarios use. */
  readonly registry: ProtocolRegistry;
  /** The project's own protocol names, in registration order. */
  readonly own: readonly string[];
  /** The config file that was read, if any. */
  readonly configFile?: string;
  /** Where each of the project's protocols is found, so `dsim view` can bundle them for the browser. */
  readonly sources: readonly ProtocolSource[];
}

/** A project protocol's module and the property path to it: `default.protocols.ring`, or `ring`. */
export interface ProtocolSource {
  readonly name: string;
  readonly file: string;
  readonly path: ReadonlyArray<string | number>;
}

/** Splits a --protocol flag's value (paths separated by commas) into paths. */
export function protocolPathsFlag(value: string | boolean | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string' || value === '')
    throw new UsageError('--protocol needs a module path, e.g. --protocol ./src/my-protocol.ts');
  return value
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
}

/**
 * The registry a command resolves scenarios against: every built-in protocol, the protocols of
 * the project's dsim config (found in `cwd` or the nearest folder above it that has one, up to the
 * project's root, the nearest folder with a package.json), and those of `--protocol` modules.
 */
export async function loadProjectProtocols(sources: ProtocolSources): Promise<ProjectProtocols> {
  const registry: Record<string, AnyProtocol> = { ...builtIn };
  const own: string[] = [];
  const found: ProtocolSource[] = [];
  const add = (name: string, protocol: AnyProtocol, origin: string, source: Omit<ProtocolSource, 'name'>) => {
    if (Object.hasOwn(builtIn, name))
      throw new UsageError(
        `${origin}: protocol '${name}' has the name of a built-in protocol; give it another name (built-in: ${Object.keys(builtIn).join(', ')})`,
      );
    const existing = registry[name];
    if (existing !== undefined && existing !== protocol)
      throw new UsageError(`${origin}: a different protocol named '${name}' is already registered; rename one of them`);
    if (existing === undefined) {
      own.push(name);
      found.push({ name, ...source });
    }
    registry[name] = protocol;
  };

  const configFile = findConfig(sources.cwd);
  if (configFile !== undefined) {
    const config = await readConfig(configFile);
    const folder = dirname(configFile);
    const shown = relative(sources.cwd, configFile) || configFile;
    const entries = Array.isArray(config.protocols)
      ? config.protocols.map((entry, index) => [undefined, entry, `protocols[${index}]`, index] as const)
      : Object.entries(config.protocols ?? {}).map(
          ([name, entry]) => [name, entry, `protocols.${name}`, name] as const,
        );
    for (const [name, entry, field, key] of entries) {
      const origin = `${shown} ${field}`;
      if (typeof entry === 'string') {
        const found = await protocolsOfModule(resolve(folder, entry), origin);
        if (name !== undefined && found.length !== 1)
          throw new UsageError(
            `${origin}: ${entry} exports ${found.length} protocols; name the module in a list instead ('protocols: ["${entry}"]') to register each under its own name`,
          );
        for (const { protocol, exportName } of found)
          add(name ?? protocol.name, protocol, origin, { file: resolve(folder, entry), path: [exportName] });
      } else if (isProtocol(entry))
        add(name ?? entry.name, entry, origin, { file: configFile, path: ['default', 'protocols', key] });
      else
        throw new UsageError(
          `${origin}: expected a protocol (an object from defineProtocol) or the path of a module that exports one`,
        );
    }
  }
  for (const path of sources.protocolPaths) {
    const origin = `--protocol ${path}`;
    const file = resolve(sources.cwd, path);
    for (const { protocol, exportName } of await protocolsOfModule(file, origin))
      add(protocol.name, protocol, origin, { file, path: [exportName] });
  }
  return { registry, own, sources: found, ...(configFile !== undefined ? { configFile } : {}) };
}

/** The nearest config file from `cwd` upwards, stopping at the first folder with a package.json. */
export function findConfig(cwd: string): string | undefined {
  for (let folder = resolve(cwd); ; folder = dirname(folder)) {
    const found = CONFIG_FILES.map((name) => join(folder, name)).filter((path) => existsSync(path));
    if (found.length > 1)
      throw new UsageError(
        `${folder} has ${found.length} dsim config files (${found.map((path) => relative(folder, path)).join(', ')}); keep one`,
      );
    if (found.length === 1) return found[0];
    if (existsSync(join(folder, 'package.json')) || dirname(folder) === folder) return undefined;
  }
}

async function readConfig(file: string): Promise<DsimConfig> {
  let value: unknown;
  if (file.endsWith('.json')) {
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  } else {
    const module = await importModule(file, file);
    value = module.default;
    if (value === undefined)
      throw new UsageError(`${file} has no default export; write 'export default { protocols: { … } }'`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${file}: the config must be an object such as { "protocols": { "ring": "./ring.ts" } }`);
  const unknown = Object.keys(value).filter((key) => key !== 'protocols' && key !== '$schema');
  if (unknown.length > 0)
    throw new UsageError(
      `${file}: unknown field ${unknown.map((key) => `'${key}'`).join(', ')}; the config has 'protocols'`,
    );
  const protocols = (value as { protocols?: unknown }).protocols;
  if (protocols !== undefined && (typeof protocols !== 'object' || protocols === null))
    throw new UsageError(`${file} protocols: expected a record of name → protocol or module path, or a list of them`);
  return value as DsimConfig;
}

/** The protocols a module exports: its default export if that is one, else every named export that is one. */
async function protocolsOfModule(
  path: string,
  origin: string,
): Promise<Array<{ protocol: AnyProtocol; exportName: string }>> {
  if (!existsSync(path)) throw new UsageError(`${origin}: module not found: ${path}`);
  const module = await importModule(path, origin);
  if (isProtocol(module.default)) return [{ protocol: module.default, exportName: 'default' }];
  const seen = new Set<AnyProtocol>();
  const found: Array<{ protocol: AnyProtocol; exportName: string }> = [];
  for (const [exportName, value] of Object.entries(module))
    if (isProtocol(value) && !seen.has(value)) {
      seen.add(value);
      found.push({ protocol: value, exportName });
    }
  if (found.length === 0)
    throw new UsageError(
      `${origin}: ${path} exports no protocol; export one made with defineProtocol (export default, or a named export)`,
    );
  return found;
}

async function importModule(path: string, origin: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${origin}: could not load ${path}: ${(error as Error).message}`);
  }
}

/** A protocol object: what defineProtocol returns (a name and the handlers every protocol has). */
function isProtocol(value: unknown): value is AnyProtocol {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof AnyProtocol, unknown>>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.init === 'function' &&
    typeof candidate.onMessage === 'function' &&
    typeof candidate.onTimer === 'function' &&
    typeof candidate.describeMessage === 'function'
  );
}
