import { defineProtocol, type NodeId } from '@dsim/core';

/**
 * Ping-pong: every node keeps `window` pings in flight to its right-hand neighbour, and answers
 * every ping with a pong. Nearly every event is a message, so it measures the kernel's message
 * path, not a protocol's logic.
 */
export interface PingPongConfig {
  /** Pings each node keeps in flight. */
  readonly window: number;
}

export interface PingPongState {
  sent: number;
  received: number;
}

export type PingPongMessage =
  { readonly type: 'ping'; readonly n: number } | { readonly type: 'pong'; readonly n: number };

function rightNeighbour(self: NodeId, nodes: readonly NodeId[]): NodeId {
  return nodes[(nodes.indexOf(self) + 1) % nodes.length]!;
}

export const pingpong = defineProtocol<
  PingPongState,
  PingPongMessage,
  { f: string },
  unknown,
  PingPongConfig,
  never,
  never
>({
  name: 'pingpong',
  description: 'Each node keeps a window of pings in flight to its neighbour; a benchmark of the message path.',
  defaults: { window: 4 },
  timers: [],
  init(ctx) {
    const config = ctx.config;
    if (ctx.nodes.length > 1) {
      const to = rightNeighbour(ctx.self, ctx.nodes);
      for (let n = 0; n < config.window; n++) ctx.send(to, { type: 'ping', n });
    }
    return { sent: config.window, received: 0 };
  },
  onMessage(state, from, msg, ctx) {
    state.received++;
    if (msg.type === 'ping') ctx.send(from, { type: 'pong', n: msg.n });
    else {
      state.sent++;
      ctx.send(rightNeighbour(ctx.self, ctx.nodes), { type: 'ping', n: msg.n });
    }
  },
  onTimer() {},
  summarize: (state) => ({ role: 'pinger', sent: state.sent, received: state.received }),
  view: (state) => ({
    role: 'pinger',
    fields: [
      { label: 'pings sent', value: state.sent },
      { label: 'messages received', value: state.received },
    ],
  }),
  describeMessage: (msg) => `${msg.type} ${msg.n}`,
  validateConfig: (config) =>
    Number.isInteger(config.window) && config.window >= 1
      ? []
      : [`window: must be a whole number of pings, at least 1 (got ${config.window})`],
});

export default pingpong;
