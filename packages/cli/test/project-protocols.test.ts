import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCounterexample } from '@dsim/property';
import { firstDifference } from '../src/determinism.ts';
import { twoTokenRing } from './fixtures/two-token-ring.ts';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'packages/cli/bin/dsim.js');
/** The consumer test's own protocol: a token passed round a ring. */
const ringModule = join(root, 'test/consumer/project/ring.ts');
const twoTokenModule = join(root, 'packages/cli/test/fixtures/two-token-ring.ts');
const ringScenario = { name: 'ring', protocol: 'ring', nodes: 3, until: '50ms' };

const dsim = (cwd: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
};

/** A fresh project folder with the given files (objects are written as JSON). */
function project(files: Record<string, unknown>): string {
  const folder = mkdtempSync(join(tmpdir(), 'dsim-project-'));
  writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), { recursive: true });
    writeFileSync(join(folder, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return folder;
}

describe("a project's own protocols", () => {
  it('a JSON scenario names a protocol that dsim.config.json registers by module path', () => {
    const folder = project({ 'dsim.config.json': { protocols: { ring: ringModule } }, 'ring.json': ringScenario });
    const { code, out } = dsim(folder, 'run', 'ring.json', '--no-trace');
    expect(code).toBe(0);
    expect(out).toMatch(/^protocol\s+ring/m);
    expect(out).toMatch(/✓ every invariant held/);
  });

  it('dsim.config.ts registers protocol objects, and a config in a parent folder is found', () => {
    const folder = project({
      'dsim.config.ts': `import { ring } from ${JSON.stringify(ringModule)};\nexport default { protocols: [ring] };\n`,
      'scenarios/ring.json': ringScenario,
    });
    const { code, out } = dsim(join(folder, 'scenarios'), 'run', 'ring.json', '--no-trace');
    expect(code).toBe(0);
    expect(out).toMatch(/^protocol\s+ring/m);
  });

  it('--protocol registers a module without a config; sweeps load it in their workers', () => {
    const folder = project({ 'ring.json': ringScenario });
    const missing = dsim(folder, 'run', 'ring.json', '--no-trace');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/unknown protocol 'ring'/);
    const { code, out } = dsim(
      folder,
      'sweep',
      'ring.json',
      '--seeds',
      '1..3',
      '--workers',
      '2',
      '--protocol',
      ringModule,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/✓ every seed held every invariant/);
  });

  it('refuses a protocol that takes a built-in name, a module without a protocol, and two configs', () => {
    const clash = project({
      'dsim.config.ts': `import { ring } from ${JSON.stringify(ringModule)};\nexport default { protocols: { raft: ring } };\n`,
    });
    const clashed = dsim(clash, 'list');
    expect(clashed.code).toBe(2);
    expect(clashed.err).toMatch(
      /dsim\.config\.ts protocols\.raft: protocol 'raft' has the name of a built-in protocol/,
    );

    const empty = project({
      'dsim.config.json': { protocols: ['./nothing.ts'] },
      'nothing.ts': 'export const n = 1;\n',
    });
    const none = dsim(empty, 'list');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/protocols\[0\]: .*nothing\.ts exports no protocol; export one made with defineProtocol/);

    const two = project({ 'dsim.config.json': {}, 'dsim.config.js': 'export default {};\n' });
    const doubled = dsim(two, 'list');
    expect(doubled.code).toBe(2);
    expect(doubled.err).toMatch(/has 2 dsim config files \(dsim\.config\.js, dsim\.config\.json\); keep one/);

    const typo = project({ 'dsim.config.json': { protocol: { ring: ringModule } } });
    const mistyped = dsim(typo, 'list');
    expect(mistyped.code).toBe(2);
    expect(mistyped.err).toMatch(/unknown field 'protocol'; the config has 'protocols'/);
  });
});

describe('dsim run --check-determinism', () => {
  it('passes a deterministic scenario', () => {
    const { code, out } = dsim(root, 'run', 'simulations/heartbeat/clock-skew.ts', '--no-trace', '--check-determinism');
    expect(code).toBe(0);
    expect(out).toMatch(/determinism ✓ a second run of the seed wrote the same trace/);
  });

  it('names the first differing trace line when a protocol keeps state in a module variable', () => {
    const { code, out } = dsim(
      root,
      'run',
      'packages/cli/test/fixtures/module-state-protocol.ts',
      '--no-trace',
      '--check-determinism',
    );
    expect(code).toBe(1);
    expect(out).toMatch(/determinism ✗ a second run of the seed differs from trace line 3:/);
    expect(out).toMatch(/first run +\{"t":0,"k":"state","node":"n1","summary":\{"role":"node","start":0\}\}/);
    expect(out).toMatch(/second run +\{"t":0,"k":"state","node":"n1","summary":\{"role":"node","start":2\}\}/);
  });
});

describe('firstDifference', () => {
  it('is undefined for equal traces and names the first differing line otherwise', () => {
    expect(firstDifference('a\nb\n', 'a\nb\n')).toBeUndefined();
    expect(firstDifference('a\nb\nc\n', 'a\nx\nc\n')).toEqual({ line: 2, first: 'b', second: 'x' });
  });

  it('reports a trace that ends early as an undefined line', () => {
    expect(firstDifference('a\nb\n', 'a\n')).toEqual({ line: 2, first: 'b', second: undefined });
    expect(firstDifference('a\n', 'a\nb\n')).toEqual({ line: 2, first: undefined, second: 'b' });
  });
});

describe("the property runner's replay command", () => {
  it("replays a project protocol's counterexample where its dsim.config is", () => {
    const folder = project({ 'dsim.config.json': { protocols: [twoTokenModule] } });
    const report = findCounterexample({
      name: 'two-tokens',
      scenario: { name: 'two-tokens', protocol: 'two-token-ring', nodes: 3, until: '200ms' },
      registry: { 'two-token-ring': twoTokenRing },
      faults: { kinds: ['partition'], maxFaults: 1, healAt: '100ms' },
      numRuns: 5,
      outDir: join(folder, '.dsim/failures'),
    });
    if (!report.found) throw new Error('the broken ring passed its property');
    // The printed command is `npx dsim run <file>`, the file quoted for the shell when it needs it.
    const printed = /^npx dsim run '?([^']+)'?$/.exec(report.replayCommand);
    expect(printed, report.replayCommand).not.toBeNull();
    const file = printed![1];
    const { code, out } = dsim(folder, 'run', file!, '--no-trace');
    expect(code).toBe(1);
    expect(out).toMatch(/^protocol\s+two-token-ring/m);
    expect(out).toMatch(/violation\s+\[always\] one-token at \S+: two nodes hold the token/);
  });
});
