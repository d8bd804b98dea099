import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  resolveScenario,
  ScenarioError,
  scenarioJsonSchemaText,
  schemaIssues,
  type ScenarioIssue,
} from '../src/index.ts';
import { recorder } from './fixtures.ts';

const root = resolve(import.meta.dirname, '../../..');
const SCENARIO_SCHEMA_FILE = join(root, 'packages/core/scenario.schema.json');
const registry = { recorder: recorder({}) };
const valid = { name: 'ok', protocol: 'recorder', nodes: 3, until: '10s' };
const issuesOf = (scenario: unknown): ScenarioIssue[] => {
  try {
    resolveScenario(scenario, { registry });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return [...(error as ScenarioError).issues];
  }
  throw new Error('expected the scenario to be rejected');
};

/** Every scenario file in simulations/, as the plain data its module exports or its JSON holds. */
async function simulationScenarios(): Promise<Array<[string, unknown]>> {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry)) files.push(path);
    }
  };
  walk(join(root, 'simulations'));
  const scenarios: Array<[string, unknown]> = [];
  for (const file of files.sort()) {
    const value: unknown = file.endsWith('.json')
      ? JSON.parse(readFileSync(file, 'utf8'))
      : ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    if (value && typeof value === 'object' && 'until' in value) scenarios.push([file.slice(root.length + 1), value]);
  }
  return scenarios;
}

describe('scenario.schema.json', () => {
  it('is what the code emits (run `pnpm run schema` after changing the schema)', () => {
    expect(readFileSync(SCENARIO_SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('ships in @dsim/core as @dsim/core/scenario.schema.json', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(manifest.exports['./scenario.schema.json']).toBe('./scenario.schema.json');
    expect(manifest.files).toContain('scenario.schema.json');
  });

  it('accepts every scenario in simulations/ (the schema is no stricter than the run)', async () => {
    const scenarios = await simulationScenarios();
    expect(scenarios.length).toBeGreaterThan(40);
    for (const [file, scenario] of scenarios) {
      const shapeIssues = schemaIssues(scenario).filter(
        // A .ts scenario may give a protocol object and invariant objects; JSON gives names.
        (issue) => issue.path !== 'protocol' && !issue.path.startsWith('invariants['),
      );
      expect(shapeIssues, file).toEqual([]);
    }
  });
});

describe('validation by the schema', () => {
  it('accepts $schema in a scenario', () => {
    expect(
      resolveScenario({ $schema: './node_modules/@dsim/core/scenario.schema.json', ...valid }, { registry }).name,
    ).toBe('ok');
  });

  it('finds unknown and mistyped fields inside nested objects, naming the field and what it must be', () => {
    expect(issuesOf({ ...valid, network: { lantency: '5ms' } })).toEqual([
      {
        path: 'network.lantency',
        message: 'unknown field (known fields: latency, loss, duplicate, fifo, links, clientLatency, messageLatency)',
      },
    ]);
    expect(issuesOf({ ...valid, faults: [{ at: '1s', fault: { type: 'crash', node: 'n1', lose: true } }] })).toEqual([
      { path: 'faults[0].fault.lose', message: 'unknown field (known fields: type, node, loseUnsyncedWrites)' },
    ]);
    expect(issuesOf({ ...valid, network: { links: [{ from: 'n1', to: 'n2', bothWays: 'no' }] } })).toEqual([
      { path: 'network.links[0].bothWays', message: "must be true or false, got the string 'no'" },
    ]);
    expect(
      issuesOf({ ...valid, network: { latency: { dist: 'uniform', min: '1ms', max: '2ms', mean: '1ms' } } }),
    ).toEqual([{ path: 'network.latency.mean', message: 'unknown field (known fields: dist, min, max)' }]);
  });

  it("keeps the checker's message where both find a problem at a field", () => {
    expect(issuesOf({ ...valid, faults: [{ at: '1s', fault: { type: 'isolate', node: 'n7' } }] })).toEqual([
      { path: 'faults[0].fault.node', message: "unknown node the string 'n7' (nodes are n1, n2, n3)" },
    ]);
    expect(issuesOf({ ...valid, nodes: 0 })).toEqual([
      { path: 'nodes', message: 'must be a whole number of nodes from 1 to 1000 or a list of ids, got number 0' },
    ]);
  });

  it('agrees with a standard JSON Schema validator (Ajv) reading the published file, on any input (property)', () => {
    const published = new Ajv({ strict: false, allErrors: true }).compile(
      JSON.parse(readFileSync(SCENARIO_SCHEMA_FILE, 'utf8')) as object,
    );
    const duration = fc.constantFrom('1ms', 5, '2s', ' 3 us', '1.5m', 'soon', -1, 2.5, true);
    const latency = fc.oneof(
      duration,
      fc.record(
        {
          dist: fc.constantFrom('uniform', 'lognormal', 'gamma'),
          min: duration,
          max: duration,
          sigma: fc.constantFrom(1, 9),
        },
        { requiredKeys: ['dist'] },
      ),
    );
    const fault = fc.record(
      {
        type: fc.constantFrom('crash', 'partition', 'slow', 'explode'),
        node: fc.constantFrom('n1', '', 3),
        groups: fc.constantFrom([['n1'], ['n2']], [], 'n1'),
        latency,
      },
      { requiredKeys: ['type'] },
    );
    const scenario = fc.record(
      {
        name: fc.constantFrom('ok', '', 7),
        protocol: fc.constantFrom('recorder', 3),
        nodes: fc.constantFrom(3, 0, 1001, ['a', 'b'], [], 'three'),
        until: duration,
        seed: fc.constantFrom(1, -1, 1.5),
        network: fc.record(
          {
            latency,
            loss: fc.constantFrom(0, 0.5, 2, 'half'),
            fifo: fc.constantFrom(true, 'yes'),
            lag: fc.constant(1),
          },
          { requiredKeys: [] },
        ),
        faults: fc.array(fc.record({ at: duration, fault }, { requiredKeys: ['fault'] }), { maxLength: 3 }),
        nemesis: fc.record(
          { kinds: fc.constantFrom(['crash'], [], ['meteor']), faults: fc.constantFrom(2, -2) },
          { requiredKeys: [] },
        ),
        stopOnViolation: fc.constantFrom(true, 'no'),
        budget: fc.record({ events: fc.constantFrom(10, 0, 2.5), steps: fc.constant(3) }, { requiredKeys: [] }),
        extra: fc.constant(1),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(scenario, (input) => {
        expect(published(input), JSON.stringify(schemaIssues(input))).toBe(schemaIssues(input).length === 0);
      }),
      { numRuns: 500 },
    );
  });
});
