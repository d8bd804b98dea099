/// <reference lib="webworker" />
import { hashTrace } from '@dsim/core';
import { checkTrace } from '../model/linearizability.ts';
import type { TraceModel } from '../model/trace-model.ts';
import type { AnalysisReply, AnalysisRequest } from './analysis-protocol.ts';

/**
 * Hashes a loaded trace and checks its client history off the main thread: on a million-event
 * trace both take seconds, and the page must keep playing and scrubbing meanwhile.
 */
declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (message: MessageEvent<AnalysisRequest>) => {
  const { id, text, operations } = message.data;
  let reply: AnalysisReply;
  try {
    const hash = hashTrace(text);
    self.postMessage({ type: 'hash', id, hash } satisfies AnalysisReply);
    // The checker reads only the operations (see checkTrace), so they are all the worker is sent.
    const verdict = checkTrace({ operations } as unknown as TraceModel);
    reply = { type: 'verdict', id, verdict };
  } catch (error) {
    reply = { type: 'error', id, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
