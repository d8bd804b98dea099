import { always, defineProtocol, type NodeId } from '@dsim/core';

/**
 * A protocol written in the user's project: a token goes round a ring of nodes, each holding it
 * for `holdMicros`. Only the first node starts with the token.
 */
export interface RingState {
  holding: boolean;
  hops: number;
}

export type RingMessage = { readonly type: 'token'; readonly hop: number };

export interface RingConfig {
  readonly holdMicros: number;
}

const timers = ['pass'] as const;

function successor(self: NodeId, nodes: readonly NodeId[]): NodeId {
  return nodes[(nodes.indexOf(self) + 1) % nodes.length] ?? self;
}

export const ring = defineProtocol<RingState, RingMessage, { f: 'none' }, unknown, RingConfig, (typeof timers)[number]>(
  {
    name: 'ring',
    description: 'a token passed round a ring',
    defaults: { holdMicros: 1000 },
    timers,
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
    summarize: (state) => ({ role: state.holding ? 'holder' : 'waiting', hops: state.hops }),
    describeMessage: (msg) => `token hop ${msg.hop}`,
    invariants: [
      always<RingState>(
        'one-token',
        (world) =>
          world.nodes.filter((node) => world.state(node)?.holding === true).length <= 1 || 'two nodes hold the token',
      ),
    ],
  },
);

export default ring;
