import type { ProtocolCoverage, CoverageCounts } from '../author/coverage.ts';
import type { AnyProtocol } from '../author/protocol.ts';
import { nodesNamedBy, type Fault } from '../faults/faults.ts';

/**
 * A run's coverage counters (see ProtocolCoverage). The loop calls it only when coverage is on,
 * so a run without it pays one branch per step. Roles come from `summarize`, the same cheap,
 * flat description the trace's state lines use.
 */
export class CoverageCounters {
  private readonly roles: Record<string, number> = {};
  private readonly sent: Record<string, number> = {};
  private readonly delivered: Record<string, number> = {};
  private readonly faults: Record<string, number> = {};
  private readonly states: Record<string, number> = {};
  /** Each node's role after its last step ('' while it has none: before init, after a crash). */
  private readonly currentRole: string[];
  private readonly stateChecks: ReadonlyArray<readonly [string, (state: unknown) => boolean]>;

  constructor(
    private readonly protocol: AnyProtocol,
    private readonly nodes: readonly string[],
  ) {
    this.currentRole = nodes.map(() => '');
    const coverage = protocol.coverage as ProtocolCoverage | undefined;
    this.stateChecks = Object.entries(coverage?.states ?? {});
  }

  /** After a node's step or init: the role it is in now, and which declared states hold. */
  stepped(node: number, state: unknown): void {
    const role = this.protocol.summarize(state).role;
    if (role !== this.currentRole[node]) {
      this.currentRole[node] = role;
      this.roles[role] = (this.roles[role] ?? 0) + 1;
    }
    const checks = this.stateChecks;
    for (let i = 0; i < checks.length; i++) {
      const [name, holds] = checks[i]!;
      if (holds(state)) this.states[name] = (this.states[name] ?? 0) + 1;
    }
  }

  crashed(node: number): void {
    this.currentRole[node] = '';
  }

  send(msg: unknown): void {
    const kind = kindOf(msg);
    this.sent[kind] = (this.sent[kind] ?? 0) + 1;
  }

  deliver(msg: unknown): void {
    const kind = kindOf(msg);
    this.delivered[kind] = (this.delivered[kind] ?? 0) + 1;
  }

  /** A fault about to be applied: counted once per distinct role among the nodes it names. */
  fault(fault: Fault): void {
    const named = nodesNamedBy(fault);
    if (named.length === 0) {
      this.count(`${fault.type}@network`);
      return;
    }
    const seen = new Set<string>();
    for (const id of named) {
      const index = this.nodes.indexOf(id);
      const role = index < 0 ? '' : this.currentRole[index]!;
      const key = `${fault.type}@${role === '' ? 'down' : role}`;
      if (!seen.has(key)) {
        seen.add(key);
        this.count(key);
      }
    }
  }

  counts(sometimes: readonly string[]): CoverageCounts {
    return {
      roles: this.roles,
      sent: this.sent,
      delivered: this.delivered,
      faults: this.faults,
      states: this.states,
      sometimes,
    };
  }

  private count(key: string): void {
    this.faults[key] = (this.faults[key] ?? 0) + 1;
  }
}

/** A message's kind: its `type` field, as every dsim protocol's messages carry one; else its constructor's name. */
function kindOf(msg: unknown): string {
  if (msg !== null && typeof msg === 'object') {
    const type = (msg as { type?: unknown }).type;
    if (typeof type === 'string') return type;
    return (msg as object).constructor?.name ?? 'object';
  }
  return typeof msg;
}
