import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, parseArgs, type FlagSpec } from '../src/args.ts';
import { checkFlags } from '../src/commands/check.ts';
import { initFlags } from '../src/commands/init.ts';
import { listFlags } from '../src/commands/list.ts';
import { reportFlags } from '../src/commands/report.ts';
import { runFlags } from '../src/commands/run.ts';
import { sweepMergeFlags } from '../src/commands/sweep-merge.ts';
import { sweepFlags } from '../src/commands/sweep.ts';
import { viewFlags } from '../src/commands/view.ts';

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

const spec: Record<string, FlagSpec> = {
  seed: { value: true, short: 's', placeholder: 'n', description: 'the seed' },
  out: { value: true, placeholder: 'file', description: 'where to write' },
  json: { description: 'print JSON' },
  quiet: { short: 'q', description: 'print less' },
};

describe('parseArgs', () => {
  it('reads long, inline, short and grouped options, positionals and everything after --', () => {
    expect(parseArgs(['a.ts', '--seed', '7', '--out=x.jsonl', '-q', 'b', '--', '--json'], spec, 't')).toEqual({
      positional: ['a.ts', 'b', '--json'],
      flags: { seed: '7', out: 'x.jsonl', quiet: true },
    });
    expect(parseArgs(['-qs', '5', '-'], spec, 't')).toEqual({ positional: ['-'], flags: { quiet: true, seed: '5' } });
  });

  it('gives the same flags for --name value, --name=value and the short form, whatever the value', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((value) => !value.startsWith('-')),
        (value) => {
          const separate = parseArgs(['--seed', value], spec, 't');
          expect(parseArgs([`--seed=${value}`], spec, 't')).toEqual(separate);
          expect(parseArgs(['-s', value], spec, 't')).toEqual(separate);
          expect(separate.flags.seed).toBe(value);
        },
      ),
    );
  });

  it('names the flag, the closest known one and the fix in its errors', () => {
    expect(() => parseArgs(['--sede', '3'], spec, 'run')).toThrow(
      "dsim run: unknown option '--sede'. Did you mean '--seed'? Known options: --seed, --out, --json, --quiet",
    );
    expect(() => parseArgs(['--frobnicate'], spec, 'run')).toThrow(
      "dsim run: unknown option '--frobnicate'. Known options: --seed, --out, --json, --quiet",
    );
    expect(() => parseArgs(['-x'], spec, 'run')).toThrow("unknown option '-x'");
    expect(() => parseArgs(['--seed'], spec, 'run')).toThrow("option '--seed' needs a value: --seed <n>");
    expect(() => parseArgs(['--seed', '--json'], spec, 'run')).toThrow("option '--seed' needs a value");
    expect(() => parseArgs(['--json=yes'], spec, 'run')).toThrow("option '--json' takes no value");
    // A name on Object.prototype is not a flag.
    expect(() => parseArgs(['--constructor'], spec, 'run')).toThrow("unknown option '--constructor'");
  });

  it('suggests only a near name: a swapped pair or a letter or two off', () => {
    const names = ['seed', 'seeds', 'workers', 'check-determinism', 'out'];
    expect(closest('sede', names)).toBe('seed');
    expect(closest('wokrers', names)).toBe('workers');
    expect(closest('check-determinsim', names)).toBe('check-determinism');
    expect(closest('colour', names)).toBeUndefined();
    expect(closest('x', names)).toBeUndefined();
  });
});

describe('--help of every command', () => {
  const tables: Array<[string[], Record<string, FlagSpec>]> = [
    [['run'], runFlags],
    [['sweep'], sweepFlags],
    [['sweep', 'merge'], sweepMergeFlags],
    [['check'], checkFlags],
    [['view'], viewFlags],
    [['report'], reportFlags],
    [['init'], initFlags],
    [['list'], listFlags],
  ];

  it.each(tables)('dsim %s --help lists every option of its table and exits 0', (command, flags) => {
    const { code, out } = dsim(...command, '--help');
    expect(code).toBe(0);
    expect(out).toContain(`dsim ${command.join(' ')}`);
    for (const [name, flag] of Object.entries(flags)) {
      expect(out).toContain(`--${name}${flag.value ? ` <${flag.placeholder ?? 'value'}>` : ''}`);
      expect(out).toContain(flag.description);
    }
  });

  it('-h is --help', () => {
    expect(dsim('view', '-h')).toEqual(dsim('view', '--help'));
  });

  it('dsim help <command> is dsim <command> --help', () => {
    expect(dsim('help', 'view')).toEqual(dsim('view', '--help'));
  });

  it('every command refuses an unknown flag with exit 2, the suggestion and no stack', () => {
    for (const [command, flags] of tables)
      expect(() => parseArgs(['--hepl'], flags, command.join(' '))).toThrow(
        `dsim ${command.join(' ')}: unknown option '--hepl'. Did you mean '--help'?`,
      );
    for (const command of [['view'], ['sweep', 'merge']]) {
      const { code, err } = dsim(...command, '--hepl');
      expect(code).toBe(2);
      expect(err).toContain(`dsim ${command.join(' ')}: unknown option '--hepl'. Did you mean '--help'?`);
      expect(err).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(dsim('veiw')).toMatchObject({ code: 2, err: expect.stringContaining("Did you mean 'view'?") });
    expect(dsim('view', 'trace.jsonl', '--port', 'high')).toMatchObject({
      code: 2,
      err: expect.stringContaining("--port needs a port number between 0 and 65535 (0 picks a free one), got 'high'"),
    });
  });
});
