import type { ClientRequest } from '@dsim/core';
import { malformedKvOp, readKey } from '@dsim/services';
import type { MutableState, RaftContext } from './context.ts';
import { answer } from './respond.ts';
import { handleGet } from './reads.ts';
import { propose } from './replication.ts';
import type { KvOp } from './state.ts';
import { handleTransferRequest } from './transfer.ts';
import { handleConfChangeRequest } from './conf-changes.ts';

/**
 * Client requests. Only the leader serves them; everyone else answers `fail` (definitely not
 * applied) with a redirect to the leader it knows, as etcd's and the paper's clients expect (§8).
 */
export function handleRequest(state: MutableState, ctx: RaftContext, request: ClientRequest<KvOp>): void {
  const op = request.op;
  const problem = malformed(op);
  if (problem) return answer(ctx, request.id, { type: 'fail', error: problem });
  if (op.f === 'get' && state.role !== 'leader' && state.role === 'follower' && ctx.bugs.has('readFromFollowerLocal')) {
    // The bug: answer from this follower's own state machine, which may lag the leader's.
    return answer(ctx, request.id, { type: 'ok', value: readKey(state.kv, op.key) });
  }
  if (state.role !== 'leader') {
    const known = state.leader !== null && state.leader !== ctx.self;
    return answer(
      ctx,
      request.id,
      known
        ? { type: 'fail', error: 'not the leader', redirect: state.leader! }
        : { type: 'fail', error: 'no leader known' },
    );
  }
  if (op.f === 'transfer') return handleTransferRequest(state, ctx, request, op.value);
  // The client session's sequence number (dissertation §6.3): the op's own, or the request's.
  const seq = op.seq ?? request.seq;
  if (op.f === 'get') return handleGet(state, ctx, request, op, seq);
  if (state.transferee !== null) {
    // etcd drops proposals during a transfer: the new leader must not miss any.
    return answer(ctx, request.id, { type: 'fail', error: `leadership transfer to ${state.transferee} in progress` });
  }
  if (op.f === 'conf') return handleConfChangeRequest(state, ctx, request, op.value, seq);
  const copy: KvOp =
    op.f === 'cas'
      ? { f: 'cas', key: op.key, value: [op.value[0], op.value[1]] }
      : { f: op.f, key: op.key, value: op.value };
  const index = propose(state, ctx, {
    term: state.term,
    kind: 'op',
    op: copy,
    client: request.client,
    seq,
    request: request.id,
    proposer: ctx.self,
  });
  state.pendingWrites.push({ request: request.id, index, term: state.term });
}

/** The operations a Raft leader serves besides the key-value ones, named when an operation is unknown. */
const OTHER_OPERATIONS: readonly string[] = Object.freeze(['transfer']);

function malformed(op: KvOp): string | undefined {
  if (op === null || typeof op !== 'object') return malformedKvOp(op, OTHER_OPERATIONS);
  switch (op.f) {
    case 'transfer':
      return typeof op.value === 'string' ? undefined : 'transfer needs the target node id as its value';
    case 'conf': {
      const steps = (op.value as { steps?: unknown } | null)?.steps;
      return Array.isArray(steps) &&
        steps.every((step: { type?: unknown; node?: unknown } | null) => typeof step?.node === 'string')
        ? undefined
        : "conf needs { steps: [{ type: 'addVoter' | 'addLearner' | 'remove', node: 'n4' }], joint?: boolean } as its value";
    }
    default:
      return malformedKvOp(op, OTHER_OPERATIONS);
  }
}
