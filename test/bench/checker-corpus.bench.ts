import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, fstatSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkPartitions, createKvModel, HistoryStreamReader, PartitionCollector } from '@dsim/check';
import { runInFreshProcess } from './child.ts';
import { corpusSpecs, ensureCorpusFile } from './checker-corpus.ts';
import { referenceVerdict } from './checker-reference.ts';
import type { BenchRow } from './kernel.bench.ts';

/**
 * The linearizability checker on a generated corpus (checker-corpus.ts): key-value histories of
 * 100k operations by 50 clients over 10 and 100 keys, with unique and with few values, each
 * linearizable and with one stale read, and 2M-operation ones. Every file is checked in a fresh
 * process (its own heap, Node's default limit) by dsim's streaming reader and checker, by the
 * plain reference checker (checker-reference.ts, whose verdict dsim's must equal), and by
 * Porcupine when Go and Porcupine's source are here, in the same run.
 *
 * Standalone: `node --import ./packages/cli/bin/register-typescript.mjs test/bench/checker-corpus.bench.ts`
 * (DSIM_CORPUS_QUICK=1 leaves out the 2M-operation files; DSIM_CORPUS_DIR says where the corpus
 * is kept; PORCUPINE_SRC points at a checkout of github.com/anishathalye/porcupine).
 */

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = process.env.DSIM_CORPUS_DIR ?? join(tmpdir(), 'dsim-checker-corpus');
const porcupineSources = [process.env.PORCUPINE_SRC, '/work/.mirror/anishathalye+porcupine/repo'].filter(
  (path): path is string => path !== undefined && existsSync(path),
);

interface DsimCheck {
  readonly verdict: string;
  readonly parseMs: number;
  readonly checkMs: number;
  /** CPU time of the checking process (user + system): less moved by the machine's load than wall time. */
  readonly parseCpuMs: number;
  readonly checkCpuMs: number;
  readonly maxRssMb: number;
  readonly heapLimitMb: number;
  readonly methods: Record<string, number>;
  readonly operations: number;
}

interface PeerCheck {
  readonly verdict: string;
  readonly parseMs?: number;
  readonly checkMs?: number;
  readonly ms?: number;
  readonly maxRssMb?: number;
}

/** In a child: stream the file through dsim's reader and checker, as `dsim check` does. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function childCheck(path: string): void {
  const started = performance.now();
  const startedCpu = cpuMs();
  const model = createKvModel({ absentValue: '' });
  const collector = new PartitionCollector(model);
  const reader = new HistoryStreamReader({ source: path, onRecord: (record) => collector.add(record) });
  const descriptor = openSync(path, 'r');
  const chunk = Buffer.allocUnsafe(1 << 22);
  const decoder = new TextDecoder('utf-8');
  const size = fstatSync(descriptor).size;
  let read = 0;
  while (read < size) {
    const bytes = readSync(descriptor, chunk, 0, chunk.length, null);
    if (bytes === 0) break;
    read += bytes;
    reader.push(decoder.decode(chunk.subarray(0, bytes), { stream: true }));
  }
  closeSync(descriptor);
  reader.end();
  const partitions = collector.finish();
  const parsed = performance.now();
  const parsedCpu = cpuMs();
  const result = checkPartitions(partitions, model, { maxSteps: 200_000_000 });
  const checked = performance.now();
  const checkedCpu = cpuMs();
  console.log(
    JSON.stringify({
      verdict: result.verdict,
      parseMs: parsed - started,
      checkMs: checked - parsed,
      parseCpuMs: parsedCpu - startedCpu,
      checkCpuMs: checkedCpu - parsedCpu,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      heapLimitMb: getHeapStatistics().heap_size_limit / 2 ** 20,
      methods: result.methods,
      operations: result.operations,
    }),
  );
}

function porcupineBinary(): string | undefined {
  if (porcupineSources.length === 0) return undefined;
  if (spawnSync('go', ['version'], { encoding: 'utf8' }).status !== 0) return undefined;
  const build = join(tmpdir(), 'dsim-porcupine-build');
  const binary = join(build, 'porcupine-kv');
  if (existsSync(binary)) return binary;
  mkdirSync(join(build, 'porcupine'), { recursive: true });
  const source = porcupineSources[0]!;
  // A bare mirror (git directory) or a checkout.
  if (existsSync(join(source, 'porcupine.go'))) cpSync(source, join(build, 'porcupine'), { recursive: true });
  else {
    const archive = spawnSync('sh', [
      '-c',
      `git --git-dir='${source}' archive HEAD | tar -x -C '${join(build, 'porcupine')}'`,
    ]);
    if (archive.status !== 0) return undefined;
  }
  cpSync(join(here, 'porcupine', 'main.go'), join(build, 'main.go'));
  writeFileSync(
    join(build, 'go.mod'),
    'module porcupinekv\n\ngo 1.19\n\nrequire github.com/anishathalye/porcupine v0.0.0\n\nreplace github.com/anishathalye/porcupine => ./porcupine\n',
  );
  const built = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: build,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off' },
  });
  return built.status === 0 ? binary : undefined;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

/** Peers get a time limit: a figure that takes longer is reported as such, not waited for. */
const PEER_TIMEOUT_MS = Number(process.env.DSIM_CORPUS_PEER_TIMEOUT_MS ?? 300_000);

