/**
 * The compensation checker for Saga and TCC, over the actions each participant performed, in the
 * order they happened. Rules (Garcia-Molina & Salem 1987 for sagas; Seata's TCC fence rules for
 * the TCC anomalies):
 * - every finished transaction ends fully applied or fully compensated, never half of each;
 * - no Confirm without a successful Try;
 * - no Try after Cancel (a late Try must be refused: "suspension");
 * - a Cancel without a successful Try changes nothing ("empty rollback");
 * - nothing is both confirmed and cancelled;
 * - each phase-2 effect (Confirm, Cancel, compensation) changes data at most once: Confirm and
 *   Cancel are retried until they succeed, so a repeat must be a no-op (Seata, DTM idempotency);
 * - a saga's compensations run in reverse order of its steps (Garcia-Molina & Salem: T1..Tj, then
 *   Cj..C1): no step is compensated while a later executed step still stands.
 * Sagas use `execute` and `compensate`: a compensation without an execution must change nothing.
 */
export type CompensationAction = 'try' | 'confirm' | 'cancel' | 'execute' | 'compensate';

export interface CompensationEvent {
  readonly participant: string;
  readonly action: CompensationAction;
  /** Whether the action succeeded. */
  readonly outcome: 'ok' | 'fail';
  /** Whether the action changed the participant's data (for empty-rollback checks). Default: true when ok. */
  readonly changed?: boolean;
  readonly time?: number;
  /** A saga step's position (0 first), for the compensation-order rule. */
  readonly step?: number;
}

export interface CompensatedTransaction {
  readonly id: string;
  /** Every participant that should take part; default: those that appear in `events`. */
  readonly participants?: readonly string[];
  /** In the order they happened. */
  readonly events: readonly CompensationEvent[];
  /** Check the end state (fully applied or fully compensated). Default true; false for transactions still running when the run ended. */
  readonly finished?: boolean;
}

export type CompensationRule =
  | 'atomicity'
  | 'confirm-without-try'
  | 'try-after-cancel'
  | 'empty-rollback-changed'
  | 'confirmed-and-cancelled'
  | 'applied-twice'
  | 'compensation-order';

export interface CompensationViolation {
  readonly transaction: string;
  readonly participant?: string;
  readonly rule: CompensationRule;
  readonly message: string;
}

export interface CompensationResult {
  readonly ok: boolean;
  readonly violations: readonly CompensationViolation[];
  /** Per transaction: how it ended. */
  readonly outcomes: ReadonlyArray<{
    readonly transaction: string;
    readonly outcome: 'applied' | 'compensated' | 'mixed' | 'unfinished';
  }>;
  readonly message: string;
}

export function checkCompensation(transactions: readonly CompensatedTransaction[]): CompensationResult {
  const violations: CompensationViolation[] = [];
  const outcomes: Array<CompensationResult['outcomes'][number]> = [];
  for (const tx of transactions) {
    const participants = tx.participants ?? [...new Set(tx.events.map((event) => event.participant))];
    const status = new Map<string, 'applied' | 'compensated'>();
    for (const participant of participants) {
      const mine = tx.events.filter((event) => event.participant === participant);
      const violate = (rule: CompensationRule, what: string) =>
        violations.push({ transaction: tx.id, participant, rule, message: `${tx.id}: ${participant} ${what}` });
      let tried = false;
      let cancelled = false;
      let confirmed = false;
      let executed = false;
      let compensated = false;
      const appliedActions = new Set<CompensationAction>();
      for (const event of mine) {
        const ok = event.outcome === 'ok';
        const changed = event.changed ?? ok;
        if (ok && changed && event.action !== 'try' && event.action !== 'execute') {
          if (appliedActions.has(event.action))
            violate('applied-twice', `applied its ${event.action} twice (a repeated phase-2 call must be a no-op)`);
          appliedActions.add(event.action);
        }
        switch (event.action) {
          case 'try':
            if (ok && cancelled)
              violate(
                'try-after-cancel',
                'reserved resources with a Try after its Cancel (suspension: the reservation is never released)',
              );
            if (ok) tried = true;
            break;
          case 'confirm':
            if (ok && !tried) violate('confirm-without-try', 'confirmed without a successful Try');
            if (ok) confirmed = true;
            break;
          case 'cancel':
            if (!tried && changed)
              violate(
                'empty-rollback-changed',
                'cancelled without a successful Try, and the Cancel changed data (an empty rollback must change nothing)',
              );
            if (ok) cancelled = true;
            break;
          case 'execute':
            if (ok) executed = true;
            break;
          case 'compensate':
            if (!executed && changed)
              violate(
                'empty-rollback-changed',
                'compensated a step that never executed, and the compensation changed data',
              );
            if (ok) compensated = true;
            break;
        }
      }
      if (confirmed && cancelled) violate('confirmed-and-cancelled', 'was both confirmed and cancelled');
      const applied = (tried && confirmed && !cancelled) || (executed && !compensated);
      status.set(participant, applied ? 'applied' : 'compensated');
    }
    checkCompensationOrder(tx, violations);
    if (tx.finished === false) {
      outcomes.push({ transaction: tx.id, outcome: 'unfinished' });
      continue;
    }
    const applied = participants.filter((participant) => status.get(participant) === 'applied');
    const rolledBack = participants.filter((participant) => status.get(participant) === 'compensated');
    if (applied.length > 0 && rolledBack.length > 0) {
      violations.push({
        transaction: tx.id,
        rule: 'atomicity',
        message: `${tx.id} ended half applied: ${applied.join(', ')} applied but ${rolledBack.join(', ')} compensated or never applied`,
      });
      outcomes.push({ transaction: tx.id, outcome: 'mixed' });
    } else outcomes.push({ transaction: tx.id, outcome: applied.length > 0 ? 'applied' : 'compensated' });
  }
  const message =
    violations.length > 0
      ? `compensation violated: ${violations.map((violation) => `[${violation.rule}] ${violation.message}`).join('; ')}`
      : `every transaction ended fully applied or fully compensated (${transactions.length} checked)`;
  return { ok: violations.length === 0, violations, outcomes, message };
}

/**
 * Garcia-Molina & Salem's order: while a step executed later still stands (executed and not yet
 * compensated), no earlier step may be compensated. Reads the `step` of execute and compensate events.
 */
function checkCompensationOrder(tx: CompensatedTransaction, violations: CompensationViolation[]): void {
  const standing = new Set<number>();
  for (const event of tx.events) {
    if (event.step === undefined || event.outcome !== 'ok') continue;
    if (event.action === 'execute' && (event.changed ?? true)) standing.add(event.step);
    else if (event.action === 'compensate') {
      const later = [...standing].filter((step) => step > event.step!);
      if (later.length > 0) {
        violations.push({
          transaction: tx.id,
          participant: event.participant,
          rule: 'compensation-order',
          message: `${tx.id}: step ${event.step} compensated while later step ${later.join(', ')} still stands (compensations must run in reverse order)`,
        });
        return;
      }
      standing.delete(event.step);
    }
  }
}
