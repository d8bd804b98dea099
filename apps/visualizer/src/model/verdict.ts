/**
 * The linearizability verdict as the page holds it, apart from the checker itself (which runs in
 * the analysis worker, see linearizability.ts): the page's bundle need not carry @dsim/check.
 */
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
