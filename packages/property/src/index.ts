export {
  faultEpisodes,
  partitionFault,
  FAULT_KINDS,
  type FaultArbitraryOptions,
  type FaultKind,
} from './fault-episodes.ts';
export { clusterNodes, type ClusterOptions } from './cluster.ts';
export { workloadSpec, type WorkloadArbitraryOptions } from './workload-spec.ts';
export {
  findCounterexample,
  runsToFailure,
  assertSimulationProperty,
  formatCounterexample,
  type SimulationPropertyOptions,
  type Hunt,
  type CounterexampleReport,
  type ScheduleSize,
} from './simulation-property.ts';
export { serializableScenario, type SerializedScenario } from './serializable-scenario.ts';
export {
  scheduleToEpisodes,
  shrinkFaultSchedule,
  type ShrinkScheduleOptions,
  type ShrunkSchedule,
} from './shrink-schedule.ts';
