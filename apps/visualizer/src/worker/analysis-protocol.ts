import type { Verdict } from '../model/linearizability.ts';
import type { ClientOperation } from '../model/trace-model.ts';

/**
 * Messages between the page and the analysis worker. The page sends the trace in pieces as it
 * reads them (the worker hashes them as they come): the bytes as they arrived from a download or
 * a file (transferred, so the page copies nothing), or text it holds in memory; then the client
 * operations. The worker answers with the hash, then the checker's verdict.
 */
export type AnalysisRequest =
  | { readonly type: 'text'; readonly id: number; readonly text: string }
  | { readonly type: 'bytes'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: 'end'; readonly id: number; readonly operations: readonly ClientOperation[] };

export type AnalysisReply =
  | { readonly type: 'hash'; readonly id: number; readonly hash: string }
  | { readonly type: 'verdict'; readonly id: number; readonly verdict: Verdict }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
