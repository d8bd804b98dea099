import type { Outcome } from '@dsim/core';
import type { RaftContext } from './context.ts';
import type { KvResult } from './state.ts';

/**
 * Answers a client. A Raft leader answers when an entry applies, which may be long after the
 * client gave up (its timeout recorded `info`); the kernel then no longer knows the request and
 * throws. A late answer to a departed client is normal for a server, so we drop it with a note
 * rather than stop the run. Any other error still propagates.
 */
export function answer(ctx: RaftContext, requestId: string, outcome: Outcome<KvResult>): void {
  try {
    ctx.respond(requestId, outcome);
  } catch (error) {
    if (error instanceof Error && error.message.includes('no such request')) {
      ctx.annotate(`${ctx.self}: client of ${requestId} already gave up; answer dropped`);
      return;
    }
    throw error;
  }
}
