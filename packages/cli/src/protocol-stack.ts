import { Simulation, type AnyProtocol, type ResolvedScenario, type StateMode } from '@dsim/core';

/**
 * The stack of the exception a protocol handler threw in a run that ended with `endReason:
 * 'error'`. The simulator keeps only the message (a trace is data, not a debugging session), so
 * the CLI replays the same scenario and seed, which is deterministic, with every handler wrapped
 * to remember what it throws. Only failed runs pay for the replay; a normal run is untouched.
 */
export function protocolErrorStack(scenario: ResolvedScenario, stateMode: StateMode): string | undefined {
  let thrown: unknown;
  const remember =
    <A extends unknown[], R>(handler: (...args: A) => R, self: unknown) =>
    (...args: A): R => {
      try {
        return handler.apply(self, args);
      } catch (error) {
        thrown ??= error;
        throw error;
      }
    };
  const original = scenario.protocol;
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.keys(original) as (keyof AnyProtocol)[]) {
    const value = original[key];
    wrapped[key] = typeof value === 'function' ? remember(value as (...args: unknown[]) => unknown, original) : value;
  }
  const simulation = new Simulation(
    { ...scenario, protocol: wrapped as unknown as AnyProtocol },
    {
      trace: 'off',
      stateMode,
    },
  );
  simulation.run();
  if (thrown === undefined) return undefined;
  return thrown instanceof Error ? (thrown.stack ?? `${thrown.name}: ${thrown.message}`) : String(thrown);
}
