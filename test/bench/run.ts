import { existsSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './kernel.bench.ts';

/**
 * Runs every benchmark module in this folder (each `*.bench.ts` exports an async `bench*`
 * function returning rows) and prints one table per module. Usage:
 *   npx -y pnpm@10 bench            # everything
 *   npx -y pnpm@10 bench kernel     # only modules whose file name contains 'kernel'
 */
export function printRows(title: string, rows: readonly BenchRow[]): void {
  const name = Math.max(...rows.map((row) => row.name.length), 9);
  const value = Math.max(...rows.map((row) => formatValue(row.value).length), 5);
  const unit = Math.max(...rows.map((row) => row.unit.length), 4);
  console.log(`\n## ${title}\n`);
  console.log(`| ${'benchmark'.padEnd(name)} | ${'value'.padStart(value)} | ${'unit'.padEnd(unit)} | note`);
  console.log(`|${'-'.repeat(name + 2)}|${'-'.repeat(value + 2)}|${'-'.repeat(unit + 2)}|------`);
  for (const row of rows)
    console.log(
      `| ${row.name.padEnd(name)} | ${formatValue(row.value).padStart(value)} | ${row.unit.padEnd(unit)} | ${row.note ?? ''}`,
    );
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const filter = process.argv[2];
  const here = dirname(fileURLToPath(import.meta.url));
  const modules = [
    ...readdirSync(here)
      .filter((file) => file.endsWith('.bench.ts'))
      .map((file) => join(here, file)),
    ...['../../apps/visualizer/bench/open.bench.ts'].map((file) => join(here, file)).filter((file) => existsSync(file)),
  ].filter((file) => !filter || basename(file).includes(filter));
  console.log(
    `# dsim benchmarks — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`,
  );
  for (const file of modules.sort()) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const bench = Object.entries(module).find(([key, value]) => key.startsWith('bench') && typeof value === 'function');
    if (!bench) continue;
    const rows = await (bench[1] as () => Promise<BenchRow[]>)();
    printRows(file.split('/').pop()!.replace('.bench.ts', ''), rows);
  }
}
