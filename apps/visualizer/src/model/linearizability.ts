import * as check from '@dsim/check';
import type { History } from '@dsim/core';
import { historyOf } from './history.ts';
import { describeOperation } from './describe.ts';
import type { Marker, TraceModel } from './trace-model.ts';

/** The checker's verdict on a trace's client operations, in the terms the views draw. */
export interface Verdict {
  readonly status: 'linearizable' | 'not-linearizable' | 'unknown' | 'unavailable' | 'no-operations';
  /** Which model the history was checked against. */
  readonly model?: string;
  /** One paragraph for people. */
  readonly message: string;
  /** Positions (in model.operations) of the longest linearizable prefix, in linearization order. */
  readonly prefixOrder?: readonly number[];
  readonly prefix?: ReadonlySet<number>;
  /** Position of the operation that cannot be placed. */
  readonly failing?: number;
}

type Checker = (
  history: History,
  model: unknown,
  options?: { maxSteps?: number },
) => {
  verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  model: string;
  message: string;
  evidence?: { linearized: ReadonlyArray<{ invokeIndex: number }>; blocked: { invokeIndex: number } };
};

/**
 * Picks the model whose operations cover the history's (`read`/`write` → register, plus `cas` →
 * cas-register, `get`/`put`/`append` → kv) and runs @dsim/check's linearizability checker. The
 * import is used through a guard: when @dsim/check has no checker or no fitting model, the app
 * says so and carries on.
 */
export function checkTrace(model: TraceModel, maxSteps = 2_000_000): Verdict {
  if (model.operations.length === 0) return { status: 'no-operations', message: 'no client operations in this trace' };
  const library = check as unknown as { checkLinearizability?: Checker; models?: Record<string, unknown> };
  if (typeof library.checkLinearizability !== 'function' || !library.models) {
    return { status: 'unavailable', message: 'this build has no linearizability checker (@dsim/check)' };
  }
  const functions = new Set(model.operations.map((op) => String(op.op.f)));
  const fits = (names: readonly string[]) => [...functions].every((f) => names.includes(f));
  const name = fits(['read', 'write'])
    ? 'register'
    : fits(['read', 'write', 'cas'])
      ? 'cas-register'
      : fits(['get', 'put', 'append', 'cas'])
        ? 'kv'
        : undefined;
  const chosen = name ? library.models[name] : undefined;
  if (!name || !chosen) {
    return {
      status: 'unavailable',
      message: `no register or key-value model fits these operations (${[...functions].join(', ')}), so linearizability is not checked`,
    };
  }
  const history = historyOf(model);
  // History entry index of each invoke → the operation's position.
  const positionByInvoke = new Map<number, number>();
  let next = 0;
  const invokeEntries = history.filter((entry) => entry.type === 'invoke');
  for (const entry of invokeEntries) positionByInvoke.set(entry.index, next++);
  // Operations are in invoke order both in the history and in model.operations.
  try {
    const result = library.checkLinearizability(history, chosen, { maxSteps });
    const evidence = result.evidence;
    const prefixOrder = evidence
      ? evidence.linearized.map((op) => positionByInvoke.get(op.invokeIndex) ?? -1).filter((p) => p >= 0)
      : undefined;
    return {
      status: result.verdict,
      model: result.model,
      message: result.message,
      ...(prefixOrder ? { prefixOrder, prefix: new Set(prefixOrder) } : {}),
      ...(evidence ? { failing: positionByInvoke.get(evidence.blocked.invokeIndex) } : {}),
    };
  } catch (error) {
    return {
      status: 'unavailable',
      model: name,
      message: `the ${name} model does not fit this history: ${(error as Error).message}`,
    };
  }
}

/**
 * Puts the linearizability violation where it happened: a violation marker at the invocation of
 * the operation that cannot be placed, instead of at the end of the run where a whole-history
 * check reports it (the end-of-run markers of linearizability invariants are moved there).
 */
export function markFailingOperation(model: TraceModel, verdict: Verdict): Marker | undefined {
  if (verdict.status !== 'not-linearizable' || verdict.failing === undefined) return undefined;
  const op = model.operations[verdict.failing];
  if (!op) return undefined;
  const markers = model.markers as Marker[];
  const marker: Marker = {
    index: op.invokeIndex,
    time: op.invokeTime,
    kind: 'violation',
    label: `not linearizable: ${op.client} ${describeOperation(op.op)} cannot be placed`,
  };
  for (let i = markers.length - 1; i >= 0; i--) {
    const existing = markers[i]!;
    if (existing.kind === 'violation' && /lineariz/i.test(existing.label) && existing.index > op.invokeIndex)
      markers.splice(i, 1);
  }
  let at = markers.findIndex((m) => m.index > marker.index);
  if (at < 0) at = markers.length;
  markers.splice(at, 0, marker);
  return marker;
}
