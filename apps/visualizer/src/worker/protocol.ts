import type { RunSpec } from '../model/run-spec.ts';

/** Messages between the page and the run worker. */
export type WorkerRequest =
  | { readonly type: 'run'; readonly id: number; readonly run: RunSpec }
  /** Only the trace hash of a run: whether a link would reproduce a trace. */
  | { readonly type: 'hash'; readonly id: number; readonly run: RunSpec }
  /** Trace hashes (trace mode 'hash') of shipped scenarios for many seeds: the browser side of the determinism test. */
  | {
      readonly type: 'hashes';
      readonly id: number;
      readonly scenarios: readonly string[];
      readonly seeds: readonly number[];
    };

export type WorkerReply =
  | {
      readonly type: 'ran';
      readonly id: number;
      readonly hash: string;
      readonly seed: number;
      readonly text: string;
      readonly events: number;
      readonly endReason: string;
    }
  | { readonly type: 'hashes'; readonly id: number; readonly hashes: Record<string, string[]> }
  | { readonly type: 'hash'; readonly id: number; readonly hash: string }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
