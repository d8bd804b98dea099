export type { Micros, Duration } from './time/time.ts';
export type { Draft } from 'immer';
export { parseDuration, toMicros, formatMicros } from './time/time.ts';
export { createRandom, type Random } from './random/random.ts';
export { ln, exp } from './random/deterministic-math.ts';
export { intern } from './kernel/intern.ts';
export { EventQueue, type QueuedEvent } from './kernel/event-queue.ts';
export { NodeClock, MAX_DRIFT_PPM } from './kernel/clock.ts';
export { ByteHasher, TraceHasher, hashText } from './trace/hash.ts';
export { sampleLatency, meanLatency, describeLatency, type LatencyDistribution } from './kernel/latency.ts';
export {
  Network,
  type LinkBehaviour,
  type ResolvedNetwork,
  type ResolvedLinkOverride,
  type DropReason,
} from './kernel/network.ts';
export { NodeStorage, copy as deepCopy } from './kernel/storage.ts';
export type { DurableLog, DurableStorage, StorageKey } from './author/storage.ts';
export {
  defineProtocol,
  type Protocol,
  type AnyProtocol,
  type NodeContext,
  type SendOptions,
  type NodeId,
  type NodeSummary,
  type ClientRequest,
  type Outcome,
  type BugSwitch,
  type TimerName,
} from './author/protocol.ts';
export type {
  NodeView,
  ViewBadge,
  ViewField,
  ViewTone,
  LogView,
  LogEntryView,
  TableView,
  ViewEdge,
} from './author/view.ts';
export type { Operation, Workload, WorkloadFactory, WorkloadSpec, ClientView } from './author/workload.ts';
export { pairOperations, type History, type HistoryEntry, type PairedOperation } from './author/history.ts';
export {
  addCoverage,
  coverageGoals,
  emptyCoverageTotals,
  unreachedGoals,
  type CoverageCounts,
  type CoverageGoals,
  type MutableCoverageTotals,
  type ProtocolCoverage,
} from './author/coverage.ts';
export { worldViewOf, type HandMadeWorld } from './author/world-view-of.ts';
export {
  always,
  eventually,
  sometimes,
  atEnd,
  defineMemory,
  failure,
  type Invariant,
  type InvariantFailure,
  type InvariantMemory,
  type InvariantOptions,
  type WorldChange,
  type InvariantResult,
  type Violation,
  type WorldView,
} from './author/invariant.ts';
export {
  blockedLinks,
  connectivity,
  describeFault,
  episodesToSchedule,
  nodesNamedBy,
  undoFault,
  PARTITION_FAULTS,
  NETWORK_FAULTS,
  FAULT_TYPES,
  type Fault,
  type FaultType,
  type FaultEpisode,
  type ScheduledFault,
} from './faults/faults.ts';
export {
  generateFaultSchedule,
  partitionOfShape,
  randomEpisode,
  NEMESIS_KINDS,
  PARTITION_SHAPES,
  type NemesisKind,
  type NemesisSpec,
  type PartitionShape,
  type ResolvedNemesis,
} from './faults/nemesis.ts';
export { resolveScenario } from './scenario/resolve.ts';
export { ScenarioSchema, scenarioJsonSchema, scenarioJsonSchemaText, schemaIssues } from './scenario/json-schema.ts';
export { deepMerge } from './scenario/merge.ts';
export { LIMITS, FORBIDDEN_KEYS } from './scenario/limits.ts';
export { copyPlainData } from './scenario/plain-data.ts';
export {
  defineScenario,
  ScenarioError,
  type Scenario,
  type ScenarioIssue,
  type ResolvedScenario,
  type ResolvedWorkload,
  type ResolveOptions,
  type ProtocolRegistry,
  type NetworkSpec,
  type StorageSpec,
  type ResolvedStorage,
  type LinkSpec,
  type LatencySpec,
  type ClockSpec,
} from './scenario/schema.ts';
export { TraceRecorder, hashTrace } from './trace/recorder.ts';
export {
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceEvent,
  type TraceEventKind,
  type TraceHeader,
  type TraceMode,
  type RunStats,
  type EndReason,
} from './trace/format.ts';
export {
  diffView,
  applyViewDiff,
  normalizeView,
  sameJson,
  type ViewDiff,
  type LogDiff,
  type ViewLine,
} from './trace/view-diff.ts';
export { parseTrace, TraceReader, type ParsedTrace, type TraceProblem } from './trace/reader.ts';
export { Simulation, runScenario, type RunOptions, type RunResult, type StateMode } from './kernel/simulation.ts';
export {
  defineSeedFamily,
  familyOptions,
  familyScenario,
  type SeedFamily,
  type FamilyOption,
  type FamilyOptionValue,
  type FamilyOptionValues,
  type FamilyMeasure,
  type MeasureTotals,
} from './scenario/seed-family.ts';
export {
  applySwarm,
  drawSwarm,
  type IntegerRange,
  type SwarmChoice,
  type SwarmKnob,
  type SwarmDraw,
  type SwarmRanges,
  type SwarmSetting,
} from './scenario/swarm.ts';
