/**
 * The scenarios dsim ships (simulations/<protocol>/<name>.ts), bundled into the app by Vite.
 * A scenario file default-exports (or exports as `scenario`) a plain scenario object whose
 * `protocol` is a registry name, exactly what `dsim run <file>` loads. simulations/ holds scenario
 * files only (studies live in experiments/), so every `.ts` file there is bundled (vite.config.ts).
 */
import { modules } from 'virtual:dsim-scenarios';

export interface ShippedScenario {
  /** Path under simulations/ without `.ts`: 'raft/leader-isolated'. */
  readonly key: string;
  /** The file as `dsim run` names it: 'simulations/raft/leader-isolated.ts'. */
  readonly file: string;
  readonly scenario: Readonly<Record<string, unknown>>;
}

export const shippedScenarios: readonly ShippedScenario[] = Object.entries(modules)
  .map(([path, module]) => ({
    key: path.replace(/\.ts$/, ''),
    file: `simulations/${path}`,
    scenario: (module.default ?? module.scenario) as Record<string, unknown>,
  }))
  .filter((entry) => typeof entry.scenario === 'object' && entry.scenario !== null)
  .sort((a, b) => a.key.localeCompare(b.key));

/** Kept as a promise so callers do not care how scenarios are bundled. */
export const scenariosReady: Promise<readonly ShippedScenario[]> = Promise.resolve(shippedScenarios);

export function findScenario(key: string): ShippedScenario | undefined {
  return shippedScenarios.find((entry) => entry.key === key);
}
