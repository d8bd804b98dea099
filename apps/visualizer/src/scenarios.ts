/**
 * The scenarios dsim ships (simulations/<protocol>/<name>.ts), bundled into the app by Vite.
 * A scenario file default-exports (or exports as `scenario`) a plain scenario object whose
 * `protocol` is a registry name, exactly what `dsim run <file>` loads. The folder also holds
 * builders and sweep scripts that must never run in a browser, so files are picked by their
 * source text first and only scenario files are ever imported.
 */
import { isScenarioSource } from './model/scenario-files.ts';

const sources = import.meta.glob<string>('../../../simulations/**/*.ts', { query: '?raw', import: 'default', eager: true });
const loaders = import.meta.glob<Record<string, unknown>>('../../../simulations/**/*.ts');

export interface ShippedScenario {
  /** Path under simulations/ without `.ts`: 'raft/leader-isolated'. */
  readonly key: string;
  /** The file as `dsim run` names it: 'simulations/raft/leader-isolated.ts'. */
  readonly file: string;
  readonly scenario: Readonly<Record<string, unknown>>;
}


const candidates = Object.entries(sources)
  .filter(([, source]) => isScenarioSource(source))
  .map(([path]) => path);

export let shippedScenarios: readonly ShippedScenario[] = [];

/** Resolves once every shipped scenario is loaded; a file that fails to load is left out and logged. */
export const scenariosReady: Promise<readonly ShippedScenario[]> = Promise.all(
  candidates.map(async (path) => {
    try {
      const module = await loaders[path]!();
      const scenario = (module.default ?? module.scenario) as Record<string, unknown> | undefined;
      if (typeof scenario !== 'object' || scenario === null) return undefined;
      const file = path.slice(path.indexOf('simulations/'));
      return { key: file.slice('simulations/'.length).replace(/\.ts$/, ''), file, scenario };
    } catch (error) {
      console.warn(`dsim: could not load ${path}: ${(error as Error).message}`);
      return undefined;
    }
  }),
).then((loaded) => {
  shippedScenarios = loaded.filter((entry): entry is ShippedScenario => entry !== undefined).sort((a, b) => a.key.localeCompare(b.key));
  return shippedScenarios;
});

export function findScenario(key: string): ShippedScenario | undefined {
  return shippedScenarios.find((entry) => entry.key === key);
}
