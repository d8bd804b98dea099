import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard } from '../src/index.ts';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'packages/cli/bin/dsim.js');
const dsim = (args: string[], env: Record<string, string> = {}) => {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
};
const temp = mkdtempSync(join(tmpdir(), 'dsim-sweep-results-'));
const skew = 'simulations/heartbeat/clock-skew.ts';

interface Line {
  readonly seed: number;
  readonly hash: string;
  readonly verdict: string;
  readonly configDigest: string;
  readonly stats: { readonly events: number };
  readonly reproduce: string;
  readonly wallMillis: number;
  readonly [field: string]: unknown;
}
const read = (file: string) => {
  const [header, ...lines] = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { header: header!, lines: lines as unknown as Line[] };
};
/** A run's outcome without its wall time, the one field that differs between machines. */
const outcome = ({ wallMillis: _wallMillis, ...line }: Line) => line;
const bySeed = (lines: readonly Line[]) => [...lines].sort((a, b) => a.seed - b.seed).map(outcome);

// Fails every seed: the detector reads the sender's (skewed) clock.
const buggy = join(temp, 'sender-clock.json');
writeFileSync(
  buggy,
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

describe('dsim sweep --results', () => {
  it('writes a header and one line per seed with verdict, digest, hash and stats', () => {
    const file = join(temp, 'single.jsonl');
    const { code } = dsim(['sweep', skew, '--seeds', '1..6', '--workers', '2', '--results', file]);
    expect(code).toBe(0);
    const { header, lines } = read(file);
    expect(header).toMatchObject({
      format: 'dsim-sweep-results',
      version: 1,
      command: ['dsim', 'sweep', skew, '--seeds', '1..6', '--workers', '2', '--results', file],
      seeds: { first: 1, last: 6 },
      shard: { index: 1, count: 1 },
    });
    expect(header.scenarioDigest).toMatch(/^[0-9a-f]{16}$/);
    expect(header.codeVersion).toMatch(/^@dsim\/cli@\d+\.\d+\.\d+(\+[0-9a-f]{40})?$/);
    expect(bySeed(lines).map((line) => line.seed)).toEqual([1, 2, 3, 4, 5, 6]);
    // The configuration is the same for every seed of a scenario file; the runs are not.
    expect(new Set(lines.map((line) => line.configDigest)).size).toBe(1);
    expect(new Set(lines.map((line) => line.hash)).size).toBe(6);
    for (const line of lines) {
      expect(line).toMatchObject({ scenario: 'clock-skew', verdict: 'ok', violations: [] });
      expect(line.stats.events).toBe(line.events);
      expect(line.reproduce).toBe(`npx dsim run ${skew} --seed ${line.seed}`);
    }
    const replayed = dsim(['run', skew, '--seed', '5', '--no-trace']);
    expect(replayed.out).toContain(lines.find((line) => line.seed === 5)!.hash);
    expect(dsim(['sweep', skew, '--seeds', '2', '--results', file])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--results .* already exists; continue that sweep with --resume/),
    });
  });

  it('with --no-hashes writes the same verdicts, coverage and stats, without a hash', () => {
    const hashed = join(temp, 'hashed.jsonl');
    const plain = join(temp, 'no-hashes.jsonl');
    expect(dsim(['sweep', skew, '--seeds', '1..4', '--workers', '1', '--results', hashed]).code).toBe(0);
    expect(dsim(['sweep', skew, '--seeds', '1..4', '--workers', '1', '--results', plain, '--no-hashes']).code).toBe(0);
    const withHash = read(hashed).lines;
    const withoutHash = read(plain).lines;
    expect(withoutHash.every((line) => !('hash' in line))).toBe(true);
    expect(bySeed(withoutHash)).toEqual(bySeed(withHash).map(({ hash: _hash, ...line }) => line));
    expect(dsim(['sweep', skew, '--seeds', '2', '--hashes', '--no-hashes'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('give --hashes or --no-hashes, not both'),
    });
  });

  it('as shard processes with JOB_COMPLETION_INDEX, merges into the single-process sweep seed for seed', () => {
    const single = join(temp, 'single-for-merge.jsonl');
    expect(dsim(['sweep', skew, '--seeds', '1..7', '--workers', '1', '--results', single]).code).toBe(0);
    const shards = [0, 1, 2].map((index) => {
      const file = join(temp, `shard-${index}.jsonl`);
      const run = dsim(['sweep', skew, '--seeds', '1..7', '--workers', '1', '--shard', 'auto/3', '--results', file], {
        JOB_COMPLETION_INDEX: String(index),
      });
      expect(run.code).toBe(0);
      expect(run.out).toContain(`shard ${index + 1}/3`);
      return file;
    });
    const mergedFile = join(temp, 'merged.jsonl');
    const merged = dsim(['sweep', 'merge', ...shards, '--out', mergedFile]);
    expect(merged.code).toBe(0);
    expect(merged.out).toMatch(/1\.\.7 from 3 files/);
    expect(merged.out).toMatch(/7 seeds in .*\n✓ every seed held every invariant/);
    expect(bySeed(read(mergedFile).lines)).toEqual(bySeed(read(single).lines));
    expect(read(mergedFile).header.scenarioDigest).toBe(read(single).header.scenarioDigest);
  });

  it('merge prints every failing seed with its reproduce command, as the single-machine summary does', () => {
    const shards = [1, 2].map((index) => {
      const file = join(temp, `bug-${index}.jsonl`);
      expect(dsim(['sweep', buggy, '--seeds', '4', '--shard', `${index}/2`, '--results', file]).code).toBe(1);
      return file;
    });
    const single = dsim(['sweep', buggy, '--seeds', '4', '--workers', '1']);
    const merged = dsim(['sweep', 'merge', ...shards]);
    expect(merged.code).toBe(1);
    const summary = (text: string) =>
      text
        .slice(text.indexOf('invariant '))
        .split('\n')
        .filter((line) => !/ seeds in /.test(line));
    expect(summary(merged.out)).toEqual(summary(single.out));
    for (const seed of [1, 2, 3, 4]) expect(merged.out).toContain(`dsim run ${buggy} --seed ${seed}`);
  });

  it('merge refuses files of another sweep, names them, and catches nondeterminism and missing seeds', () => {
    const a = join(temp, 'm-a.jsonl');
    const b = join(temp, 'm-b.jsonl');
    const other = join(temp, 'm-other.jsonl');
    expect(dsim(['sweep', skew, '--seeds', '1..4', '--shard', '1/2', '--results', a]).code).toBe(0);
    expect(dsim(['sweep', skew, '--seeds', '1..4', '--shard', '2/2', '--results', b]).code).toBe(0);
    expect(dsim(['sweep', skew, '--seeds', '1..4', '--until', '200s', '--shard', '2/2', '--results', other]).code).toBe(
      0,
    );
    expect(dsim(['sweep', 'merge', a, other])).toMatchObject({
      code: 2,
      err: expect.stringContaining(`${other} belongs to another sweep: its scenarioDigest`),
    });
    const missing = dsim(['sweep', 'merge', a]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/✗ 2 seeds of 1\.\.4 are in no file: 2, 4/);
    expect(missing.out).toMatch(/✓ every finished seed held every invariant \(the sweep is incomplete\)/);
    // The same run twice with equal hashes counts once; with another hash it is nondeterminism.
    expect(dsim(['sweep', 'merge', a, b, a]).code).toBe(0);
    const forged = join(temp, 'm-forged.jsonl');
    const { header, lines } = read(a);
    writeFileSync(
      forged,
      [header, { ...lines[0]!, hash: '0000000000000000' }].map((line) => JSON.stringify(line)).join('\n') + '\n',
    );
    expect(dsim(['sweep', 'merge', a, forged])).toMatchObject({
      code: 2,
      err: expect.stringMatching(new RegExp(`nondeterminism: seed ${lines[0]!.seed} has trace hash .* in .*m-forged`)),
    });
    expect(dsim(['sweep', 'merge', buggy])).toMatchObject({
      code: 2,
      err: expect.stringContaining('is not a sweep results file'),
    });
  });
});

