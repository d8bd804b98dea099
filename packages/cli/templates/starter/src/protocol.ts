import { always, defineProtocol, type NodeId } from '@dsim/core';

/**
 * A token goes round a ring of nodes: the first node starts with it, each holder keeps it for
 * `holdMicros` and passes it to its successor. Handlers are pure: they change their node's state
 * (an immer draft) and act on the world only through `ctx` (send, timers, storage, randomness).
 */
export interface RingState {
  holding: boolean;
  hops: number;
}

export type RingMessage = { readonly type: 'token'; readonly hop: number };

export interface RingConfig {
  /** How long a node holds the token before passing it on, in microseconds. */
  readonly holdMicros: number;
}

const timers = ['pass'] as const;

function successor(self: NodeId, nodes: readonly NodeId[]): NodeId {
  return nodes[(nodes.indexOf(self) + 1) % nodes.length] ?? self;
}

export const ring = defineProtocol<RingState, RingMessage, { f: 'none' }, unknown, RingConfig, (typeof timers)[number]>(
  {
    name: 'ring',
    description: 'a token passed round a ring of nodes',
    defaults: { holdMicros: 10_000 },
    timers,
    // Runs at start and again after every restart.
    init(ctx) {
      const holding = ctx.self === ctx.nodes[0];
      if (holding) ctx.setTimer('pass', ctx.config.holdMicros);
      return { holding, hops: 0 };
    },
    onMessage(state, _from, msg, ctx) {
      state.holding = true;
      state.hops = msg.hop;
      ctx.setTimer('pass', ctx.config.holdMicros);
    },
    onTimer(state, _timer, ctx) {
      if (!state.holding) return;
      state.holding = false;
      ctx.send(successor(ctx.self, ctx.nodes), { type: 'token', hop: state.hops + 1 });
    },
    // A few flat fields for the trace and the visualizer; `role` names the node's part.
    summarize: (state) => ({ role: state.holding ? 'holder' : 'waiting', hops: state.hops }),
    describeMessage: (msg) => `token hop ${msg.hop}`,
    // Checked after every step of every run.
    invariants: [
      always<RingState>(
        'one-token',
        (world) =>
          world.nodes.filter((node) => world.state(node)?.holding === true).length <= 1 || 'two nodes hold the token',
      ),
    ],
  },
);
