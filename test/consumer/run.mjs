#!/usr/bin/env node
// The consumer test: dsim as a user gets it. Packs every package of the workspace (each one
// builds itself as it is packed), installs the tarballs into a fresh project outside the
// workspace, and there (1) imports @dsim/core and a protocol from plain Node ESM, (2) type-checks
// a TypeScript file with the tsconfig `tsc --init` writes, (3) runs dsim run, sweep, check and
// view from the installed CLI, (4) runs a protocol defined in that project, named in a JSON
// scenario through its dsim.config.ts, also from the module `dsim view` serves the app, and (5) follows the README from `dsim init` to a passing
// property test of the starter's protocol.
//
// Usage: node test/consumer/run.mjs [--keep]   (--keep leaves the temporary folder for a look)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const workspace = resolve(import.meta.dirname, '../..');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'dsim-consumer-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
const isWindows = process.platform === 'win32';

let failed = false;
try {
  await main();
  console.log(`\n== consumer test passed (${work}${keep ? ', kept' : ''})`);
} catch (error) {
  failed = true;
  console.error(`\n== consumer test FAILED: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`   (the project is left at ${project} for a look)`);
} finally {
  if (!keep && !failed) rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

async function main() {
  step('build, then pack every package');
  // One build first: packing runs each package's prepack (its own incremental build) in parallel.
  run('npx', ['-y', 'pnpm@10', 'run', 'build'], { cwd: workspace, quiet: true });
  mkdirSync(tarballs, { recursive: true });
  run('npx', ['-y', 'pnpm@10', '--filter', './packages/**', '-r', 'pack', '--pack-destination', tarballs], {
    cwd: workspace,
    quiet: true,
  });
  const packed = readdirSync(tarballs).filter((name) => name.endsWith('.tgz'));
  const expected = workspacePackages();
  if (packed.length !== expected.length)
    throw new Error(`packed ${packed.length} tarballs for ${expected.length} packages: ${packed.join(', ')}`);
  console.log(`   ${packed.length} tarballs`);

  step('install the tarballs into a fresh project outside the workspace');
  cpSync(join(import.meta.dirname, 'project'), project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'dsim-consumer', private: true, type: 'module' }, null, 2) + '\n',
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...packed.map((name) => join(tarballs, name)),
      'typescript@~5.9.3',
    ],
    { cwd: project },
  );
  const dsim = join(project, 'node_modules', '.bin', isWindows ? 'dsim.cmd' : 'dsim');

  step('(1) plain Node ESM imports @dsim/core and @dsim/raft');
  expectOutput(
    run('node', ['plain.mjs'], { cwd: project }),
    /plain ESM: raft ran to \d+µs, \d+ events, hash [0-9a-f]{16}/,
  );

  step('(2) tsc --noEmit with the tsconfig `tsc --init` writes');
  const tsc = join(project, 'node_modules', '.bin', isWindows ? 'tsc.cmd' : 'tsc');
  run(tsc, ['--init'], { cwd: project, quiet: true });
  run(tsc, ['--noEmit', '-p', '.'], { cwd: project });
  console.log('   no type errors');

  step('(3) the installed CLI: dsim run, sweep, check, view');
  expectOutput(run(dsim, ['--version'], { cwd: project }), /^@dsim\/cli \d+\.\d+\.\d+/);
  const raftRun = run(dsim, ['run', 'raft.json', '--out', 'traces/raft.jsonl'], { cwd: project });
  expectOutput(raftRun, /hash\s+[0-9a-f]{16}/);
  expectOutput(
    run(dsim, ['run', 'raft.json', '--no-trace', '--check-determinism'], { cwd: project }),
    /determinism\s+✓/,
  );
  expectOutput(run(dsim, ['sweep', 'raft.json', '--seeds', '1..4', '--workers', '2'], { cwd: project }), /4 seeds/);
  expectOutput(run(dsim, ['check', 'history.edn', '--model', 'register'], { cwd: project }), /linearizable/i);
  await viewAndFetch(dsim, 'traces/raft.jsonl');

  step('(4) a protocol defined in this project, named by a JSON scenario through dsim.config.ts');
  const ringRun = run(dsim, ['run', 'ring.json', '--out', 'traces/ring.jsonl'], { cwd: project });
  expectOutput(ringRun, /protocol\s+ring/);
  const ringHash = /hash\s+([0-9a-f]{16})/.exec(ringRun)?.[1];
  if (!ringHash) throw new Error(`dsim run ring.json printed no hash:\n${ringRun}`);
  await viewAndFetch(dsim, 'traces/ring.jsonl', ringHash);
  expectOutput(run(dsim, ['sweep', 'ring.json', '--seeds', '1..3', '--workers', '2'], { cwd: project }), /3 seeds/);
  expectOutput(run(dsim, ['list', 'ring'], { cwd: project }), /one-token/);
  // A handler that throws: exit 3, with the stack at the TypeScript file's own line.
  const boom = spawnSync(dsim, ['run', 'boom.json', '--protocol', './boom.ts', '--no-trace'], {
    cwd: project,
    encoding: 'utf8',
    shell: isWindows,
  });
  if (boom.status !== 3) throw new Error(`a throwing handler: expected exit 3, got ${boom.status}\n${boom.stderr}`);
  expectOutput(boom.stderr, /protocol exception: .*boom on the third tick[\s\S]*boom\.ts:15:\d+/);
  console.log('   a throwing handler exits 3 with its stack at boom.ts:15');

  step('(5) the README: dsim from the tarballs, dsim init, npm install, npm test');
  const starter = join(work, 'starter');
  mkdirSync(starter);
  const install = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
  run('npm', [...install, ...packed.map((name) => join(tarballs, name))], { cwd: starter });
  run(join(starter, 'node_modules', '.bin', isWindows ? 'dsim.cmd' : 'dsim'), ['init'], { cwd: starter });
  run('npm', install, { cwd: starter });
  run('npm', ['test'], { cwd: starter });
  const starterDsim = join(starter, 'node_modules', '.bin', isWindows ? 'dsim.cmd' : 'dsim');
  const starterScenario = readdirSync(join(starter, 'scenarios')).find((name) => name.endsWith('.json'));
  if (!starterScenario) throw new Error('dsim init wrote no JSON scenario under scenarios/');
  expectOutput(run(starterDsim, ['run', join('scenarios', starterScenario)], { cwd: starter }), /hash\s+[0-9a-f]{16}/);
  run(join(starter, 'node_modules', '.bin', isWindows ? 'tsc.cmd' : 'tsc'), ['--noEmit', '-p', '.'], {
    cwd: starter,
  });
  console.log('   the starter type-checks, its property test passes and its scenario runs');
}

/**
 * Starts `dsim view`, fetches the page, an asset and the trace from it, and stops it. With the
 * hash of a run of the project's ring protocol, it also fetches the module the app's Run dialog
 * imports the project's protocols from, and runs ring.json with it to that same hash.
 */
async function viewAndFetch(dsim, trace, ringHash) {
  const child = spawn(dsim, ['view', trace, '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  try {
    const url = await new Promise((found, fail) => {
      const timer = setTimeout(() => fail(new Error(`dsim view printed no address:\n${output}`)), 60_000);
      const look = () => {
        const match = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output);
        if (match) {
          clearTimeout(timer);
          found(match[1]);
        }
      };
      child.stdout.on('data', look);
      void exited.then(() => fail(new Error(`dsim view exited early:\n${output}`)));
    });
    const page = await fetch(url);
    const html = await page.text();
    if (page.status !== 200 || !html.includes('<script'))
      throw new Error(`the page: HTTP ${page.status}\n${html.slice(0, 200)}`);
    const asset = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    if (!asset) throw new Error('the page names no script asset');
    const script = await fetch(new URL(asset, url));
    if (script.status !== 200) throw new Error(`${asset}: HTTP ${script.status}`);
    const served = await (await fetch(new URL('/trace.jsonl', url))).text();
    if (served !== readFileSync(join(project, trace), 'utf8'))
      throw new Error('the served trace differs from the file');
    console.log(`   dsim view served the app, ${asset} and the trace at ${new URL(url).origin}`);
    if (ringHash) await runServedProtocols(new URL('/dsim-project/protocols.js', url), ringHash);
  } finally {
    child.kill('SIGTERM');
    const { code } = await exited;
    if (code !== 0 && code !== null) throw new Error(`dsim view exited with ${code} on SIGTERM:\n${output}`);
  }
}

/** Imports the served protocol bundle as the browser would (one ES module) and runs ring.json with it. */
async function runServedProtocols(moduleUrl, ringHash) {
  const response = await fetch(moduleUrl);
  if (response.status !== 200) throw new Error(`${moduleUrl.pathname}: HTTP ${response.status}`);
  const file = join(work, 'served-protocols.mjs');
  writeFileSync(file, await response.text());
  const { protocols } = await import(pathToFileURL(file).href);
  if (!protocols?.ring) throw new Error(`${moduleUrl.pathname} has no ring protocol: ${Object.keys(protocols ?? {})}`);
  const core = await import(pathToFileURL(join(project, 'node_modules/@dsim/core/dist/index.js')).href);
  const scenario = JSON.parse(readFileSync(join(project, 'ring.json'), 'utf8'));
  const { hash } = core.runScenario(scenario, { registry: protocols }, { trace: 'hash' });
  if (hash !== ringHash) throw new Error(`the served ring protocol ran to hash ${hash}, dsim run to ${ringHash}`);
  console.log(`   dsim view served the project's ring protocol for the browser; it runs ring.json to ${hash}`);
}

function workspacePackages() {
  const found = [];
  for (const folder of ['packages', 'packages/protocols'])
    for (const entry of readdirSync(join(workspace, folder))) {
      const manifest = join(workspace, folder, entry, 'package.json');
      if (existsSync(manifest) && !JSON.parse(readFileSync(manifest, 'utf8')).private) found.push(entry);
    }
  return found;
}

function step(title) {
  console.log(`\n== ${title}`);
}

/** Runs a command to completion; throws with its output when it fails. */
function run(command, args, { cwd, quiet = false }) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    shell: isWindows,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0)
    throw new Error(
      `${[command, ...args].join(' ')} exited with ${result.status ?? result.signal} in ${cwd}:\n${output}`,
    );
  if (!quiet)
    console.log(
      output
        .trimEnd()
        .split('\n')
        .slice(-4)
        .map((line) => `   | ${line}`)
        .join('\n'),
    );
  return output;
}

function expectOutput(output, pattern) {
  if (!pattern.test(output)) throw new Error(`expected ${pattern} in:\n${output}`);
}
