/// <reference lib="webworker" />
import { ByteHasher } from '@dsim/core';
import { checkTrace } from '../model/linearizability.ts';
import type { TraceModel } from '../model/trace-model.ts';
import type { AnalysisReply, AnalysisRequest } from './analysis-protocol.ts';

/**
 * Hashes a loaded trace and checks its client history off the main thread: on a million-event
 * trace both take seconds, and the page must keep playing and scrubbing meanwhile. The trace comes
 * in pieces while the page reads it, so hashing overlaps reading; the hash is of its UTF-8 bytes
 * (as downloaded, or encoded from text), as `hashTrace` computes it on the whole text.
 */
declare const self: DedicatedWorkerGlobalScope;

const encoder = new TextEncoder();
let current: { id: number; hasher: ByteHasher } | undefined;

self.onmessage = (message: MessageEvent<AnalysisRequest>) => {
  const request = message.data;
  const { id } = request;
  let reply: AnalysisReply;
  try {
    if (current?.id !== id) current = { id, hasher: new ByteHasher() };
    if (request.type === 'text') {
      current.hasher.update(encoder.encode(request.text));
      return;
    }
    if (request.type === 'bytes') {
      current.hasher.update(request.bytes);
      return;
    }
    const hash = current.hasher.digest();
    current = undefined;
    self.postMessage({ type: 'hash', id, hash } satisfies AnalysisReply);
    // The checker reads only the operations (see checkTrace), so they are all the worker is sent.
    const verdict = checkTrace({ operations: request.operations } as unknown as TraceModel);
    reply = { type: 'verdict', id, verdict };
  } catch (error) {
    current = undefined;
    reply = { type: 'error', id, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