function runPeer(command: string, args: readonly string[]): PeerCheck & { wallMs: number } {
  const { value, ms } = timed(() =>
    spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20, timeout: PEER_TIMEOUT_MS }),
  );
  if (value.error || value.status !== 0)
    return {
      verdict: value.signal
        ? `gave up after ${PEER_TIMEOUT_MS / 1000} s`
        : `error: ${value.stderr.trim().split('\n').pop()}`,
      wallMs: ms,
    };
  return { ...(JSON.parse(value.stdout.trim().split('\n').pop()!) as PeerCheck), wallMs: ms };
}

const LOADER = join(here, '../../packages/cli/bin/register-typescript.mjs');

function runPorcupine(binary: string, path: string): PeerCheck & { wallMs: number } {
  return runPeer(binary, [path]);
}

export async function benchCheckerCorpus(): Promise<BenchRow[]> {
  const full = process.env.DSIM_CORPUS_QUICK !== '1';
  const specs = corpusSpecs(full);
  const self = fileURLToPath(import.meta.url);
  const binary = porcupineBinary();
  const rows: BenchRow[] = [];
  const dsimMs = new Map<string, number>();
  const dsimRuns = new Map<string, DsimCheck>();
  const notLinearizable: DsimCheck[] = [];
  const reads100k: DsimCheck[] = [];
  const porcupineMs = new Map<string, number>();
  let agreed = 0;
  for (const spec of specs) {
    const path = join(corpusDir, `${spec.name}.jsonl`);
    if (!existsSync(path)) runInFreshProcess<unknown>(self, ['--generate', spec.name]);
    const dsim = timed(() => runInFreshProcess<DsimCheck>(self, ['--check', path]));
    const reference =
      spec.operations <= 100_000
        ? runInFreshProcess<{ verdict: string; ms: number }>(self, ['--reference', path])
        : undefined;
    const porcupine = binary ? runPorcupine(binary, path) : undefined;
    const result = dsim.value;
    const total = result.parseMs + result.checkMs;
    dsimMs.set(spec.name, total);
    dsimRuns.set(spec.name, result);
    if (spec.operations <= 100_000) reads100k.push(result);
    if (result.verdict === 'not-linearizable' && spec.operations <= 100_000) notLinearizable.push(result);
    if (porcupine?.checkMs !== undefined) porcupineMs.set(spec.name, porcupine.parseMs! + porcupine.checkMs);
    if (reference && reference.verdict === result.verdict) agreed++;
    if (reference && reference.verdict !== result.verdict && !reference.verdict.startsWith('gave up'))
      console.error(`VERDICTS DIFFER on ${spec.name}: dsim ${result.verdict}, reference ${reference.verdict}`);
    const methods = Object.entries(result.methods)
      .filter(([, count]) => count > 0)
      .map(([method, count]) => `${method} ${count}`)
      .join(', ');
    const peer = porcupine
      ? `; Porcupine ${porcupine.verdict} ${porcupine.parseMs ?? '?'}+${porcupine.checkMs ?? '?'} ms, ${porcupine.maxRssMb ?? '?'} MB RSS (dsim/Porcupine ${porcupine.checkMs !== undefined ? (total / (porcupine.parseMs! + porcupine.checkMs)).toFixed(2) : '?'}×)`
      : binary
        ? '; Porcupine not run on 2M files'
        : '; Porcupine not built here (needs go and its source)';
    // Each row also goes to stderr as it is measured, so a long run shows its progress.
    console.error(
      `${spec.name}: ${Math.round(total)} ms, ${result.verdict}, reference ${reference?.verdict ?? '-'}, Porcupine ${porcupine ? `${porcupine.verdict} ${porcupine.checkMs ?? '?'} ms` : '-'}`,
    );
    rows.push({
      name: spec.name,
      value: Math.round(total),
      unit: 'ms',
      note: `${result.verdict} (reference: ${reference?.verdict ?? 'not run on 2M'}); read ${Math.round(result.parseMs)} + check ${Math.round(result.checkMs)} ms (CPU ${Math.round(result.parseCpuMs)} + ${Math.round(result.checkCpuMs)} ms), process ${Math.round(dsim.ms)} ms; peak RSS ${Math.round(result.maxRssMb)} MB (default heap limit ${Math.round(result.heapLimitMb)} MB); ${methods}${peer}`,
    });
  }
  for (const values of ['unique', 'small'] as const) {
    for (const stale of [false, true]) {
      const suffix = `${values}${stale ? '-stale' : ''}`;
      const ten = dsimMs.get(`kv-100k-c50-k10-${suffix}`);
      const hundred = dsimMs.get(`kv-100k-c50-k100-${suffix}`);
      const tenRun = dsimRuns.get(`kv-100k-c50-k10-${suffix}`);
      const hundredRun = dsimRuns.get(`kv-100k-c50-k100-${suffix}`);
      if (ten === undefined || hundred === undefined || tenRun === undefined || hundredRun === undefined) continue;
      const ratio = (a: number, b: number) => `${(a / Math.max(1, b)).toFixed(2)}×`;
      const peerTen = porcupineMs.get(`kv-100k-c50-k10-${suffix}`);
      const peerHundred = porcupineMs.get(`kv-100k-c50-k100-${suffix}`);
      rows.push({
        name: `10 keys / 100 keys, ${suffix}`,
        value: Number((ten / hundred).toFixed(2)),
        unit: '×',
        note: `end to end, wall; check alone ${ratio(tenRun.checkMs, hundredRun.checkMs)}; CPU time: end to end ${ratio(tenRun.parseCpuMs + tenRun.checkCpuMs, hundredRun.parseCpuMs + hundredRun.checkCpuMs)}, check alone ${ratio(tenRun.checkCpuMs, hundredRun.checkCpuMs)}; target ≤ 3×; Porcupine ${peerTen !== undefined && peerHundred !== undefined ? `${(peerTen / peerHundred).toFixed(2)}×` : 'not run'}`,
      });
    }
  }
  const slowest = (runs: readonly DsimCheck[], of: (run: DsimCheck) => number) =>
    Math.round(Math.max(0, ...runs.map(of)));
  rows.push({
    name: 'slowest non-linearizable 100k answer',
    value: slowest(notLinearizable, (run) => run.parseMs + run.checkMs),
    unit: 'ms',
    note: `target < 1000 ms (read + check, in the checking process); CPU time ${slowest(notLinearizable, (run) => run.parseCpuMs + run.checkCpuMs)} ms; ${notLinearizable.length} files were not linearizable`,
  });
  rows.push({
    name: 'slowest read of a 100k file',
    value: slowest(reads100k, (run) => run.parseMs),
    unit: 'ms',
    note: `target well under 500 ms (stream, scan, pair and split by key, in a fresh process); CPU time ${slowest(reads100k, (run) => run.parseCpuMs)} ms`,
  });
  rows.push({
    name: 'verdicts equal to the reference',
    value: agreed,
    unit: 'files',
    note: `of ${specs.filter((spec) => spec.operations <= 100_000).length} given to the reference (which gives up after ${PEER_TIMEOUT_MS / 1000} s)`,
  });
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flag = process.argv[2];
  if (flag === '--generate') {
    const spec = corpusSpecs(true).find((candidate) => candidate.name === process.argv[3])!;
    ensureCorpusFile(corpusDir, spec);
    console.log('{}');
  } else if (flag === '--check') childCheck(process.argv[3]!);
  else if (flag === '--reference') {
    const { value, ms } = timed(() => referenceVerdict(process.argv[3]!, ''));
    console.log(JSON.stringify({ verdict: value, ms }));
  } else {
    const rows = await benchCheckerCorpus();
    const { printRows } = await import('./run.ts');
    printRows('checker-corpus', rows);
  }
}
