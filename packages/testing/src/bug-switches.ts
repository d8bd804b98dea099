import { runScenario, type BugSwitch, type ProtocolRegistry, type Scenario } from '@dsim/core';
import { describe, expect, it } from 'vitest';

/** A bug switch on a schedule where it bites: caught by the named invariant with the switch, clean without. */
export interface BugCase {
  readonly bug: string;
  readonly scenario: Scenario;
  /** The invariant that must report it: a name, or a pattern when several may be first. */
  readonly caughtBy: string | RegExp;
}

/** The invariants a run violated, in order; a protocol error fails the test instead. */
export function violatedInvariants(scenario: Scenario, bugs: readonly string[], registry?: ProtocolRegistry): string[] {
  const result = runScenario({ ...scenario, bugs }, registry ? { registry } : {}, {
    trace: 'off',
    stateMode: 'mutable',
  });
  expect(result.error, `${scenario.name} ended in a protocol error`).toBeUndefined();
  return result.violations.map((violation) => violation.invariant);
}

/** Asserts the switch is caught by the named invariant, and that the same scenario without it is clean. */
export function expectBugCaught({ bug, scenario, caughtBy }: BugCase, registry?: ProtocolRegistry): void {
  const withBug = violatedInvariants(scenario, [bug], registry);
  if (typeof caughtBy === 'string') expect(withBug, `${bug} was not caught by ${caughtBy}`).toContain(caughtBy);
  else
    expect(
      withBug.some((name) => caughtBy.test(name)),
      `${bug}: violations ${withBug.join(', ') || 'none'}`,
    ).toBe(true);
  expect(violatedInvariants(scenario, [], registry), `${scenario.name} fails without ${bug}`).toEqual([]);
}

/**
 * The specification of a protocol's bug switches, as test cases: every switch is documented
 * (what it does and which rule it breaks, in full sentences) and has a case here, and each case is
 * caught by its invariant and clean without the switch.
 */
export function describeBugSwitches(
  protocolName: string,
  bugs: Readonly<Record<string, BugSwitch>>,
  cases: readonly BugCase[],
  registry?: ProtocolRegistry,
): void {
  describe(`${protocolName} bug switches`, () => {
    it('every switch is documented and has a case', () => {
      expect(Object.keys(bugs).sort()).toEqual(cases.map((entry) => entry.bug).sort());
      for (const [name, bug] of Object.entries(bugs)) {
        expect(bug.description.length, `${name}: describe what the switch does`).toBeGreaterThan(40);
        expect(bug.breaks.length, `${name}: say which rule it breaks`).toBeGreaterThan(40);
      }
    });
    for (const entry of cases) {
      it(`${entry.bug} is caught by ${String(entry.caughtBy)}`, () => expectBugCaught(entry, registry));
    }
  });
}
