import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashTrace } from '@dsim/core';
import { parseSeedRange, parseShard, shardSeeds } from '../src/index.ts';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'packages/cli/bin/dsim.js');
const dsim = (...args: string[]) => {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
};
const temp = mkdtempSync(join(tmpdir(), 'dsim-cli-'));

describe('dsim run', () => {
  it('prints the seed and config first, exits 0, and writes a trace whose hash it prints', () => {
    const trace = join(temp, 'demo.jsonl');
    const { code, out } = dsim('run', 'simulations/heartbeat/clock-skew.ts', '--seed', '3', '--out', trace);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[1]).toBe('seed       3');
    expect(lines.findIndex((line) => line.startsWith('config'))).toBeLessThan(
      lines.findIndex((line) => line.startsWith('result')),
    );
    expect(out).toMatch(/✓ every invariant held/);
    const hash = /hash\s+([0-9a-f]{16})/.exec(out)![1];
    const text = readFileSync(trace, 'utf8');
    expect(hashTrace(text)).toBe(hash);
    // The line count printed is the file's (state lines and the header included), not events + 1.
    const lineCount = text.split('\n').length - 1;
    expect(out).toContain(`${trace} (${lineCount.toLocaleString('en-US')} lines)`);
  });

  it('prints replay and view commands a shell runs as printed: npx dsim, paths quoted', () => {
    const folder = join(temp, "a folder's name");
    mkdirSync(folder, { recursive: true });
    const scenario = join(folder, 'demo.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'demo',
        protocol: 'heartbeat',
        nodes: 3,
        until: '5s',
        invariants: ['detects-crash-in-time'],
      }),
    );
    const trace = join(folder, 'demo trace.jsonl');
    const { code, out } = dsim('run', scenario, '--seed', '4', '--out', trace);
    expect(code).toBe(0);
    const quoted = (path: string) => `'${path.replaceAll("'", `'\\''`)}'`;
    expect(out).toContain(`replay: npx dsim run ${quoted(scenario)} --seed 4`);
    expect(out).toContain(`view:   npx dsim view ${quoted(trace)}`);
    // The shell reads the printed command back as the same arguments: the replay gives the same hash.
    const command = /replay: (.*)/.exec(out)![1]!;
    const replay = spawnSync('sh', ['-c', `${command} --no-trace`], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(replay.status, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(/hash\s+([0-9a-f]{16})/.exec(out)![1]);
  });

  it('never destroys what the user gave it: --out naming the scenario is refused, the file untouched', () => {
    const scenario = join(temp, 'keep.json');
    const text = JSON.stringify({ name: 'keep', protocol: 'heartbeat', nodes: 3, until: '10s' });
    writeFileSync(scenario, text);
    const { code, err } = dsim('run', scenario, '--out', scenario);
    expect(code).toBe(2);
    expect(err).toMatch(/is the scenario file itself/);
    expect(readFileSync(scenario, 'utf8')).toBe(text);
  });

  it('writes the trace under a temporary name and renames it: a failed write keeps the previous trace', () => {
    const trace = join(temp, 'previous.jsonl');
    writeFileSync(trace, 'the previous trace\n');
    // The parent of --out is a file: the write fails with a message, not a stack trace.
    const blocked = dsim('run', 'simulations/heartbeat/clock-skew.ts', '--out', join(trace, 'child.jsonl'));
    expect(blocked.code).toBe(2);
    expect(blocked.err).toMatch(/cannot write the trace to .*child\.jsonl/);
    expect(blocked.err).not.toMatch(/\n\s+at /);
    expect(readFileSync(trace, 'utf8')).toBe('the previous trace\n');
    expect(readdirSync(temp).filter((name) => name.includes('.partial-'))).toEqual([]);
    const ok = dsim('run', 'simulations/heartbeat/clock-skew.ts', '--out', trace);
    expect(ok.code).toBe(0);
    expect(readFileSync(trace, 'utf8')).toMatch(/^\{"format":"dsim-trace"/);
  });

  it('exits 1 on a violation and names it', () => {
    const scenario = join(temp, 'bug.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'restart-bug',
        protocol: 'heartbeat',
        nodes: 3,
        until: '90s',
        bugs: ['beatTimerNotRearmedOnRestart'],
        faults: [
          { at: '5s', fault: { type: 'crash', node: 'n2' } },
          { at: '10s', fault: { type: 'restart', node: 'n2' } },
        ],
        invariants: ['all-healthy-after-heal'],
      }),
    );
    const { code, out } = dsim('run', scenario, '--no-trace');
    expect(code).toBe(1);
    expect(out).toMatch(/✗ 1 violation: all-healthy-after-heal/);
  });

  it('exits 3 with the stack when a protocol handler throws (not 1: no invariant was violated)', () => {
    const scenario = join(temp, 'throws.ts');
    writeFileSync(
      scenario,
      `const protocol = {
  name: 'thrower',
  defaults: {},
  timers: ['tick'],
  init: (ctx) => { ctx.setTimer('tick', 1000); return {}; },
  onMessage: () => {},
  onTimer: function throwingHandler() { throw new Error('the handler broke'); },
  summarize: () => ({}),
  describeMessage: () => '',
};
export default { name: 'throws', protocol, nodes: 2, until: '10s' };
`,
    );
    for (const extra of [[], ['--expect-violation'], ['--quiet']]) {
      const { code, err } = dsim('run', scenario, '--no-trace', ...extra);
      expect(code, extra.join(' ')).toBe(3);
      expect(err).toMatch(/protocol exception: n\d: the handler broke/);
      // The stack names the user's handler and its line in the .ts file (source-mapped).
      expect(err).toMatch(/at .*throwingHandler.*throws\.ts:7:/);
    }
  });

  it('documents every exit code in --help, each distinct', async () => {
    const { exitCodeTable } = await import('../src/exit-codes.ts');
    const codes = exitCodeTable.map(([code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual([0, 1, 2, 3, 4, 130]);
    const { code, out } = dsim('--help');
    expect(code).toBe(0);
    for (const [exit, meaning] of exitCodeTable) expect(out).toContain(`${String(exit).padEnd(5)}${meaning}`);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Command line'),
      readme.indexOf('\n## ', readme.indexOf('## Command line') + 3),
    );
    for (const exit of codes) expect(section).toMatch(new RegExp(`\\| ${exit} +\\|`));
  });

  it('exits 2 with the field and the fix for bad input', () => {
    const scenario = join(temp, 'bad.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'bad',
        protocol: 'heartbeat',
        nodes: 3,
        until: '10s',
        faults: [{ at: '1s', fault: { type: 'isolate', node: 'n7' } }],
      }),
    );
    const bad = dsim('run', scenario);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/faults\[0\]\.fault\.node: unknown node the string 'n7' \(nodes are n1, n2, n3\)/);
    expect(bad.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    const broken = join(temp, 'broken.json');
    writeFileSync(broken, '{"name": "x",\n "nodes": 3,,\n}');
    expect(dsim('run', broken).err).toMatch(/not valid JSON: .* at line 2, column \d+/);
    expect(dsim('run', 'missing.ts').err).toMatch(/scenario file not found: missing\.ts/);
    expect(dsim('run', 'simulations/heartbeat/clock-skew.ts', '--sede', '3')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown option '--sede'/),
    });
    expect(dsim('frobnicate').code).toBe(2);
  });
});

describe('dsim sweep', () => {
  it('runs seeds on workers, agrees with single runs, and exits 0 when all hold', () => {
    const out = join(temp, 'sweep.jsonl');
    const { code, out: text } = dsim(
      'sweep',
      'simulations/heartbeat/clock-skew.ts',
      '--seeds',
      '1..6',
      '--workers',
      '2',
      '--hashes',
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(text).toMatch(/✓ every seed held every invariant/);
    const results = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seed: number; hash: string });
    expect(results.map((result) => result.seed)).toEqual([1, 2, 3, 4, 5, 6]);
    const single = dsim('run', 'simulations/heartbeat/clock-skew.ts', '--seed', '4', '--no-trace');
    expect(single.out).toContain(results[3]!.hash);
  });

  it('lists failing seeds with the command that reproduces each, and exits 1', () => {
    const scenario = join(temp, 'sweep-bug.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'sender-clock',
        protocol: 'heartbeat',
        nodes: 3,
        until: '80s',
        bugs: ['checkUsesSenderClock'],
        clocks: { n3: { offset: '60s' } },
        faults: [{ at: '5s', fault: { type: 'crash', node: 'n3' } }],
        invariants: ['detects-crash-in-time'],
      }),
    );
    const { code, out } = dsim('sweep', scenario, '--seeds', '3', '--workers', '1');
    expect(code).toBe(1);
    expect(out).toMatch(/✗ 3 of 3 seeds failed/);
    expect(out).toContain(`npx dsim run ${scenario} --seed 2`);
  });

  it('parses seed ranges and shards, interleaving seeds fairly', () => {
    expect(parseSeedRange('5..9')).toEqual({ first: 5, last: 9 });
    expect(parseSeedRange('3')).toEqual({ first: 1, last: 3 });
    expect(() => parseSeedRange('9..5')).toThrow(/empty/);
    expect(() => parseShard('4/3')).toThrow(/out of range/);
    const range = { first: 1, last: 10 };
    const shards = [1, 2, 3].map((index) => shardSeeds(range, { index, count: 3 }));
    expect(shards).toEqual([
      [1, 4, 7, 10],
      [2, 5, 8],
      [3, 6, 9],
    ]);
  });
});

describe('dsim sweep --family and dsim run --family', () => {
  it('prints for every failing seed a command that reproduces its run exactly, and the family measurements', () => {
    const out = join(temp, 'family.jsonl');
    const sweep = dsim(
      'sweep',
      '--family',
      'commit/transfers',
      '--bug',
      'participantCommitsOnTimeout',
      '--seeds',
      '1..3',
      '--workers',
      '2',
      '--hashes',
      '--out',
      out,
    );
    expect(sweep.code).toBe(1);
    expect(sweep.out).toMatch(/^transfers: \d+ invoked, \d+ committed/m);
    expect(sweep.out).toMatch(/^blocking: \d+\/3 runs had a blocked participant/m);
    const results = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seed: number; ok: boolean; hash: string; family: string });
    expect(results.map((result) => [result.seed, result.family])).toEqual([
      [1, 'commit/transfers'],
      [2, 'commit/transfers'],
      [3, 'commit/transfers'],
    ]);
    const commands = sweep.out.split('\n').filter((line) => line.trim().startsWith('npx dsim run --family'));
    const failing = results.filter((result) => !result.ok);
    expect(failing.length).toBeGreaterThan(0);
    expect(commands).toHaveLength(failing.length);
    for (const [index, command] of commands.entries()) {
      expect(command.trim()).toBe(
        `npx dsim run --family commit/transfers --seed ${failing[index]!.seed} --bug participantCommitsOnTimeout`,
      );
      const replay = dsim(...command.trim().split(' ').slice(2), '--no-trace');
      expect(replay.code).toBe(1);
      expect(replay.out).toContain(failing[index]!.hash);
      expect(replay.out).toMatch(/^transfers: \d+ invoked/m);
    }
  });

  it('runs every seed once per value of a comma-separated option, and names the value in the reproduce command', () => {
    const out = join(temp, 'axis.jsonl');
    const sweep = dsim(
      'sweep',
      '--family',
      'raft/aggressive',
      '--nodes',
      '3,5',
      '--seeds',
      '4..4',
      '--workers',
      '1',
      '--hashes',
      '--out',
      out,
    );
    expect(sweep.code).toBe(0);
    expect(sweep.out).toMatch(/4\.\.4 × 2 option sets: 2 runs/);
    const results = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { hash: string; options: { nodes: number } });
    expect(results.map((result) => result.options.nodes)).toEqual([3, 5]);
    const single = dsim('run', '--family', 'raft/aggressive', '--seed', '4', '--nodes', '3', '--no-trace');
    expect(single.code).toBe(0);
    expect(single.out).toContain(results[0]!.hash);
    expect(single.out).toContain('replay: npx dsim run --family raft/aggressive --seed 4 --nodes 3');
  });

  it('rejects an unknown family, a bad option value and a list where one value is needed, naming the fix', () => {
    expect(dsim('sweep', '--family', 'raft/gentle')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/no seed family 'raft\/gentle'. Families: raft\/aggressive/),
    });
    expect(dsim('sweep', '--family', 'commit/transfers', '--protocol', '4pc')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--protocol must be one of 2pc, 3pc, got '4pc'/),
    });
    expect(dsim('run', '--family', 'raft/aggressive', '--nodes', '5,7')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--nodes takes one value/),
    });
    expect(dsim('sweep', '--family', 'raft/aggressive', '--colour', 'red')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown option '--colour'.*--nodes/),
    });
  });
});

describe('dsim list', () => {
  it('lists protocols with their bug switches and the scenario files', () => {
    const { code, out } = dsim('list');
    expect(code).toBe(0);
    expect(out).toMatch(/heartbeat/);
    expect(out).toMatch(/bug switch\s+checkUsesSenderClock/);
    expect(out).toMatch(/simulations\/heartbeat\/clock-skew\.ts/);
    expect(out).toMatch(/raft\/aggressive\s+—/);
  });

  it('exits 2 naming the known protocols for a protocol it does not know', () => {
    const { code, out, err } = dsim('list', 'nope');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/no protocol 'nope'\. Protocols: .*heartbeat.*raft/);
  });
});

describe('Ctrl-C', () => {
  it('ends a long sweep with exit code 130', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'sweep', 'simulations/heartbeat/clock-skew.ts', '--seeds', '1..1000000', '--workers', '1'],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    // Interrupt once the sweep has said it started (its title line), so the signal meets a running sweep.
    child.stdout.once('data', () => child.kill('SIGINT'));
    const code = await new Promise<number | null>((done) => child.on('exit', (exit) => done(exit)));
    expect(code).toBe(130);
  });
});

describe('dsim --version', () => {
  it("prints the CLI package's version, as --version, -v and version", () => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8'));
    for (const flag of ['--version', '-v', 'version']) {
      const { code, out } = dsim(flag);
      expect(code, flag).toBe(0);
      expect(out, flag).toBe(`@dsim/cli ${manifest.version}\n`);
    }
  });
});

describe('dsim run --expect-violation', () => {
  it('inverts the verdict for scenarios that demonstrate a bug', () => {
    expect(dsim('run', 'simulations/heartbeat/sender-clock-bug.ts', '--no-trace', '--expect-violation').code).toBe(0);
    expect(dsim('run', 'simulations/heartbeat/crash-detection.ts', '--no-trace', '--expect-violation').code).toBe(1);
  });
});
