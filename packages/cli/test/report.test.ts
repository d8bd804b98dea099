import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '@dsim/core';
import { registry } from '@dsim/registry';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportCommand } from '../src/commands/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'dsim-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out: string[] = [];
beforeEach(() => {
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe('dsim report', () => {
  it('writes one self-contained HTML file beside the trace', async () => {
    const result = runScenario(
      {
        name: 'report-cli',
        protocol: 'heartbeat',
        nodes: 3,
        until: '30s',
        faults: [{ at: '5s', fault: { type: 'crash', node: 'n2' } }],
        workload: { name: 'probe', clients: 1, thinkTime: '1s' },
      },
      { registry, seed: 2 },
      { trace: 'memory' },
    );
    const trace = join(dir, 'run.jsonl');
    writeFileSync(trace, result.traceText);
    expect(await reportCommand([trace])).toBe(0);
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    expect(html).toContain('report-cli');
    expect(html).toContain(result.hash!);
    expect(html).toContain('crash n2');
    expect(html).toContain('id="plot-availability"');
    expect(out.join('\n')).toContain(`wrote ${join(dir, 'run.html')}`);
    expect(await reportCommand([trace, '--out', join(dir, 'other.html')])).toBe(0);
    expect(existsSync(join(dir, 'other.html'))).toBe(true);
  });

  it('names the problem with a missing file, a file that is not a trace, or no file', async () => {
    await expect(reportCommand([join(dir, 'missing.jsonl')])).rejects.toThrow(/no such trace file/);
    const notTrace = join(dir, 'notes.jsonl');
    writeFileSync(notTrace, 'hello\n');
    await expect(reportCommand([notTrace])).rejects.toThrow(/is not a dsim trace/);
    await expect(reportCommand([])).rejects.toThrow(/give exactly one trace file/);
  });
});
