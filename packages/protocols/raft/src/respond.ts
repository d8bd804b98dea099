import type { Outcome } from '@dsim/core';
import type { RaftContext } from './context.ts';
import type { KvResult } from './state.ts';

/**
 * Answers a client. A Raft leader answers when an entry applies, which may be long after the
 * client gave up (its timeout recorded `info`); the kernel ignores such late answers, as a real
 * client that hung up never hears them.
 */
export function answer(ctx: RaftContext, requestId: string, outcome: Outcome<KvResult>): void {
  ctx.respond(requestId, outcome);
}
