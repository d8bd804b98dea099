import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/** True when the run was asked to rewrite golden files (`UPDATE_GOLDEN=1`). */
export const updatingGolden = (): boolean => process.env.UPDATE_GOLDEN === '1';

/**
 * Compares `actual` with a golden file, byte for byte. With UPDATE_GOLDEN=1 it rewrites the file
 * instead, to be reviewed as a diff like code (etcd raft's testdata). A missing file is written
 * and the test fails, so a new golden file is never accepted unread.
 */
export function expectGolden(file: string, actual: string): void {
  if (updatingGolden()) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    throw new Error(`wrote the missing golden file ${file}; review it, then run the test again`);
  }
  expect(actual, `${file} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}