describe('dsim sweep --resume', () => {
  it('skips the runs a file holds, ignores a line cut short by a kill, and appends the rest', () => {
    const full = join(temp, 'resume-full.jsonl');
    expect(dsim(['sweep', skew, '--seeds', '1..5', '--workers', '1', '--results', full]).code).toBe(0);
    const cut = join(temp, 'resume-cut.jsonl');
    const rows = readFileSync(full, 'utf8').split('\n');
    // The header, two finished seeds, and half of a third: what a killed sweep leaves.
    writeFileSync(cut, `${rows.slice(0, 3).join('\n')}\n${rows[3]!.slice(0, 40)}`);
    const resumed = dsim(['sweep', skew, '--seeds', '1..5', '--workers', '1', '--resume', cut]);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/2 runs already in .*, 3 to go/);
    expect(resumed.out).toMatch(/^5 seeds in /m);
    expect(bySeed(read(cut).lines)).toEqual(bySeed(read(full).lines));
    expect(dsim(['sweep', skew, '--seeds', '1..6', '--resume', cut])).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /--resume .* was written by --seeds 1\.\.5 --shard 1\/1; give the same --seeds and --shard/,
      ),
    });
    expect(dsim(['sweep', skew, '--seeds', '1..5', '--until', '200s', '--resume', cut])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/belongs to another sweep: its scenarioDigest/),
    });
  });
});

describe('dsim sweep on Ctrl-C', () => {
  it('stops the workers, prints the summary of what finished and exits 130, keeping every finished seed on disk', async () => {
    const file = join(temp, 'interrupted.jsonl');
    const child = spawn(
      process.execPath,
      [bin, 'sweep', skew, '--seeds', '1..5000', '--workers', '2', '--results', file],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Interrupt once a few seeds are on disk.
    const finishedLines = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 2 : 0);
    while (finishedLines() < 3) await new Promise((done) => setTimeout(done, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const kept = read(file).lines;
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThan(5000);
    expect(out).toMatch(new RegExp(`interrupted: ${kept.length} of 5,000 runs finished; continue with --resume`));
    expect(out).toMatch(new RegExp(`^${kept.length} seeds in `, 'm'));
    expect(new Set(kept.map((line) => line.seed)).size).toBe(kept.length);
  });
});

describe('dsim sweep --shard auto/n', () => {
  it('takes the shard from JOB_COMPLETION_INDEX, 0-based, and explains what is missing', () => {
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 4 });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 4, count: 4 });
    expect(() => parseShard('auto/4', {})).toThrow(
      /JOB_COMPLETION_INDEX .* which is not set; set it or give --shard k\/n/,
    );
    expect(() => parseShard('auto/4', { JOB_COMPLETION_INDEX: '4' })).toThrow(/out of range/);
    expect(existsSync(bin)).toBe(true);
  });
});
