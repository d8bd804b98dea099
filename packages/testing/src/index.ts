export {
  renderGolden,
  compactStyle,
  storyStyle,
  notesStyle,
  type GoldenStyle,
  type GoldenMemory,
} from './golden-style.ts';
export { expectGolden, updatingGolden } from './golden-file.ts';
export { runInBothModes, type TestRunOptions } from './both-modes.ts';
export { describeBugSwitches, expectBugCaught, violatedInvariants, type BugCase } from './bug-switches.ts';
export {
  expectCounterexampleReplays,
  expectHuntCatches,
  propertyRuns,
  testFailureDir,
  type HuntExpectation,
} from './hunts.ts';
export { expectReached } from './reached.ts';
export { loadScenarioFiles, type ScenarioFile } from './scenario-files.ts';
