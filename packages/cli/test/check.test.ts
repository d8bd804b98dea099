import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkCommand } from '../src/commands/check.ts';

const dir = mkdtempSync(join(tmpdir(), 'dsim-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const staleRead = `{:process 0, :type :invoke, :f :write, :value 1, :time 1000}
{:process 0, :type :ok, :f :write, :value 1, :time 2000}
{:process 0, :type :invoke, :f :write, :value 2, :time 3000}
{:process 0, :type :ok, :f :write, :value 2, :time 4000}
{:process 1, :type :invoke, :f :read, :value nil, :time 5000}
{:process 1, :type :ok, :f :read, :value 1, :time 6000}
`;

describe('dsim check', () => {
  it('exits 0 for a linearizable JSON history', async () => {
    const path = file(
      'ok.json',
      JSON.stringify([
        { process: 0, type: 'invoke', f: 'put', key: 'x', value: 'a', time: 0 },
        { process: 0, type: 'ok', f: 'put', key: 'x', time: 5 },
        { process: 1, type: 'invoke', f: 'get', key: 'x', time: 6 },
        { process: 1, type: 'ok', f: 'get', key: 'x', value: 'a', time: 9 },
      ]),
    );
    expect(await checkCommand([path, '--model', 'kv'])).toBe(0);
    expect(out.join('\n')).toMatch(/LINEARIZABLE/);
    expect(out.join('\n')).toMatch(/linearizable: 2 operations on 1 key/);
  });

  it('exits 1 for a stale read in EDN and prints the evidence', async () => {
    expect(await checkCommand([file('stale.edn', staleRead), '--model', 'register'])).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/NOT LINEARIZABLE/);
    expect(text).toMatch(/longest linearizable prefix: 2 operations/);
    expect(text).toMatch(/cannot be placed:\n\s+p1\s+read → 1/);
    expect(text).toMatch(/value after it: 2/);
  });

  it('prints JSON with --json', async () => {
    expect(await checkCommand([file('stale2.edn', staleRead), '-m', 'cas-register', '--json'])).toBe(1);
    const result = JSON.parse(out.join('\n'));
    expect(result.verdict).toBe('not-linearizable');
    expect(result.evidence.blocked).toMatchObject({ f: 'read', output: 1, process: 1 });
  });

  it('says unknown honestly and exits 1 when the budget runs out', async () => {
    const lines: string[] = [];
    for (let p = 0; p < 8; p++) lines.push(`{:process ${p}, :type :invoke, :f :write, :value ${p}}`);
    for (let p = 0; p < 8; p++) lines.push(`{:process ${p}, :type :ok, :f :write, :value ${p}}`);
    lines.push('{:process 9, :type :invoke, :f :read, :value nil}', '{:process 9, :type :ok, :f :read, :value 42}');
    expect(await checkCommand([file('big.edn', lines.join('\n')), '--model', 'register', '--max-steps', '20'])).toBe(1);
    expect(out.join('\n')).toMatch(/UNKNOWN/);
    expect(out.join('\n')).toMatch(/unknown: the search ran out of its budget of 20 steps/);
  });

  it('exits 2 with a clear message for bad usage and bad input', async () => {
    expect(await checkCommand([])).toBe(2);
    expect(err.join('\n')).toMatch(/give exactly one history file/);
    expect(await checkCommand([file('a.edn', staleRead)])).toBe(2);
    expect(err.join('\n')).toMatch(/--model register\|cas-register\|kv/);
    expect(await checkCommand([file('b.edn', staleRead), '--model', 'queue'])).toBe(2);
    expect(err.join('\n')).toMatch(/unknown model 'queue'/);
    expect(await checkCommand([join(dir, 'missing.edn'), '--model', 'register'])).toBe(2);
    expect(err.join('\n')).toMatch(/cannot read .*missing.edn': no such file/);
    expect(
      await checkCommand([
        file('bad.edn', '{:process 0, :type :invoke, :f :read}\n{:process 0 :type}'),
        '--model',
        'register',
      ]),
    ).toBe(2);
    expect(err.join('\n')).toMatch(/bad.edn: line 2, column 1: the map opened here has 3 forms/);
    expect(
      await checkCommand([
        file('cas.edn', '{:process 0, :type :invoke, :f :cas, :value [1 2]}'),
        '--model',
        'register',
      ]),
    ).toBe(2);
    expect(err.join('\n')).toMatch(/history entry 0 \(process 0\): the register model has no operation 'cas'/);
  });
});
