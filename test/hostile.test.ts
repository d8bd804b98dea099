import { describe, expect, it } from 'vitest';
import { runScenarioCorpus, runTraceCorpus } from './hostile/corpus.ts';

/**
 * The hostile corpus (test/hostile/, written by test/hostile/generate.ts): every scenario is
 * refused with exit 2 and a message, never a crash, stack trace or a run; every trace loads in
 * the viewer's model without an exception and names what is wrong with it.
 */
describe('hostile corpus', () => {
  it('refuses every hostile scenario with exit 2 and a message, no stack trace', async () => {
    const results = await runScenarioCorpus();
    expect(results.length).toBeGreaterThanOrEqual(150);
    expect(results.filter((result) => !result.ok)).toEqual([]);
  }, 300_000);

  it('loads every hostile trace without an exception, naming its problems', () => {
    const results = runTraceCorpus();
    expect(results.length).toBeGreaterThanOrEqual(70);
    expect(results.filter((result) => !result.ok)).toEqual([]);
  });
});
