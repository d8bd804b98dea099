// Node module hooks that load TypeScript: esbuild strips the types, file by file, and Node's own
// resolver does the rest (dsim's sources import with explicit .ts extensions). Unlike tsx, this
// does not turn on esbuild's keepNames, which wraps every closure the program creates in an
// Object.defineProperty call: in hot simulation code that alone cost more than the simulation.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const TYPESCRIPT = /\.(?:ts|mts|cts)$/;
const SOURCE_CONDITION = '@dsim/source';
const RELATIVE_JS = /^\.{1,2}\/.*\.[mc]?js$/;

let fromSource = false;

export function initialize(data) {
  fromSource = data?.fromSource === true;
}

export async function resolve(specifier, context, nextResolve) {
  const withSource =
    fromSource && !context.conditions.includes(SOURCE_CONDITION)
      ? { ...context, conditions: [SOURCE_CONDITION, ...context.conditions] }
      : context;
  try {
    return await nextResolve(specifier, withSource);
  } catch (error) {
    // TypeScript's NodeNext resolution has a .ts file import its neighbour `./ring.ts` as
    // './ring.js' (the name it will have once compiled): find the TypeScript file instead.
    const parent = context.parentURL;
    if (
      error?.code !== 'ERR_MODULE_NOT_FOUND' ||
      !RELATIVE_JS.test(specifier) ||
      parent === undefined ||
      !parent.startsWith('file:') ||
      !TYPESCRIPT.test(new URL(parent).pathname)
    )
      throw error;
    return nextResolve(specifier.replace(/js$/, 'ts'), withSource);
  }
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
