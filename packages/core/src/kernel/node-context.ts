import type { NodeContext, NodeId, Outcome } from '../author/protocol.ts';
import type { ResolvedScenario } from '../scenario/schema.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import type { Micros } from '../time/time.ts';
import type { Clients } from './clients.ts';
import { detach } from './detach.ts';
import { positionOf, type NodeRuntime } from './node-runtime.ts';
import type { Timers } from './timers.ts';

/**
 * What a running handler acts on: the time, the node whose handler runs, and the messages it has
 * sent so far (as parallel arrays, no object per message). The loop sets `now` and `current`, and
 * sends the outbox once the handler returns.
 */
export class StepScope {
  now: Micros = 0;
  current: NodeRuntime | undefined = undefined;
  readonly outboxTo: NodeId[] = [];
  readonly outboxMsg: unknown[] = [];
  /** Whether each message may leave before the step's sync (SendOptions.beforeSync). */
  readonly outboxBeforeSync: boolean[] = [];
  outboxCount = 0;
  /** How many of the outbox's messages may leave before the step's sync. */
  outboxBeforeSyncCount = 0;

  enqueue(to: NodeId, msg: unknown, beforeSync = false): void {
    const n = this.outboxCount++;
    this.outboxTo[n] = to;
    this.outboxMsg[n] = msg;
    this.outboxBeforeSync[n] = beforeSync;
    if (beforeSync) this.outboxBeforeSyncCount++;
  }

  /** Forgets the outbox (a handler that threw sends nothing). */
  clearOutbox(): void {
    for (let i = 0; i < this.outboxCount; i++) this.outboxMsg[i] = undefined;
    this.outboxCount = 0;
    this.outboxBeforeSyncCount = 0;
  }
}

/** What a node's context reaches: the run's parts, never the loop. */
export interface ContextParts {
  readonly scenario: ResolvedScenario;
  readonly nodeIndex: ReadonlyMap<NodeId, number>;
  readonly scope: StepScope;
  readonly timers: Timers;
  readonly clients: Clients;
  readonly trace: TraceRecorder;
  readonly bugs: ReadonlySet<string>;
  /** Immutable mode: messages, answers and notes are copied out of the handler's draft. */
  readonly immutable: boolean;
}

/** The context a node's handlers act through. Its acts are checked to happen inside the node's own handler. */
export function createNodeContext(node: NodeRuntime, parts: ContextParts): NodeContext {
  const { scenario, nodeIndex, scope, timers, clients, trace, immutable } = parts;
  const peers = scenario.nodes.filter((id) => id !== node.id);
  const assertInStep = (what: string) => {
    if (scope.current !== node) {
      throw new Error(
        `${node.id}: ctx.${what} was called outside this node's handler; handlers may act only while they run`,
      );
    }
  };
  return {
    self: node.id,
    peers,
    nodes: scenario.nodes,
    indexOf: (id) => positionOf(scenario.nodes, nodeIndex, id),
    now: () => node.clock.localAt(scope.now),
    send(to, msg, options) {
      assertInStep('send');
      scope.enqueue(to, immutable ? detach(msg) : msg, options?.beforeSync === true);
    },
    broadcast(msg) {
      assertInStep('broadcast');
      const detached = immutable ? detach(msg) : msg;
      for (const peer of peers) scope.enqueue(peer, detached);
    },
    setTimer(name, after) {
      assertInStep('setTimer');
      if (!(after >= 0) || !Number.isFinite(after))
        throw new Error(`setTimer('${name}', ${after}): the delay must be a non-negative number of microseconds`);
      timers.set(node, name, node.clock.localAt(scope.now) + Math.round(after), scope.now);
    },
    cancelTimer(name) {
      node.timers.delete(name);
    },
    hasTimer: (name) => node.timers.has(name),
    random: node.random,
    storage: node.storage,
    respond(requestId, outcome) {
      assertInStep('respond');
      clients.respond(node.index, requestId, (immutable ? detach(outcome) : outcome) as Outcome, scope.now);
    },
    annotate(text, data) {
      if (trace.enabled)
        trace.write(
          data === undefined
            ? { t: scope.now, k: 'note', node: node.id, text }
            : { t: scope.now, k: 'note', node: node.id, text, data: detach(data) },
        );
    },
    bugs: parts.bugs,
    config: scenario.config,
  };
}
