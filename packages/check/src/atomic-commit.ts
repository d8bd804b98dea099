import type { Micros } from '@dsim/core';

/**
 * The atomic commitment checker, for 2PC and 3PC, over plain data a protocol's test collects.
 * It checks the rules of Bernstein, Hadzilacos & Goodman (Concurrency Control and Recovery,
 * ch. 7, AC1–AC4):
 * - agreement (AC1): all sites that decide reach the same decision;
 * - no reversal (AC2): a site never changes its decision;
 * - validity (AC3): commit only if every participant voted yes;
 * - non-triviality (AC4, only when `failureFree`): with no failures and all votes yes, commit.
 * Sites that voted yes and never decided are reported as blocked (2PC's known weakness), and
 * lock-hold intervals, when given, become the time each site kept its locks.
 */
export type Vote = 'yes' | 'no';
export type Decision = 'commit' | 'abort';

export interface LockHold {
  readonly site: string;
  readonly from: Micros;
  /** When the locks were released; undefined when they were still held at `endTime`. */
  readonly to?: Micros;
}

export interface CommitTransaction {
  readonly id: string;
  readonly participants: readonly string[];
  /** Each participant's vote; a missing vote counts as not yes. */
  readonly votes: Readonly<Record<string, Vote | undefined>>;
  /** Each site's decisions in the order it made them (one normally); the coordinator may be a site too. */
  readonly decisions: Readonly<Record<string, Decision | readonly Decision[] | undefined>>;
  readonly lockHolds?: readonly LockHold[];
  /** The run had no crash, partition or loss affecting this transaction (enables AC4). */
  readonly failureFree?: boolean;
}

export interface AtomicCommitViolation {
  readonly transaction: string;
  readonly rule: 'agreement' | 'no-reversal' | 'validity' | 'non-triviality';
  readonly message: string;
}

export interface BlockedSite {
  readonly transaction: string;
  readonly site: string;
  /** Time the site held its locks (to `endTime` if never released); undefined without lock data. */
  readonly lockHeldMicros?: Micros;
  /** True when it voted yes and never learned the decision. */
  readonly undecided: boolean;
}

export interface AtomicCommitResult {
  readonly ok: boolean;
  readonly violations: readonly AtomicCommitViolation[];
  /** Sites still uncertain, and every site's lock-hold time when intervals were given. */
  readonly blocked: readonly BlockedSite[];
  readonly totalLockHeldMicros: Micros;
  readonly message: string;
}

export function checkAtomicCommit(
  transactions: readonly CommitTransaction[],
  options: { readonly endTime?: Micros } = {},
): AtomicCommitResult {
  const violations: AtomicCommitViolation[] = [];
  const blocked: BlockedSite[] = [];
  let totalLockHeldMicros = 0;
  for (const tx of transactions) {
    const final = new Map<string, Decision>();
    for (const [site, raw] of Object.entries(tx.decisions)) {
      if (raw === undefined) continue;
      const list = typeof raw === 'string' ? [raw] : raw;
      if (list.length === 0) continue;
      if (new Set(list).size > 1)
        violations.push({
          transaction: tx.id,
          rule: 'no-reversal',
          message: `${tx.id}: ${site} changed its decision (${list.join(' then ')})`,
        });
      final.set(site, list[0]!);
    }
    const decided = [...final];
    const commits = decided.filter(([, decision]) => decision === 'commit').map(([site]) => site);
    const aborts = decided.filter(([, decision]) => decision === 'abort').map(([site]) => site);
    if (commits.length > 0 && aborts.length > 0) {
      violations.push({
        transaction: tx.id,
        rule: 'agreement',
        message: `${tx.id}: ${commits.join(', ')} committed but ${aborts.join(', ')} aborted`,
      });
    }
    const notYes = tx.participants.filter((site) => tx.votes[site] !== 'yes');
    if (commits.length > 0 && notYes.length > 0) {
      violations.push({
        transaction: tx.id,
        rule: 'validity',
        message: `${tx.id}: ${commits.join(', ')} committed although ${notYes.map((site) => `${site} voted ${tx.votes[site] ?? 'nothing'}`).join(', ')}`,
      });
    }
    if (tx.failureFree && notYes.length === 0 && aborts.length > 0) {
      violations.push({
        transaction: tx.id,
        rule: 'non-triviality',
        message: `${tx.id}: every participant voted yes and nothing failed, yet ${aborts.join(', ')} aborted`,
      });
    }
    const held = new Map<string, Micros>();
    for (const hold of tx.lockHolds ?? []) {
      const to = hold.to ?? options.endTime;
      if (to === undefined)
        throw new Error(
          `checkAtomicCommit: ${tx.id}: ${hold.site} never released its locks; pass options.endTime so the hold can be measured`,
        );
      if (to < hold.from)
        throw new Error(
          `checkAtomicCommit: ${tx.id}: ${hold.site}'s lock hold ends (${to}us) before it starts (${hold.from}us)`,
        );
      held.set(hold.site, (held.get(hold.site) ?? 0) + (to - hold.from));
      totalLockHeldMicros += to - hold.from;
    }
    const sites = new Set([...tx.participants, ...held.keys()]);
    for (const site of sites) {
      const undecided = tx.votes[site] === 'yes' && !final.has(site);
      if (undecided || held.has(site))
        blocked.push({
          transaction: tx.id,
          site,
          undecided,
          ...(held.has(site) ? { lockHeldMicros: held.get(site)! } : {}),
        });
    }
  }
  const undecided = blocked.filter((site) => site.undecided);
  const message =
    violations.length > 0
      ? `atomic commit violated: ${violations.map((violation) => `[${violation.rule}] ${violation.message}`).join('; ')}`
      : `atomic commit holds for ${transactions.length} transaction${transactions.length === 1 ? '' : 's'}${undecided.length > 0 ? `; ${undecided.length} site${undecided.length === 1 ? '' : 's'} blocked undecided (${undecided.map((site) => `${site.site} in ${site.transaction}`).join(', ')})` : ''}`;
  return { ok: violations.length === 0, violations, blocked, totalLockHeldMicros, message };
}
