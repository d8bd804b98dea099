import { closeSync, createReadStream, existsSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatFlags, parseArgs, type FlagSpec } from '../args.ts';
import { bundleProtocolsForBrowser, NO_PROJECT_PROTOCOLS, PROJECT_PROTOCOLS_PATH } from '../browser-protocols.ts';
import { UsageError } from '../errors.ts';
import { loadProjectProtocols, protocolPathsFlag } from '../project-protocols.ts';
import { EXIT_INTERNAL, EXIT_OK } from '../exit-codes.ts';
import { describeFileError } from '../file-errors.ts';

/**
 * An installed @dsim/cli carries the built app beside its code (dist/visualizer/, built when the
 * package is packed), so `dsim view` needs no Vite at run time.
 */
const SHIPPED = fileURLToPath(new URL('../visualizer/', import.meta.url));

/** The visualizer app in this workspace, and what its build depends on. */
const WORKSPACE = fileURLToPath(new URL('../../../../', import.meta.url));
const APP = join(WORKSPACE, 'apps', 'visualizer');
const DIST = join(APP, 'dist');
const SOURCES = [
  join(APP, 'src'),
  join(APP, 'index.html'),
  join(APP, 'vite.config.ts'),
  join(WORKSPACE, 'packages'),
  join(WORKSPACE, 'simulations'),
];

const DEFAULT_PORT = 4173;

/**
 * Sent with every response. The page shows untrusted traces: no inline or foreign script, no
 * framing by another site, no content-type sniffing, no referrer leaking the trace's address.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' http: https: data: blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Why a request is refused, if it is: only GET and HEAD, and only for this machine's loopback
 * names. The Host check defeats DNS rebinding, where a page on another site resolves its own name
 * to 127.0.0.1 and reads the served trace with the victim's browser.
 */
export function refuse(
  method: string | undefined,
  host: string | undefined,
  port: number,
): { status: number; message: string } | undefined {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, message: 'only GET and HEAD are served' };
  const allowed = ['127.0.0.1', 'localhost', '[::1]'].flatMap((name) => [name, `${name}:${port}`]);
  if (host === undefined || !allowed.includes(host.toLowerCase()))
    return { status: 421, message: 'this server answers only to 127.0.0.1, localhost and [::1]' };
  return undefined;
}
/** Where the trace is also served under its own file name, so the page's title names the real file. */
const TRACE_PATH = '/trace.jsonl';
const NAMED_TRACE_FOLDER = '/traces/';

export const viewFlags: Record<string, FlagSpec> = {
  port: {
    value: true,
    short: 'p',
    placeholder: 'n',
    description: `port to listen on (default ${DEFAULT_PORT}; a free port if it is taken)`,
  },
  protocol: {
    value: true,
    placeholder: 'module',
    description:
      "register the protocols a module exports (besides dsim.config's), for the Run dialog, e.g. ./src/ring.ts",
  },
  rebuild: {
    description: 'build the app even if apps/visualizer/dist is up to date (in the dsim workspace)',
  },
  help: { short: 'h', description: 'show this help' },
};

export const viewUsage = `dsim view <trace.jsonl> [options]

Serves the visualizer on 127.0.0.1 with the trace loaded, until Ctrl-C. The protocols of the
project's dsim.config (and --protocol modules) are bundled for the browser, so the Run dialog and
a fork can run them. Exit 2 for a trace that is missing or unreadable, or for bad options.

${formatFlags(viewFlags)}`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface ViewServer {
  /** The address with the trace loaded: http://127.0.0.1:4173/?trace=/traces/raft-figure8-seed8.jsonl */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `dsim view <trace>`: builds the visualizer if dist/ is missing or older than its sources, serves
 * it and the trace on 127.0.0.1, prints the address and serves until Ctrl-C. Exit 2 for a trace
 * that is missing or unreadable, or for bad options.
 */
export async function viewCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args, viewFlags, 'view');
  if (flags.help) {
    console.log(viewUsage);
    return EXIT_OK;
  }
  const port = flags.port === undefined ? DEFAULT_PORT : portFlag(flags.port);
  const rebuild = flags.rebuild === true;
  if (positional.length !== 1)
    throw new UsageError(
      `dsim view: give exactly one trace file${positional.length > 1 ? ` (got ${positional.length})` : ''}\n\n${viewUsage}`,
    );
  const trace = resolve(positional[0]!);
  const problem = checkReadable(trace, positional[0]!);
  if (problem) {
    throw new UsageError(`dsim view: ${problem}`);
  }
  try {
    if (shippedApp() === undefined && (rebuild || isStale())) {
      console.log('dsim view: building the visualizer (apps/visualizer/dist)…');
      await buildVisualizer();
    }
  } catch (error) {
    console.error(`dsim view: could not build the visualizer: ${(error as Error).message}`);
    return EXIT_INTERNAL;
  }
  const protocolsModule = await projectProtocolsModule(protocolPathsFlag(flags.protocol));
  const server = await startViewServer(trace, port, protocolsModule);
  if (server.port !== port && port !== 0) console.log(`dsim view: port ${port} is taken; using ${server.port}`);
  console.log(`dsim view: serving ${positional[0]} at\n\n  ${server.url}\n\nPress Ctrl-C to stop.`);
  await new Promise<void>((done) => {
    // When the process that started us (npx, a shell script) goes away, so do we: a server left
    // behind keeps the trace readable on the port.
    const parent = process.ppid;
    const orphaned = setInterval(() => {
      if (process.ppid !== parent) stop();
    }, 1000);
    orphaned.unref();
    const stop = () => {
      clearInterval(orphaned);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGHUP', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', stop);
  });
  await server.close();
  console.log('\ndsim view: stopped');
  return EXIT_OK;
}

