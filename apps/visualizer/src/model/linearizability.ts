import * as check from '@dsim/check';
import type { History } from '@dsim/core';
import { historyOf } from './history.ts';
import type { TraceModel } from './trace-model.ts';
import type { Verdict } from './verdict.ts';

export type { Verdict } from './verdict.ts';

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
