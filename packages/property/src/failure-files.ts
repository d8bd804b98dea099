import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a counterexample's scenario and trace into `dir`, creating it. The only file-system
 * code in @dsim/property: the arbitraries and the runner's logic stay usable in a browser.
 */
export function writeFailureFiles(
  dir: string,
  scenarioJson: string,
  traceLines: readonly string[],
): { scenarioFile: string; traceFile: string } {
  mkdirSync(dir, { recursive: true });
  const scenarioFile = join(dir, 'scenario.json');
  const traceFile = join(dir, 'trace.jsonl');
  writeFileSync(scenarioFile, scenarioJson);
  // The trace hash covers each line and its newline, so the file ends with one.
  writeFileSync(traceFile, traceLines.length > 0 ? `${traceLines.join('\n')}\n` : '');
  return { scenarioFile, traceFile };
}