/**
 * The project's protocols as one browser module for the app's Run dialog. A trace is worth
 * showing even when they cannot run in a browser, so a problem is a warning, not a refusal.
 */
async function projectProtocolsModule(protocolPaths: readonly string[]): Promise<string> {
  let bundled: { code: string } | { error: string };
  let own: readonly string[] = [];
  try {
    const project = await loadProjectProtocols({ cwd: process.cwd(), protocolPaths });
    own = project.own;
    bundled = await bundleProtocolsForBrowser(project.sources, process.cwd());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    bundled = { error: error.message };
  }
  if ('error' in bundled) {
    console.error(`dsim view: the Run dialog offers the built-in protocols only: ${bundled.error}`);
    return NO_PROJECT_PROTOCOLS;
  }
  if (own.length > 0) console.log(`dsim view: the Run dialog also runs this project's protocols: ${own.join(', ')}`);
  return bundled.code;
}

function portFlag(value: string | boolean): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) > 65535)
    throw new UsageError(
      `dsim view: --port needs a port number between 0 and 65535 (0 picks a free one), got '${String(value)}'`,
    );
  return Number(value);
}

export function checkReadable(path: string, shown: string): string | undefined {
  if (!existsSync(path)) return `trace file not found: ${shown}`;
  try {
    if (statSync(path).isDirectory())
      return `${shown} is a folder; give a trace file (.jsonl), e.g. traces/<scenario>-seed<n>.jsonl`;
    // Opening and reading one byte proves it readable; reading a 1 GB trace whole would only cost time and memory.
    const fd = openSync(path, 'r');
    try {
      readSync(fd, Buffer.alloc(1), 0, 1, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return describeFileError(error, 'read', shown);
  }
  if (statSync(path).size === 0) return `${shown} is empty: a dsim trace starts with a header line`;
  return undefined;
}

/** The app an installed CLI carries, if this is one. */
function shippedApp(): string | undefined {
  return existsSync(join(SHIPPED, 'index.html')) ? SHIPPED : undefined;
}

/** dist/ is stale when it is missing or any source the app bundles is newer than its index.html. */
export function isStale(): boolean {
  const built = join(DIST, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newer = (path: string): boolean => {
    if (!existsSync(path)) return false;
    const stat = statSync(path);
    if (!stat.isDirectory()) return /\.(ts|html|css|json)$/.test(path) && stat.mtimeMs > builtAt;
    for (const entry of readdirSync(path)) {
      if (
        entry === 'node_modules' ||
        entry === 'dist' ||
        entry === 'test' ||
        entry === 'test-results' ||
        entry.startsWith('.')
      )
        continue;
      if (newer(join(path, entry))) return true;
    }
    return false;
  };
  return SOURCES.some(newer);
}

/** Builds the app with Vite's JS API, resolved from the visualizer package (the CLI does not depend on Vite). */
export async function buildVisualizer(): Promise<void> {
  const require = createRequire(join(APP, 'package.json'));
  const vite = (await import(pathToFileURL(require.resolve('vite')).href)) as {
    build(config: { configFile: string; logLevel: string }): Promise<unknown>;
  };
  await vite.build({ configFile: join(APP, 'vite.config.ts'), logLevel: 'warn' });
}

/**
 * Serves the app (the one the CLI carries, or the workspace's apps/visualizer/dist) and the trace
 * (read fresh on every request) on 127.0.0.1; falls back to a free port.
 */
export async function startViewServer(
  trace: string,
  port = DEFAULT_PORT,
  projectProtocols = NO_PROJECT_PROTOCOLS,
): Promise<ViewServer> {
  const root = resolve(shippedApp() ?? DIST) + sep;
  const namedPath = NAMED_TRACE_FOLDER + basename(trace);
  let actualPort = port;
  const server: Server = createServer((request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const refusal = refuse(request.method, request.headers.host, actualPort);
    if (refusal) {
      response.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(refusal.message);
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('bad request: the path is not valid percent-encoded UTF-8');
      return;
    }
    if (path === TRACE_PATH || path === namedPath) {
      // The length tells the app the trace's size before it arrives: a small trace is then drawn
      // once, whole, without a first picture of its first part. The bytes sent are the ones the
      // length was taken from, even if the file grows meanwhile.
      let fd: number;
      try {
        fd = openSync(trace, 'r');
      } catch {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('the trace file is gone');
        return;
      }
      const size = fstatSync(fd).size;
      response.writeHead(200, {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': String(size),
      });
      if (size === 0) {
        closeSync(fd);
        response.end();
        return;
      }
      createReadStream(trace, { fd, start: 0, end: size - 1 })
        .on('error', () => response.end())
        .pipe(response);
      return;
    }
    if (path === PROJECT_PROTOCOLS_PATH) {
      response.writeHead(200, { 'content-type': TYPES['.js']!, 'cache-control': 'no-store' });
      response.end(projectProtocols);
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  const listen = (on: number) =>
    new Promise<number>((done, fail) => {
      const onError = (error: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        fail(error);
      };
      const onListening = () => {
        server.off('error', onError);
        done((server.address() as AddressInfo).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(on, '127.0.0.1');
    });
  let actual: number;
  try {
    actual = await listen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    actual = await listen(0);
  }
  actualPort = actual;
  return {
    url: `http://127.0.0.1:${actual}/?trace=${NAMED_TRACE_FOLDER}${encodeURIComponent(basename(trace))}`,
    port: actual,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
