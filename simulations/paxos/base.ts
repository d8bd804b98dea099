/**
 * The base scenarios of the Paxos sweeps and property runs live in the package (its seed families
 * are built from them); this module re-exports them for the scripts beside it. Not a scenario file.
 */
export { ALL_FAULT_KINDS, multiPaxosScenario, singleDecreeScenario } from '@dsim/paxos';
