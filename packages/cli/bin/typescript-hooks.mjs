// Node module hooks that load TypeScript: esbuild strips the types, file by file, and Node's own
// resolver does the rest (dsim's sources import with explicit .ts extensions). Unlike tsx, this
// does not turn on esbuild's keepNames, which wraps every closure the program creates in an
// Object.defineProperty call: in hot simulation code that alone cost more than the simulation.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const TYPESCRIPT = /\.(?:ts|mts|cts)$/;
const SOURCE_CONDITION = '@dsim/source';

let fromSource = false;

export function initialize(data) {
  fromSource = data?.fromSource === true;
}

export function resolve(specifier, context, nextResolve) {
  if (!fromSource || context.conditions.includes(SOURCE_CONDITION)) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [SOURCE_CONDITION, ...context.conditions] });
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(new URL(url).pathname)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const { code } = await transform(source, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: path,
  });
  return { format: 'module', source: code, shortCircuit: true };
}
