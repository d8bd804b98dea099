export {
  IMPOSSIBLE,
  type Model,
  type ModelOperation,
  type RecordedOperation,
  type ReadWriteFunctions,
} from './model.ts';
export {
  registerModel,
  casRegisterModel,
  kvModel,
  setModel,
  queueModel,
  models,
  modelFactories,
  createRegisterModel,
  createCasRegisterModel,
  createKvModel,
  createSetModel,
  createQueueModel,
  type ModelOptions,
  type FailedCas,
} from './models.ts';
export {
  PartitionCollector,
  preparePartitions,
  type HistoryRecord,
  type CheckedOperation,
  type Partition,
} from './operations.ts';
export { searchPartition, type SearchBudget, type SearchOutcome, type SearchFailure } from './search.ts';
export { checkUniqueWrites, type UniqueWritesOutcome } from './unique-writes.ts';
export {
  checkLinearizability,
  checkPartitions,
  checkPartition,
  summarizeLinearizability,
  evidenceOperation,
  DEFAULT_MAX_STEPS,
  type KeyVerdict,
  type CheckMethod,
  type PartitionCheckOptions,
  type LinearizabilityOptions,
  type LinearizabilityResult,
  type LinearizabilityVerdict,
  type LinearizabilityEvidence,
  type KeyLinearizability,
  type EvidenceOperation,
} from './linearizability.ts';
export { linearizable, type LinearizableOptions } from './linearizable.ts';
export { canonicalJson, sameValue } from './values.ts';
export { checkLinearizabilityBruteForce, type BruteForceOptions } from './brute-force.ts';
export {
  parseEdn,
  parseEdnForms,
  EdnError,
  EdnKeyword,
  EdnSymbol,
  type EdnValue,
  type EdnMap,
  type EdnSet,
  type EdnTagged,
  type EdnPosition,
} from './edn.ts';
export {
  historyFromEdn,
  historyToEdn,
  valueToEdn,
  toPlain as ednToPlain,
  type EdnHistory,
  type EdnHistoryOptions,
} from './jepsen-edn.ts';
export { historyFromJson, historyToJson, historyToJsonLines, HistoryFormatError } from './json-history.ts';
export { renderLinearizabilityReport, escapeHtml, type LinearizabilityReportInput } from './report-html.ts';
export { HistoryStreamReader, type HistoryStreamOptions } from './history-stream.ts';
export { recordFromEdn } from './jepsen-edn.ts';
export { recordFromJson } from './json-history.ts';
export { parseHistory, detectHistoryFormat, type HistoryFormat, type ParsedHistory } from './history-file.ts';
export { forAllNodes, forAllStates, atMostOne, allAgree, type NodeInvariantOptions } from './node-invariants.ts';
export {
  checkAtomicCommit,
  type CommitTransaction,
  type Vote,
  type Decision,
  type LockHold,
  type AtomicCommitResult,
  type AtomicCommitViolation,
  type BlockedSite,
} from './atomic-commit.ts';
export {
  checkCompensation,
  type CompensatedTransaction,
  type CompensationEvent,
  type CompensationAction,
  type CompensationRule,
  type CompensationResult,
  type CompensationViolation,
} from './compensation.ts';
export { checkConvergence, type ReplicaSnapshot, type ConvergenceResult } from './convergence.ts';
