import { defineProtocol } from '@dsim/core';

/** A handler that throws on its third tick: dsim run must print its stack at this file's lines. */
export const boom = defineProtocol<{ ticks: number }, never, { f: 'none' }, unknown, object, 'tick'>({
  name: 'boom',
  defaults: {},
  timers: ['tick'],
  init(ctx) {
    ctx.setTimer('tick', 1000);
    return { ticks: 0 };
  },
  onMessage() {},
  onTimer(state, _timer, ctx) {
    state.ticks++;
    if (state.ticks === 3) throw new Error('boom on the third tick');
    ctx.setTimer('tick', 1000);
  },
  summarize: (state) => ({ role: 'ticker', ticks: state.ticks }),
  describeMessage: () => 'none',
});
