import { always, defineMemory, defineProtocol, type BugSwitch, type NodeContext, type NodeId } from '@dsim/core';

type State = { count: number; leader: string | undefined };
type Msg = { type: 'Hello'; count: number };
type Config = { intervalMicros: number };

// Timers and bug switches are declared once; their names are types, so a typo does not compile.
const timers = ['hello'] as const;
const bugs = {
  forgetCountOnRestart: {
    description: 'The count is not read back from durable storage after a restart.',
    breaks: "The count goes backwards after a crash: 'count-never-decreases' catches it.",
  },
} satisfies Record<string, BugSwitch>;
type Timer = (typeof timers)[number];
type Bug = keyof typeof bugs;
type Ctx = NodeContext<Msg, number, Config, Timer, Bug>;

// A property of the whole run keeps a run memory: the kernel creates it for each run and calls
// `observe` once per change, with the node that stepped (or undefined: look at every node).
const lastCounts = defineMemory<State, { counts: Map<NodeId, number>; wentBack: string | undefined }>({
  name: 'last-counts',
  create: () => ({ counts: new Map(), wentBack: undefined }),
  observe(memory, world, change) {
    for (const node of change.node === undefined ? world.nodes : [change.node]) {
      const count = world.state(node)?.count;
      if (count === undefined) continue; // down: it keeps what it had on disk
      const before = memory.counts.get(node) ?? 0;
      if (count < before) memory.wentBack ??= `${node} counted ${before}, then ${count}`;
      memory.counts.set(node, count);
    }
    return memory.wentBack === undefined; // quiet: nothing to report
  },
});

export const hello = defineProtocol<State, Msg, { f: 'read' }, number, Config, Timer, Bug>({
  name: 'hello',
  defaults: { intervalMicros: 1_000_000 },
  timers,
  bugs,
  init(ctx: Ctx) {
    // Runs at start and again after every restart: recover from durable storage here.
    const stored = ctx.storage.get<number>('count') ?? 0;
    ctx.setTimer('hello', ctx.config.intervalMicros);
    return { count: ctx.bugs.has('forgetCountOnRestart') ? 0 : stored, leader: undefined };
  },
  onTimer(state, _timer, ctx) {
    state.count++;
    ctx.storage.put('count', state.count);
    ctx.storage.sync(); // durable before the message that reveals it leaves
    ctx.broadcast({ type: 'Hello', count: state.count });
    ctx.setTimer('hello', ctx.config.intervalMicros); // local-clock time: skew shows up
  },
  onMessage(state, from, msg) {
    if (msg.count > state.count) state.leader = from;
  },
  onRequest(state, request, ctx) {
    ctx.respond(request.id, { type: 'ok', value: state.count });
  },
  summarize: (state) => ({ role: state.leader === undefined ? 'leader' : 'follower', count: state.count }),
  view: (state) => ({
    role: state.leader === undefined ? 'leader' : 'follower',
    badges: [{ label: 'count', value: state.count }],
    edges: state.leader === undefined ? [] : [{ to: state.leader, kind: 'follows' }],
  }),
  describeMessage: (msg) => `Hello count=${msg.count}`,
  invariants: [
    always<State>('count-is-non-negative', (world) => world.nodes.every((n) => (world.state(n)?.count ?? 0) >= 0)),
    always('count-never-decreases', (_world, memory) => memory.wentBack ?? true, { memory: lastCounts }),
  ],
});
