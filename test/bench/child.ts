import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOADER = join(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/bin/register-typescript.mjs');

/**
 * Runs a TypeScript file in a fresh Node process, with dsim's loader and `nodeFlags`, and returns
 * what the last line of its output says as JSON. For measurements that must not share a process
 * with anything else: its heap, its JIT warm-up, or a heap limit of its own.
 */
export function runInFreshProcess<T>(file: string, args: readonly string[], nodeFlags: readonly string[] = []): T {
  const child = spawnSync(process.execPath, [...nodeFlags, '--import', LOADER, file, ...args], { encoding: 'utf8' });
  if (child.status !== 0)
    throw new Error(
      `node ${[...nodeFlags, file.split('/').pop(), ...args].join(' ')} failed (exit ${child.status}):\n${child.stderr}`,
    );
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as T;
}
