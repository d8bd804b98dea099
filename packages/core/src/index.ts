export type { Micros, Duration } from './time.ts';
export type { Draft } from 'immer';
export { parseDuration, toMicros, formatMicros } from './time.ts';
export { createRandom, type Random } from './random.ts';
export { ln, exp } from './deterministic-math.ts';
export { intern } from './intern.ts';
export { EventQueue, type QueuedEvent } from './event-queue.ts';
export { NodeClock, MAX_DRIFT_PPM } from './clock.ts';
export { ByteHasher, TraceHasher, hashText } from './hash.ts';
export { sampleLatency, meanLatency, describeLatency, type LatencyDistribution } from './latency.ts';
export {
  Network,
  type LinkBehaviour,
  type ResolvedNetwork,
  type ResolvedLinkOverride,
  type DropReason,
} from './network.ts';
export { NodeStorage, copy as deepCopy, type DurableStorage, type StorageKey } from './storage.ts';
export {
  defineProtocol,
  type Protocol,
  type AnyProtocol,
  type NodeContext,
  type NodeId,
  type NodeSummary,
  type ClientRequest,
  type Outcome,
  type BugSwitch,
  type TimerName,
} from './protocol.ts';
export type { NodeView, ViewBadge, ViewField, ViewTone, LogView, LogEntryView, TableView, ViewEdge } from './view.ts';
export type { Operation, Workload, WorkloadFactory, WorkloadSpec, ClientView } from './workload.ts';
export { pairOperations, type History, type HistoryEntry, type PairedOperation } from './history.ts';
export { worldViewOf, type HandMadeWorld } from './world-view-of.ts';
export {
  always,
  eventually,
  sometimes,
  atEnd,
  defineMemory,
  type Invariant,
  type InvariantMemory,
  type InvariantOptions,
  type WorldChange,
  type InvariantResult,
  type Violation,
  type WorldView,
} from './invariant.ts';
export {
  blockedLinks,
  connectivity,
  describeFault,
  episodesToSchedule,
  nodesNamedBy,
  undoFault,
  PARTITION_FAULTS,
  NETWORK_FAULTS,
  type Fault,
  type FaultType,
  type FaultEpisode,
  type ScheduledFault,
} from './faults.ts';
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
} from './nemesis.ts';
export {
  defineScenario,
  resolveScenario,
  deepMerge,
  ScenarioError,
  type Scenario,
  type ScenarioIssue,
  type ResolvedScenario,
  type ResolvedWorkload,
  type ResolveOptions,
  type ProtocolRegistry,
  type NetworkSpec,
  type LinkSpec,
  type LatencySpec,
  type ClockSpec,
} from './scenario.ts';
export {
  TraceRecorder,
  hashTrace,
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceEvent,
  type TraceEventKind,
  type TraceHeader,
  type TraceMode,
  type RunStats,
  type EndReason,
} from './trace.ts';
export { parseTrace, type ParsedTrace, type TraceProblem } from './trace-reader.ts';
export { Simulation, runScenario, type RunOptions, type RunResult, type StateMode } from './simulation.ts';
export {
  defineSeedFamily,
  familyOptions,
  type SeedFamily,
  type FamilyOption,
  type FamilyOptionValue,
  type FamilyOptionValues,
  type FamilyMeasure,
  type MeasureTotals,
} from './seed-family.ts';
