// Node module hooks that load TypeScript: esbuild strips the types, file by file, and Node's own
// resolver does the rest (dsim's sources import with explicit .ts extensions). Unlike tsx, this
// does not turn on esbuild's keepNames, which wraps every closure the program creates in an
// Object.defineProperty call: in hot simulation code that alone cost more than the simulation.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform, version as esbuildVersion } from 'esbuild';

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

// Every thread that loads TypeScript (the main thread and each sweep or check worker) has its own
// hooks and would strip the types of every file again: a sweep's workers share the stripped files
// through this cache instead. The key is the file's path and bytes, so an edit is a new entry.
const CACHE = join(tmpdir(), `dsim-typescript-${safeUser()}-esbuild-${esbuildVersion}`);

function safeUser() {
  try {
    return String(userInfo().uid);
  } catch {
    return 'user';
  }
}

// Part of the cache key, so a change of options is a new entry too.
const TRANSFORM_OPTIONS = { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline' };

// The hooks run on a thread of their own, so blocking file calls cost the program nothing, and they
// are several times cheaper than the promise API's open/stat/read/close round trips: a sweep
// worker loads a few hundred modules before its first seed.
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(new URL(url).pathname)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, 'utf8');
  const options = { ...TRANSFORM_OPTIONS, sourcefile: path };
  const key = createHash('sha256').update(JSON.stringify(options)).update('\0').update(source);
  const cached = join(CACHE, `${key.digest('hex')}.js`);
  const hit = readCached(cached);
  if (hit !== undefined) return { format: 'module', source: hit, shortCircuit: true };
  const { code } = await transform(source, options);
  // Written under a unique name and renamed into place, so a concurrent reader sees all or nothing;
  // a cache that cannot be written (a read-only tmp) only costs the next thread the transform.
  const temporary = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(temporary, code);
    renameSync(temporary, cached);
  } catch {
    // the next thread transforms the file again
  }
  return { format: 'module', source: code, shortCircuit: true };
}

function readCached(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
