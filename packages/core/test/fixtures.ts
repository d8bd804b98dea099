import { defineProtocol, type NodeContext, type Protocol, type Scenario } from '../src/index.ts';

/** A protocol whose state is a log of what happened to it, for asserting the kernel's semantics. */
export interface RecorderState {
  log: string[];
  boots: number;
}

export type RecorderMsg = { n: number };
type Ctx = NodeContext<RecorderMsg, unknown, Record<string, unknown>>;

export function recorder(hooks: {
  init?: (ctx: Ctx, state: RecorderState) => void;
  onMessage?: (state: RecorderState, from: string, msg: RecorderMsg, ctx: Ctx) => void;
  onTimer?: (state: RecorderState, name: string, ctx: Ctx) => void;
  onRequest?: Protocol<RecorderState, RecorderMsg>['onRequest'];
}): Protocol<
  RecorderState,
  RecorderMsg,
  { f: string; key?: string; value?: unknown },
  unknown,
  Record<string, unknown>
> {
  return defineProtocol<
    RecorderState,
    RecorderMsg,
    { f: string; key?: string; value?: unknown },
    unknown,
    Record<string, unknown>
  >({
    name: 'recorder',
    timers: [],
    defaults: {},
    init(ctx) {
      const boots = (ctx.storage.get<number>('boots') ?? 0) + 1;
      ctx.storage.put('boots', boots);
      ctx.storage.sync();
      const state: RecorderState = { log: [`init boot=${boots} @${ctx.now()}`], boots };
      hooks.init?.(ctx, state);
      return state;
    },
    onMessage(state, from, msg, ctx) {
      state.log.push(`msg ${from} ${msg.n} @${ctx.now()}`);
      hooks.onMessage?.(state as RecorderState, from, msg, ctx);
    },
    onTimer(state, name, ctx) {
      state.log.push(`timer ${name} @${ctx.now()}`);
      hooks.onTimer?.(state as RecorderState, name, ctx);
    },
    onRequest: hooks.onRequest,
    summarize: (state) => ({ role: 'recorder', events: state.log.length }),
    describeMessage: (msg) => `n=${msg.n}`,
  });
}

export function baseScenario(protocol: Protocol<any, any, any, any, any>, extra: Partial<Scenario> = {}): Scenario {
  return { name: 'test', protocol, nodes: 2, until: '10s', network: { latency: '1ms' }, ...extra };
}
