import type { AnyProtocol } from '@dsim/core';

/**
 * A project's `dsim.config.ts` (or .js, .mjs, .json): the protocols its scenarios name. Each entry
 * is a protocol object, or the path of a module (relative to the config file) that exports one.
 * A record names each protocol; a list registers each under its own `name`.
 */
export interface DsimConfig {
  readonly protocols?: Readonly<Record<string, AnyProtocol | string>> | ReadonlyArray<AnyProtocol | string>;
}

/** Checks a config's shape in TypeScript: `export default defineConfig({ protocols: { ring } })`. */
export function defineConfig(config: DsimConfig): DsimConfig {
  return config;
}
