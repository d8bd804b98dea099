import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkShardSize, describeFileError, loadScenario, parseSeedRange, UsageError } from '../src/index.ts';

/**
 * Files and flags that used to end in a stack trace: each gets one line naming the path or flag
 * and the fix, and exit code 2 (bad input), never 3 (dsim broke).
 */
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
const temp = mkdtempSync(join(tmpdir(), 'dsim-hostile-'));
const scenario = { name: 'small', protocol: 'heartbeat', nodes: 3, until: '2s' };
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('files that cannot be read or written', () => {
  it('reads a JSON scenario that starts with a byte-order mark', async () => {
    const file = join(temp, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(scenario)}`);
    await expect(loadScenario(file)).resolves.toEqual(scenario);
  });

  it('names the file in the way when --out lies under a file (ENOTDIR)', () => {
    const file = join(temp, 'ok.json');
    writeFileSync(file, JSON.stringify(scenario));
    writeFileSync(join(temp, 'plain-file'), 'x');
    const { code, err } = dsim('run', file, '--out', join(temp, 'plain-file', 'trace.jsonl'));
    expect(code).toBe(2);
    expect(err).toContain(`${join(temp, 'plain-file')} is a file, not a folder`);
    noStack(err);
  });

  it.skipIf(!existsSync('/dev/full'))('says the disk is full (ENOSPC) and leaves the device a device', () => {
    const file = join(temp, 'ok.json');
    writeFileSync(file, JSON.stringify(scenario));
    const { code, err } = dsim('run', file, '--out', '/dev/full');
    expect(code).toBe(2);
    expect(err).toContain('cannot write the trace to /dev/full: no space left on the device');
    noStack(err);
    // Written in place, never renamed over.
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('explains permission errors (EACCES) with the path and the fix', async () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open 'x.json'"), { code: 'EACCES' });
    expect(describeFileError(denied, 'read', 'x.json')).toBe(
      'cannot read x.json: permission denied; check the file and its folders are readable (and writable for output) (EACCES)',
    );
    // Root reads any file, so the real refusal is only observable as another user.
    if (process.getuid?.() !== 0) {
      const file = join(temp, 'denied.json');
      writeFileSync(file, JSON.stringify(scenario));
      chmodSync(file, 0o000);
      await expect(loadScenario(file)).rejects.toThrow(/cannot read .*permission denied/);
    }
  });
});

describe('values a .ts scenario can hand over and JSON cannot', () => {
  const cases: Record<string, [source: string, message: RegExp]> = {
    cyclic: [
      `const options: any = {}; options.self = options;\nexport default { name: 'c', protocol: 'heartbeat', nodes: 3, until: '2s', workload: { name: 'w', options } };`,
      /workload\.options\.self: refers back to workload\.options: a cycle/,
    ],
    getter: [
      `export default { name: 'g', protocol: 'heartbeat', nodes: 3, get until(): string { throw new Error('boom'); } };`,
      /until: reading this value threw: boom/,
    ],
    deep: [
      `let v: any = 1; for (let i = 0; i < 100000; i++) v = { a: v };\nexport default { name: 'd', protocol: 'heartbeat', nodes: 3, until: '2s', config: v };`,
      /nests deeper than 64 levels/,
    ],
  };
  for (const [name, [source, message]] of Object.entries(cases))
    it(`refuses a ${name} value with its field, exit 2`, () => {
      const file = join(temp, `${name}.ts`);
      writeFileSync(file, source);
      const { code, err } = dsim('run', file, '--no-trace');
      expect(err).toMatch(message);
      expect(code).toBe(2);
      noStack(err);
    });
});

describe('flags with numbers out of range', () => {
  it('refuses seeds beyond a safe integer and a shard too large to list', () => {
    expect(() => parseSeedRange('1..99999999999999999999')).toThrow(/a seed is a whole number up to 9007199254740991/);
    expect(() => parseSeedRange('99999999999999999999')).toThrow(UsageError);
    expect(() => checkShardSize(parseSeedRange('1..10000000000'), { index: 1, count: 1 })).toThrow(
      /split it with --shard k\/10000 or more/,
    );
    expect(() => checkShardSize(parseSeedRange('1..10000000000'), { index: 1, count: 10_000 })).not.toThrow();
  });
});

describe('dsim view on files it cannot show', () => {
  it('checks a trace is readable from its first byte, so a 3 GB trace is not read whole first', async () => {
    const { checkReadable } = await import('../src/commands/view.ts');
    const big = join(temp, 'sparse.jsonl');
    writeFileSync(big, '');
    truncateSync(big, 3 * 1024 ** 3);
    // Reading it whole fails outright (Node reads at most 2 GB into one buffer): only a partial read passes.
    expect(checkReadable(big, 'sparse.jsonl')).toBeUndefined();
    const empty = join(temp, 'empty.jsonl');
    writeFileSync(empty, '');
    expect(checkReadable(empty, 'empty.jsonl')).toBe('empty.jsonl is empty: a dsim trace starts with a header line');
    const { code, err } = dsim('view', empty);
    expect(code).toBe(2);
    noStack(err);
  });
});
