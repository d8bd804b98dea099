/// <reference lib="webworker" />
import { runScenario, ScenarioError } from '@dsim/core';
import { protocolsReady } from '../project-protocols.ts';
import { findScenario, scenariosReady, shippedScenarios } from '../scenarios.ts';
import { scenarioFor, type RunSpec } from '../model/run-spec.ts';
import type { WorkerReply, WorkerRequest } from './protocol.ts';

/**
 * Runs scenarios off the main thread with the very kernel and registry the CLI uses, so a run's
 * trace hash here equals `dsim run`'s for the same scenario and seed.
 */
declare const self: DedicatedWorkerGlobalScope;

function baseScenario(run: RunSpec): Readonly<Record<string, unknown>> {
  if (run.scenario !== undefined) {
    const shipped = findScenario(run.scenario);
    if (!shipped)
      throw new Error(
        `no shipped scenario '${run.scenario}' (shipped: ${shippedScenarios.map((entry) => entry.key).join(', ') || 'none'})`,
      );
    return shipped.scenario;
  }
  if (run.spec !== undefined) return run.spec;
  throw new Error('nothing to run: give a shipped scenario or a scenario object');
}

function describeError(error: unknown): string {
  if (error instanceof ScenarioError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

self.onmessage = async (message: MessageEvent<WorkerRequest>) => {
  const request = message.data;
  await scenariosReady;
  const registry = await protocolsReady;
  let reply: WorkerReply;
  try {
    if (request.type === 'run') {
      const scenario = scenarioFor(baseScenario(request.run), request.run);
      const result = runScenario(
        scenario,
        { registry, ...(request.run.seed !== undefined ? { seed: request.run.seed } : {}) },
        { trace: 'memory' },
      );
      const text = result.traceText;
      reply = {
        type: 'ran',
        id: request.id,
        hash: result.hash ?? '',
        seed: result.seed,
        text,
        events: result.stats.events,
        endReason: result.endReason,
      };
    } else if (request.type === 'hash') {
      const scenario = scenarioFor(baseScenario(request.run), request.run);
      const result = runScenario(
        scenario,
        { registry, ...(request.run.seed !== undefined ? { seed: request.run.seed } : {}) },
        { trace: 'hash', stateMode: 'mutable' },
      );
      reply = { type: 'hash', id: request.id, hash: result.hash ?? '' };
    } else {
      const hashes: Record<string, string[]> = {};
      for (const key of request.scenarios) {
        const scenario = baseScenario({ scenario: key });
        // Mutable state mode: the fastest, and the same trace as immutable (the kernel's own tests pin that).
        hashes[key] = request.seeds.map(
          (seed) => runScenario(scenario, { registry, seed }, { trace: 'hash', stateMode: 'mutable' }).hash ?? '',
        );
      }
      reply = { type: 'hashes', id: request.id, hashes };
    }
  } catch (error) {
    reply = { type: 'error', id: request.id, message: describeError(error) };
  }
  self.postMessage(reply);
};
