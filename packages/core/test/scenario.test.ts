import { describe, expect, it } from 'vitest';
import { resolveScenario, ScenarioError, type ScenarioIssue } from '../src/index.ts';
import { recorder } from './fixtures.ts';

const protocol = recorder({});
const registry = { recorder: protocol };
const issuesOf = (scenario: unknown): ScenarioIssue[] => {
  try {
    resolveScenario(scenario, { registry });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return [...(error as ScenarioError).issues];
  }
  throw new Error('expected the scenario to be rejected');
};
const valid = { name: 'ok', protocol: 'recorder', nodes: 3, until: '10s' };

describe('scenario validation', () => {
  it('accepts a valid scenario and applies defaults', () => {
    const resolved = resolveScenario(valid, { registry });
    expect(resolved.nodes).toEqual(['n1', 'n2', 'n3']);
    expect(resolved.until).toBe(10_000_000);
    expect(resolved.seed).toBe(1);
    expect(resolved.network.latency).toEqual({ dist: 'uniform', min: 1_000, max: 5_000 });
  });

  it('names an unknown node in a partition, with the nodes that exist', () => {
    expect(
      issuesOf({ ...valid, faults: [{ at: '1s', fault: { type: 'partition', groups: [['n1'], ['n9']] } }] }),
    ).toEqual([
      { path: 'faults[0].fault.groups[1][0]', message: "unknown node the string 'n9' (nodes are n1, n2, n3)" },
    ]);
  });

  it('rejects negative latency, a fault after the end, an unknown protocol and unknown fields', () => {
    expect(issuesOf({ ...valid, network: { latency: { dist: 'uniform', min: '-1ms', max: '2ms' } } })[0]).toMatchObject(
      { path: 'network.latency.min', message: expect.stringMatching(/negative/) },
    );
    expect(issuesOf({ ...valid, faults: [{ at: '11s', fault: { type: 'heal' } }] })[0]).toMatchObject({
      path: 'faults[0].at',
      message: expect.stringMatching(/after the run ends/),
    });
    expect(issuesOf({ ...valid, protocol: 'rafft' })[0]).toEqual({
      path: 'protocol',
      message: "unknown protocol 'rafft' (known: recorder)",
    });
    expect(issuesOf({ ...valid, fautls: [] })[0]).toMatchObject({
      path: 'fautls',
      message: expect.stringMatching(/unknown field/),
    });
  });

  it('explains bad durations and impossible schedules', () => {
    expect(issuesOf({ ...valid, until: '10 seconds' })[0]).toMatchObject({
      path: 'until',
      message: expect.stringMatching(/not a duration.*'150ms'/),
    });
    const twice = issuesOf({
      ...valid,
      faults: [
        { at: '1s', fault: { type: 'crash', node: 'n1' } },
        { at: '2s', fault: { type: 'crash', node: 'n1' } },
      ],
    });
    expect(twice[0]!.message).toMatch(/crashes n1, which is already down since 1000000us; restart it first/);
    expect(issuesOf({ ...valid, faults: [{ at: '1s', fault: { type: 'restart', node: 'n2' } }] })[0]!.message).toMatch(
      /restarts n2, which is running/,
    );
    expect(issuesOf({ ...valid, faults: [{ at: '1s', fault: { type: 'teleport', node: 'n2' } }] })[0]).toMatchObject({
      path: 'faults[0].fault.type',
      message: expect.stringMatching(/unknown fault type 'teleport'/),
    });
  });

  it('reports every problem at once, and the message lists them', () => {
    try {
      resolveScenario({ name: '', protocol: 'recorder', nodes: 0, until: -5 }, { registry, source: 'bad.json' });
      throw new Error('not rejected');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/^bad\.json: the scenario is not valid:/);
      expect(message).toMatch(/- name:/);
      expect(message).toMatch(/- nodes:/);
      expect(message).toMatch(/- until:/);
    }
  });

  it('rejects config keys the protocol does not have, and unknown bug switches', () => {
    const heartbeatLike = {
      ...protocol,
      defaults: { interval: 5 },
      bugs: { skipCheck: { description: '', breaks: '' } },
    };
    const issues = (() => {
      try {
        resolveScenario({ ...valid, protocol: heartbeatLike, config: { intervall: 3 }, bugs: ['skipChek'] });
        return [];
      } catch (error) {
        return (error as ScenarioError).issues;
      }
    })();
    expect(issues).toEqual([
      { path: 'config.intervall', message: "'recorder' has no setting 'intervall' (settings: interval)" },
      { path: 'bugs[0]', message: "'recorder' has no bug switch the string 'skipChek' (switches: skipCheck)" },
    ]);
  });

  it('generates a nemesis schedule from the seed: valid, ending in a heal before the quiet period', () => {
    const a = resolveScenario(
      {
        ...valid,
        until: '60s',
        nemesis: { faults: 8, kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'] },
      },
      { registry, seed: 4 },
    );
    const b = resolveScenario(
      {
        ...valid,
        until: '60s',
        nemesis: { faults: 8, kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'] },
      },
      { registry, seed: 4 },
    );
    const c = resolveScenario(
      {
        ...valid,
        until: '60s',
        nemesis: { faults: 8, kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'] },
      },
      { registry, seed: 5 },
    );
    expect(a.faults).toEqual(b.faults);
    expect(a.faults).not.toEqual(c.faults);
    expect(a.faults.at(-1)).toEqual({ at: 40_000_000, fault: { type: 'heal' } });
    expect(a.faultsEndAt).toBe(40_000_000);
  });
});
