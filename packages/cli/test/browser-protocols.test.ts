import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario, type AnyProtocol } from '@dsim/core';
import {
  browserEntry,
  bundleProtocolsForBrowser,
  NO_PROJECT_PROTOCOLS,
  PROJECT_PROTOCOLS_PATH,
} from '../src/browser-protocols.ts';
import { startViewServer } from '../src/commands/view.ts';
import { loadProjectProtocols } from '../src/project-protocols.ts';

const root = resolve(import.meta.dirname, '../../..');
/** The consumer test's own protocol: a token passed round a ring. */
const ringModule = join(root, 'test/consumer/project/ring.ts');
const ringScenario = {
  name: 'ring',
  protocol: 'ring',
  nodes: 4,
  until: '2s',
  faults: [{ at: '500ms', fault: { type: 'pause', node: 'n2' } }],
};

function project(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'dsim-browser-protocols-'));
  writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), content);
  }
  return folder;
}

/** Imports a bundle as the browser would: one self-contained ES module. */
async function importBundle(code: string): Promise<Record<string, AnyProtocol>> {
  const file = join(mkdtempSync(join(tmpdir(), 'dsim-bundle-')), 'protocols.mjs');
  writeFileSync(file, code);
  return ((await import(pathToFileURL(file).href)) as { protocols: Record<string, AnyProtocol> }).protocols;
}

describe("dsim view bundles the project's protocols for the browser", () => {
  it('reads each protocol from its module by the path the config names it at', () => {
    expect(
      browserEntry([
        { name: 'ring', file: '/p/dsim.config.ts', path: ['default', 'protocols', 'ring'] },
        { name: 'echo', file: '/p/echo.ts', path: ['echo'] },
        { name: 'relay', file: '/p/dsim.config.ts', path: ['default', 'protocols', 1] },
      ]),
    ).toBe(
      [
        'import * as m0 from "/p/dsim.config.ts";',
        'import * as m1 from "/p/echo.ts";',
        'export const protocols = {',
        '  "ring": m0["default"]["protocols"]["ring"],',
        '  "echo": m1["echo"],',
        '  "relay": m0["default"]["protocols"][1],',
        '};',
        '',
      ].join('\n'),
    );
  });

  it('gives a self-contained module whose protocols run to the same trace hash as the CLI', async () => {
    const folder = project({
      'dsim.config.ts': `import { ring } from ${JSON.stringify(ringModule)};\nexport default { protocols: { ring } };\n`,
    });
    const project_ = await loadProjectProtocols({ cwd: folder, protocolPaths: [] });
    expect(project_.own).toEqual(['ring']);
    const bundled = await bundleProtocolsForBrowser(project_.sources, folder);
    if (!('code' in bundled)) throw new Error(bundled.error);
    // Self-contained: @dsim/core is inside, nothing is left for the browser to resolve.
    expect(bundled.code).not.toMatch(/^import .* from ["']@dsim/m);
    const inBrowser = await importBundle(bundled.code);
    expect(Object.keys(inBrowser)).toEqual(['ring']);
    const cli = runScenario(ringScenario, { registry: project_.registry }, { trace: 'memory' });
    const browser = runScenario(ringScenario, { registry: inBrowser }, { trace: 'memory' });
    expect(cli.stats.events).toBeGreaterThan(10);
    expect(browser.hash).toBe(cli.hash);
  });

  it('names the import when a protocol cannot run in a browser', async () => {
    const folder = project({
      'reads-disk.ts': `import { readFileSync } from 'node:fs';\nimport { ring } from ${JSON.stringify(ringModule)};\nexport const disk = readFileSync;\nexport { ring };\n`,
    });
    const bundled = await bundleProtocolsForBrowser(
      [{ name: 'ring', file: join(folder, 'reads-disk.ts'), path: ['ring'] }],
      folder,
    );
    expect(bundled).toEqual({ error: expect.stringMatching(/reads-disk\.ts:1: .*node:fs/) });
  });

  it('serves the bundle where the app imports it, and an empty registry without a project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-view-protocols-'));
    const trace = join(dir, 'trace.jsonl');
    writeFileSync(trace, '{"format":"dsim-trace"}\n');
    const module = 'export const protocols = { ring: {} };\n';
    for (const [served, expected] of [
      [await startViewServer(trace, 0, module), module],
      [await startViewServer(trace, 0), NO_PROJECT_PROTOCOLS],
    ] as const) {
      try {
        const response = await fetch(`http://127.0.0.1:${served.port}${PROJECT_PROTOCOLS_PATH}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
        expect(await response.text()).toBe(expected);
      } finally {
        await served.close();
      }
    }
  });
});
