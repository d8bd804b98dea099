/**
 * The scenarios dsim ships (simulations/<protocol>/<name>.ts), bundled into the app by Vite.
 * A scenario file default-exports (or exports as `scenario`) a plain scenario object whose
 * `protocol` is a registry name, exactly what `dsim run <file>` loads.
 */
const modules = import.meta.glob<Record<string, unknown>>('../../../simulations/**/*.ts', { eager: true });

export interface ShippedScenario {
  /** Path under simulations/ without `.ts`: 'raft/leader-isolated'. */
  readonly key: string;
  /** The file as `dsim run` names it: 'simulations/raft/leader-isolated.ts'. */
  readonly file: string;
  readonly scenario: Readonly<Record<string, unknown>>;
}

export const shippedScenarios: readonly ShippedScenario[] = Object.entries(modules)
  .map(([path, module]) => {
    const file = path.slice(path.indexOf('simulations/'));
    const key = file.slice('simulations/'.length).replace(/\.ts$/, '');
    const scenario = (module.default ?? module.scenario) as Record<string, unknown> | undefined;
    return { key, file, scenario };
  })
  .filter((entry): entry is ShippedScenario => typeof entry.scenario === 'object' && entry.scenario !== null && !entry.key.includes('/test/'))
  .sort((a, b) => a.key.localeCompare(b.key));

export function findScenario(key: string): ShippedScenario | undefined {
  return shippedScenarios.find((entry) => entry.key === key);
}
