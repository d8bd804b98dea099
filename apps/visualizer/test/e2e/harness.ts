import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const APP_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Each test process builds into its own folder, so parallel test files never clobber each other (or dist/). */
export const DIST = join(tmpdir(), `dsim-visualizer-${process.pid}`);
export const RESULTS = join(APP_ROOT, 'test-results');
export const CHROMIUM = process.env.DSIM_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Whether the browser tests can run. Without Chromium they skip with a loud message, except on CI
 * (CI=true), where a missing browser is a failure: a green CI run must mean the app was tested.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `\n${'!'.repeat(78)}\n!! Chromium not found at ${CHROMIUM}: the visualizer's browser tests are SKIPPED.\n!! Install it (apt-get install -y chromium) or set DSIM_CHROMIUM to a Chromium binary.\n${'!'.repeat(78)}\n`;
  if (process.env.CI === 'true') throw new Error(`Chromium is required on CI but missing at ${CHROMIUM}`);
  console.warn(message);
  return false;
}

/** Builds the app into dist/ with Vite's JS API (once per process). */
let building: Promise<void> | undefined;
export function buildApp(): Promise<void> {
  building ??= (async () => {
    const { build } = await import('vite');
    await build({
      configFile: join(APP_ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: DIST, emptyOutDir: true },
    });
  })();
  return building;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticServer {
  readonly url: string;
  /**
   * Serves `text` at `path` (e.g. '/traces/demo.jsonl'), with its Content-Length as a static
   * file server sends it; `streamed` sends it without, as `dsim view` streams a trace file.
   */
  put(path: string, text: string, options?: { streamed?: boolean }): void;
  close(): Promise<void>;
}

/** A small static server on 127.0.0.1 for dist/ plus in-memory files (traces). */
export async function serve(root = DIST): Promise<StaticServer> {
  const files = new Map<string, { body: Buffer; streamed: boolean }>();
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const extra = files.get(path);
    if (extra !== undefined) {
      const type = TYPES[extname(path)] ?? 'text/plain; charset=utf-8';
      response.writeHead(
        200,
        extra.streamed ? { 'content-type': type } : { 'content-type': type, 'content-length': extra.body.length },
      );
      response.end(extra.body);
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(resolve(root)) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404);
      response.end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    put: (path, text, options = {}) => files.set(path, { body: Buffer.from(text), streamed: !!options.streamed }),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export function resultsDir(): string {
  mkdirSync(RESULTS, { recursive: true });
  return RESULTS;
}
