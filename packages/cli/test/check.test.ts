import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('says unknown honestly and exits 4 (not 1: nothing was found) when the budget runs out', async () => {
    const lines: string[] = [];
    for (let p = 0; p < 8; p++) lines.push(`{:process ${p}, :type :invoke, :f :write, :value ${p}}`);
    for (let p = 0; p < 8; p++) lines.push(`{:process ${p}, :type :ok, :f :write, :value ${p}}`);
    lines.push('{:process 9, :type :invoke, :f :read, :value nil}', '{:process 9, :type :ok, :f :read, :value 42}');
    // --search-only: the writes' values are distinct, and the unique-writes check would decide at once.
    const big = file('big.edn', lines.join('\n'));
    expect(await checkCommand([big, '--model', 'register', '--max-steps', '20', '--search-only'])).toBe(4);
    expect(out.join('\n')).toMatch(/UNKNOWN/);
    expect(out.join('\n')).toMatch(/unknown: the search ran out of its budget of 20 steps/);
    out = [];
    expect(await checkCommand([big, '--model', 'register', '--budget', '20', '--search-only'])).toBe(4);
    expect(out.join('\n')).toMatch(/budget of 20 steps/);
    out = [];
    expect(await checkCommand([big, '--model', 'register', '--budget', '20'])).toBe(1);
    expect(out.join('\n')).toMatch(/NOT LINEARIZABLE/);
    expect(out.join('\n')).toMatch(/found by the unique-writes check/);
    expect(out.join('\n')).toMatch(/conflict: it reads 42, never written/);
  });

  it('exits 2 with a clear message for bad usage and bad input', async () => {
    expect(await checkCommand([])).toBe(2);
    expect(err.join('\n')).toMatch(/give exactly one history file/);
    expect(await checkCommand([file('a.edn', staleRead)])).toBe(2);
    expect(err.join('\n')).toMatch(/--model register\|cas-register\|kv/);
    expect(await checkCommand([file('b.edn', staleRead), '--model', 'stack'])).toBe(2);
    expect(err.join('\n')).toMatch(/unknown model 'stack' \(models: register, cas-register, kv, set, queue\)/);
    expect(await checkCommand([file('b2.edn', staleRead), '--model', 'register', '--budget', 'soon'])).toBe(2);
    expect(err.join('\n')).toMatch(/--budget takes a time \(30s, 2m, 500ms\), a number of search steps/);
    expect(await checkCommand([file('b3.edn', staleRead), '--model', 'kv', '--absent-value', 'nothing'])).toBe(2);
    expect(err.join('\n')).toMatch(/--absent-value must be null or ''/);
    expect(await checkCommand([file('b4.edn', staleRead), '--model', 'kv', '--failed-cas', 'ignore'])).toBe(2);
    expect(err.join('\n')).toMatch(/--failed-cas must be 'constraint' or 'drop'/);
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
    expect(err.join('\n')).toMatch(
      /cas.edn: line 1: history entry 0 \(process 0\): the register model has no operation 'cas'/,
    );
  });

  it('stops at a time budget with an unknown verdict that says so', async () => {
    // Sixteen concurrent writes, eight of 0 and eight of 1, and eighteen reads in a row that see
    // 0, 1, 0, 1, ...: nine changes of value each way, one more than there are writes. The search
    // must try the subsets of writes (millions of steps) before it can say no; a budget of 0 ms
    // stops it at its first look at the clock.
    const lines: string[] = [];
    for (let p = 0; p < 16; p++) lines.push(`{:process ${p}, :type :invoke, :f :write, :value ${p % 2}}`);
    for (let i = 0; i < 18; i++)
      lines.push(
        '{:process 20, :type :invoke, :f :read, :value nil}',
        `{:process 20, :type :ok, :f :read, :value ${i % 2}}`,
      );
    for (let p = 0; p < 16; p++) lines.push(`{:process ${p}, :type :ok, :f :write, :value ${p % 2}}`);
    expect(await checkCommand([file('slow.edn', lines.join('\n')), '--model', 'register', '--budget', '0ms'])).toBe(4);
    expect(out.join('\n')).toMatch(/UNKNOWN/);
    expect(out.join('\n')).toMatch(/unknown: the check ran out of its time budget of 0 ms/);
  });

  it('points the evidence at lines of the file', async () => {
    const text = `; written by hand\n${staleRead}`;
    expect(await checkCommand([file('lines.edn', text), '--model', 'register'])).toBe(1);
    expect(out.join('\n')).toMatch(/cannot be placed:\n\s+p1\s+read → 1\s+lines 6\.\.7/);
  });

  it('reads a failed cas as a constraint, or drops it with --failed-cas drop', async () => {
    const path = file(
      'cas-fail.edn',
      `{:process 0, :type :invoke, :f :write, :value 1}
{:process 0, :type :ok, :f :write, :value 1}
{:process 1, :type :invoke, :f :cas, :value [1 2]}
{:process 1, :type :fail, :f :cas, :value [1 2]}
{:process 2, :type :invoke, :f :read, :value nil}
{:process 2, :type :ok, :f :read, :value 1}
`,
    );
    expect(await checkCommand([path, '--model', 'cas-register'])).toBe(1);
    expect(await checkCommand([path, '--model', 'cas-register', '--failed-cas', 'drop'])).toBe(0);
  });

  it("reads absent keys as '' with --absent-value ''", async () => {
    const path = file(
      'absent.json',
      JSON.stringify([
        { process: 0, type: 'invoke', f: 'get', key: 'x' },
        { process: 0, type: 'ok', f: 'get', key: 'x', value: '' },
      ]),
    );
    expect(await checkCommand([path, '--model', 'kv'])).toBe(1);
    expect(await checkCommand([path, '--model', 'kv', '--absent-value', ''])).toBe(0);
  });

  const twoBadKeys = [
    { process: 0, type: 'invoke', f: 'put', key: 'a', value: '1' },
    { process: 0, type: 'ok', f: 'put', key: 'a' },
    { process: 1, type: 'invoke', f: 'get', key: 'a' },
    { process: 1, type: 'ok', f: 'get', key: 'a', value: '9' },
    { process: 0, type: 'invoke', f: 'put', key: 'b', value: '1' },
    { process: 0, type: 'ok', f: 'put', key: 'b' },
    { process: 1, type: 'invoke', f: 'get', key: 'b' },
    { process: 1, type: 'ok', f: 'get', key: 'b', value: '8' },
    { process: 2, type: 'invoke', f: 'get', key: 'c' },
    { process: 2, type: 'ok', f: 'get', key: 'c', value: null },
  ]
    .map((entry) => JSON.stringify(entry))
    .join('\n');

  it('stops at the first failing key, or shows every one with --all-keys, in this thread or on workers', async () => {
    const path = file('two-bad.jsonl', twoBadKeys);
    for (const workers of ['1', '2']) {
      out = [];
      expect(await checkCommand([path, '--model', 'kv', '--workers', workers])).toBe(1);
      expect(out.join('\n').match(/^evidence/gm)).toHaveLength(1);
      out = [];
      expect(await checkCommand([path, '--model', 'kv', '--all-keys', '--workers', workers, '--json'])).toBe(1);
      const result = JSON.parse(out.join('\n'));
      expect(result.keys.map((key: { key: string; verdict: string }) => [key.key, key.verdict])).toEqual([
        ['a', 'not-linearizable'],
        ['b', 'not-linearizable'],
        ['c', 'linearizable'],
      ]);
      out = [];
      expect(await checkCommand([path, '--model', 'kv', '--all-keys', '--workers', workers])).toBe(1);
      expect(out.join('\n').match(/^evidence/gm)).toHaveLength(2);
      expect(out.join('\n')).toMatch(/p1\s+get → "9"\s+lines 3\.\.4/);
      expect(out.join('\n')).toMatch(/p1\s+get → "8"\s+lines 7\.\.8/);
    }
  });

  it('writes an HTML report with a timeline per key, escaping every value from the history', async () => {
    const hostile = '</text><script>alert(1)</script>';
    const path = file(
      'hostile.json',
      JSON.stringify([
        { process: 0, type: 'invoke', f: 'put', key: '<b>k</b>', value: hostile },
        { process: 0, type: 'ok', f: 'put', key: '<b>k</b>' },
        { process: 1, type: 'invoke', f: 'get', key: '<b>k</b>' },
        { process: 1, type: 'ok', f: 'get', key: '<b>k</b>', value: `${hostile}"'&` },
      ]),
    );
    const report = join(dir, 'report.html');
    expect(await checkCommand([path, '--model', 'kv', '--report', report])).toBe(1);
    const html = readFileSync(report, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>k</b>');
    expect(html).toContain('&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toMatch(/<svg[^>]*>.*<rect/s);
    expect(html).toContain('cannot be placed');
    expect(out.join('\n')).toMatch(/report\s+.*report.html/);
  });
});
