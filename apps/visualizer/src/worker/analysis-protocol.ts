import type { Verdict } from '../model/linearizability.ts';
import type { ClientOperation } from '../model/trace-model.ts';

/** Messages between the page and the analysis worker (trace hash, then the checker's verdict). */
export interface AnalysisRequest {
  readonly id: number;
  readonly text: string;
  readonly operations: readonly ClientOperation[];
}

export type AnalysisReply =
  | { readonly type: 'hash'; readonly id: number; readonly hash: string }
  | { readonly type: 'verdict'; readonly id: number; readonly verdict: Verdict }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
