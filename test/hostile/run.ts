// `npx -y pnpm@10 hostile`: runs the hostile corpus and prints one line per file; exits 1 if any
// file crashed dsim, printed a stack trace, exited 0 on garbage or loaded garbage silently.
import { runScenarioCorpus, runTraceCorpus } from './corpus.ts';

const results = [...(await runScenarioCorpus()), ...runTraceCorpus()];
for (const result of results) console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.file.padEnd(44)} ${result.detail}`);
const failed = results.filter((result) => !result.ok);
console.log(`\n${results.length} files, ${failed.length} failed`);
process.exitCode = failed.length ? 1 : 0;
