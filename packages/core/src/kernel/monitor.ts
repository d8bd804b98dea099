import type { Invariant, InvariantFailure, Violation } from '../author/invariant.ts';
import type { NodeId } from '../author/protocol.ts';
import type { ResolvedScenario } from '../scenario/schema.ts';
import type { RunStats } from '../trace/format.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import type { Micros } from '../time/time.ts';
import { InvariantMemories, type MonitoredInvariant } from './invariant-memories.ts';
import { StepInvariants } from './step-invariants.ts';
import type { KernelWorldView } from './world-view.ts';

/** An invariant that is judged over time: `eventually`, `sometimes`, or `always` at the end. */
export interface InvariantTracker {
  readonly invariant: Invariant;
  readonly monitored: MonitoredInvariant;
  satisfied: boolean;
  deadline: Micros;
}

/**
 * The run's invariants: `always` ones after every step, liveness ones until they are reached or
 * their deadline passes, whole-history ones at the end. Violations are recorded here; when the
 * scenario stops on a violation, `stopped` turns true and the caller ends the run.
 */
export class InvariantMonitor {
  readonly violations: Violation[] = [];
  /** A violation happened and the scenario stops on violations. */
  stopped = false;
  /** The step invariants, in the scenario's order. */
  private readonly stepInvariants: MonitoredInvariant[] = [];
  /** The same, with the fast answer to which of them need their own check after a change. */
  private readonly stepChecks: StepInvariants;
  /** The run memories the invariants read, kept current through `stepped` and `changed`. */
  private readonly memories = new InvariantMemories();
  private readonly endInvariants: InvariantTracker[] = [];
  /** Liveness invariants not yet reached, with the `eventually` ones whose deadline is within the run. */
  private readonly pendingLiveness: InvariantTracker[] = [];
  readonly deadlines: InvariantTracker[] = [];

  constructor(
    private readonly scenario: ResolvedScenario,
    private readonly world: KernelWorldView,
    private readonly stats: RunStats,
    private readonly trace: TraceRecorder,
  ) {
    for (const invariant of scenario.invariants) {
      const monitored = this.memories.monitor(invariant);
      const tracker: InvariantTracker = { invariant, monitored, satisfied: false, deadline: Infinity };
      if (invariant.kind === 'always' && invariant.atEnd) this.endInvariants.push(tracker);
      else if (invariant.kind === 'always') this.stepInvariants.push(monitored);
      else {
        if (invariant.kind === 'eventually') {
          tracker.deadline = Math.min(
            scenario.until,
            scenario.faultsEndAt + (invariant.withinMicros ?? scenario.until),
          );
          if (tracker.deadline < scenario.until) this.deadlines.push(tracker);
        }
        this.pendingLiveness.push(tracker);
      }
    }
    this.stepChecks = new StepInvariants(this.stepInvariants, this.memories);
  }

  /** Whether anything is checked after a step. */
  get watchesSteps(): boolean {
    return this.stepInvariants.length > 0 || this.pendingLiveness.length > 0;
  }

  /**
   * A node's handler ran: `stepped`, and then, when the step invariants all read one memory and no
   * liveness invariant waits (StepInvariants.sole), that memory observes the step. True: nothing
   * is left to check after this step (the plain `check` would find every step invariant answered
   * for and nothing else to do); false: the caller runs `check` when `watchesSteps`.
   */
  steppedQuiet(node: NodeId, position: number): boolean {
    if (this.pendingLiveness.length !== 0 || this.stopped) {
      this.memories.stepped(node, position);
      return false;
    }
    return this.stepChecks.steppedQuiet(this.world, node, position);
  }

  /** Something other than one node's handler may have changed states (the start, a fault). */
  changed(): void {
    this.memories.changed();
  }

  /** Checks every step invariant, in the scenario's order, and notes liveness invariants reached. */
  check(now: Micros): void {
    if (this.stopped) return;
    const world = this.world;
    const invariants = this.stepChecks.toCheck(world);
    const memories = this.memories;
    for (let i = 0; i < invariants.length; i++) {
      const monitored = invariants[i]!;
      const result = memories.report(monitored, world);
      if (result === true) continue;
      this.violate(monitored.invariant, result, now);
      if (this.stopped) return;
    }
    if (this.pendingLiveness.length === 0) return;
    for (let i = 0; i < this.pendingLiveness.length; i++) {
      const tracker = this.pendingLiveness[i]!;
      if (tracker.invariant.kind === 'eventually' && now < this.scenario.faultsEndAt) continue;
      // A stable property is judged at its deadline (or the end of the run), not when first reached.
      if (tracker.invariant.stable) continue;
      if (this.evaluate(tracker) === true) {
        tracker.satisfied = true;
        this.pendingLiveness.splice(i--, 1);
        if (this.trace.enabled)
          this.trace.write({
            t: now,
            k: 'note',
            text: `${tracker.invariant.kind} '${tracker.invariant.name}' reached`,
          });
      }
    }
  }

