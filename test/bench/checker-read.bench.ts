import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createKvModel, HistoryStreamReader, PartitionCollector } from '@dsim/check';
import { corpusSpecs, ensureCorpusFile } from './checker-corpus.ts';
import type { BenchRow } from './kernel.bench.ts';

/**
 * The history reader with its line scanner against the same reader with the full parser only
 * (HistoryStreamOptions.scan false), on one corpus file (checker-corpus.ts), in one warm process:
 * reading alone, and reading with pairing and splitting by key (PartitionCollector, what `dsim
 * check` does before checking). CPU time of the process, median of ROUNDS after one warm-up, the
 * two readers alternating so the machine's load falls on both alike.
 *
 * Standalone: `node --import ./packages/cli/bin/register-typescript.mjs test/bench/checker-read.bench.ts [file]`
 * (default: the corpus's kv-100k-c50-k100-small, generated when missing).
 */

const ROUNDS = 5;

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function benchCheckerRead(path: string): BenchRow[] {
  const text = readFileSync(path, 'utf8');
  const model = createKvModel({ absentValue: '' });
  let lines = 0;
  const read = (scan: boolean, collect: boolean): number => {
    const started = cpuMs();
    const collector = new PartitionCollector(model);
    let records = 0;
    const reader = new HistoryStreamReader({
      source: path,
      scan,
      onRecord: collect ? (record) => collector.add(record) : () => records++,
    });
    // Chunks of 4 M characters, as the CLI reads.
    for (let at = 0; at < text.length; at += 1 << 22) reader.push(text.slice(at, at + (1 << 22)));
    reader.end();
    if (collect) {
      collector.finish();
      records = collector.entries;
    }
    lines = records;
    return cpuMs() - started;
  };
  const times = {
    scan: [] as number[],
    full: [] as number[],
    scanCollect: [] as number[],
    fullCollect: [] as number[],
  };
  for (let round = 0; round <= ROUNDS; round++) {
    const scan = read(true, false);
    const full = read(false, false);
    const scanCollect = read(true, true);
    const fullCollect = read(false, true);
    if (round === 0) continue;
    times.scan.push(scan);
    times.full.push(full);
    times.scanCollect.push(scanCollect);
    times.fullCollect.push(fullCollect);
  }
  const row = (name: string, mine: number[], peer: number[], peerName: string): BenchRow => ({
    name,
    value: Math.round(median(mine)),
    unit: 'ms CPU',
    note: `${peerName} ${Math.round(median(peer))} ms in the same run (${(median(mine) / median(peer)).toFixed(2)}×); ${lines} entries; median of ${ROUNDS}`,
  });
  return [
    row('read, line scanner', times.scan, times.full, 'full parser'),
    row('read + pair + split, line scanner', times.scanCollect, times.fullCollect, 'full parser'),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let path = process.argv[2];
  if (path === undefined) {
    const spec = corpusSpecs(false).find((candidate) => candidate.name === 'kv-100k-c50-k100-small')!;
    const dir = process.env.DSIM_CORPUS_DIR ?? join(tmpdir(), 'dsim-checker-corpus');
    path = join(dir, `${spec.name}.jsonl`);
    if (!existsSync(path)) ensureCorpusFile(dir, spec);
  }
  const { printRows } = await import('./run.ts');
  printRows('checker-read', benchCheckerRead(path));
}