  /** An `eventually` invariant's deadline has come. */
  deadline(tracker: InvariantTracker, now: Micros): void {
    if (tracker.satisfied) return;
    if (tracker.invariant.stable) return this.judgeStable(tracker, now);
    this.check(now);
    if (!tracker.satisfied && !this.stopped) {
      const result = this.evaluate(tracker) as InvariantFailure;
      this.violate(
        tracker.invariant,
        {
          ...result,
          message: `did not hold by ${tracker.deadline}us (${tracker.deadline - this.scenario.faultsEndAt}us after the last fault): ${result.message}`,
        },
        now,
      );
    }
  }

  /** The end of a run that reached its time or ran out of events: whole-history properties, then liveness that never came. */
  finalChecks(now: Micros): void {
    for (const tracker of this.endInvariants) {
      const result = this.evaluate(tracker);
      if (result !== true) this.violate(tracker.invariant, result, now);
      if (this.stopped) break;
    }
    if (!this.stopped) this.check(now);
    for (const tracker of [...this.pendingLiveness]) {
      if (this.stopped) break;
      if (tracker.invariant.stable) {
        this.judgeStable(tracker, now);
        continue;
      }
      const what =
        tracker.invariant.kind === 'sometimes'
          ? 'never held during the run: the scenario did not reach the state it exists to test'
          : `never held after the faults ended at ${this.scenario.faultsEndAt}us`;
      this.violate(tracker.invariant, what, now);
    }
  }

  /** The names of the liveness invariants that held (all but those still pending). */
  reached(): string[] {
    return this.scenario.invariants
      .filter(
        (invariant) =>
          invariant.kind !== 'always' && !this.pendingLiveness.some((tracker) => tracker.invariant === invariant),
      )
      .map((invariant) => invariant.name);
  }

  private evaluate(tracker: InvariantTracker): true | InvariantFailure {
    return this.memories.report(tracker.monitored, this.world);
  }

  /** A stable `eventually` holds if it holds at its deadline. */
  private judgeStable(tracker: InvariantTracker, now: Micros): void {
    const index = this.pendingLiveness.indexOf(tracker);
    if (index !== -1) this.pendingLiveness.splice(index, 1);
    const result = this.evaluate(tracker);
    if (result === true) {
      tracker.satisfied = true;
      if (this.trace.enabled)
        this.trace.write({ t: now, k: 'note', text: `eventually '${tracker.invariant.name}' holds at its deadline` });
      return;
    }
    this.violate(
      tracker.invariant,
      {
        ...result,
        message: `does not hold at ${tracker.deadline}us, ${tracker.deadline - this.scenario.faultsEndAt}us after the last fault: ${result.message}`,
      },
      now,
    );
  }

  /** The run used up its budget (see ResolvedBudget): a violation the caller ends the run with. */
  budgetExceeded(message: string, now: Micros): void {
    this.violate({ name: 'budget', kind: 'always' } as Invariant, message, now);
  }

  private violate(invariant: Pick<Invariant, 'name' | 'kind'>, report: string | InvariantFailure, now: Micros): void {
    const { message, nodes } = typeof report === 'string' ? { message: report, nodes: undefined } : report;
    this.violations.push({
      invariant: invariant.name,
      kind: invariant.kind,
      time: now,
      message,
      ...(nodes ? { nodes } : {}),
      step: this.trace.eventCount,
    });
    this.stats.violations++;
    // The nodes only when the invariant names them: a violation without them reads as before.
    if (this.trace.enabled)
      this.trace.write(
        nodes
          ? { t: now, k: 'violation', invariant: invariant.name, kind: invariant.kind, message, nodes: [...nodes] }
          : { t: now, k: 'violation', invariant: invariant.name, kind: invariant.kind, message },
      );
    if (this.scenario.stopOnViolation) this.stopped = true;
  }
}
