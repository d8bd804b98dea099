// Writes the hostile corpus: scenarios and traces made to break dsim, one file per attack, each
// named for what it tries. `node --import ./packages/cli/bin/register-typescript.mjs test/hostile/generate.ts`
// rewrites them; the files are committed so the corpus is reviewable as data.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;
const base = { name: 'hostile', protocol: 'raft', nodes: 3, until: '2s' };
const scenarios: Record<string, unknown> = {};
const raw: Record<string, string> = {};
const add = (name: string, patch: Record<string, unknown>) => (scenarios[name] = { ...base, ...patch });

// Numbers without bounds (#24): counts, times, latencies, shapes, clocks.
for (const [field, values] of Object.entries({
  until: [1e308, -1, 0, '0s', '1e300s', '99999999999999999999h', '100000h', 1.5, '1.0000001us', 'soon', [], {}, null],
  nodes: [1e9, 0, -3, 2.5, 1001, '3', [], [1, 2], ['n1', 'n1'], ['*'], [''], ['n\u202e1'], ['\u0000'], null, {}],
  seed: [-1, 1.5, 2 ** 60, '7', null, [], {}],
})) {
  values.forEach((value, i) => add(`${field}-${i}`, { [field]: value }));
}
const latencies: unknown[] = [
  1e300,
  -5,
  '1e3ms',
  { dist: 'lognormal', median: '1ms', sigma: 1e308 },
  { dist: 'lognormal', median: '1ms', sigma: -1 },
  { dist: 'lognormal', median: '1ms', sigma: '2' },
  { dist: 'lognormal', median: '1ms' },
  { dist: 'uniform', min: '5ms', max: '1ms' },
  { dist: 'uniform', min: 0, max: 1e300 },
  { dist: 'normal', mean: '1ms', stddev: 1e300 },
  { dist: 'exponential', mean: '9999999h' },
  { dist: 'constant' },
  { dist: 'pareto', alpha: 1 },
  { dist: '__proto__' },
  [],
  null,
];
latencies.forEach((latency, i) => add(`latency-${i}`, { network: { latency } }));
[
  { loss: 2 },
  { loss: -0.1 },
  { duplicate: '0.5' },
  { fifo: 'yes' },
  { links: {} },
  { links: [{ from: 'n9', to: 'n1' }] },
  { links: [{ from: 'n1', to: 'n2', loss: 7 }] },
  { clientLatency: 1e300 },
  'fast',
  [],
].forEach((network, i) => add(`network-${i}`, { network }));
[
  { n1: { offset: 1e300 } },
  { n1: { offset: '-100000h' } },
  { n1: { driftPpm: 1e9 } },
  { n1: { driftPpm: '5' } },
  { n9: { offset: '1s' } },
  { __proto__x: 1 },
  { n1: 5 },
  [],
  'skewed',
].forEach((clocks, i) => add(`clocks-${i}`, { clocks }));
const faultCases: unknown[] = [
  { at: '1s', fault: { type: 'partition', groups: [['n1'], ['n1']] } },
  { at: '1s', fault: { type: 'partition', groups: 'n1|n2' } },
  { at: '1s', fault: { type: 'partition', groups: [] } },
  { at: '1s', fault: { type: 'bridge', bridge: 'n9', groups: [['n1'], ['n2']] } },
  { at: '1s', fault: { type: 'bridge', bridge: 'n1', groups: [['n2']] } },
  { at: '1s', fault: { type: 'cut', from: [], to: ['n1'] } },
  { at: '1s', fault: { type: 'crash' } },
  { at: '1s', fault: { type: 'crash', node: 'n1', loseUnsyncedWrites: 'yes' } },
  { at: '1s', fault: { type: 'restart', node: 'n1' } },
  { at: '1s', fault: { type: 'resume', node: 'n1' } },
  { at: '1s', fault: { type: 'clockJump', node: 'n1' } },
  { at: '1s', fault: { type: 'clockJump', node: 'n1', delta: '1e300s' } },
  { at: '1s', fault: { type: 'clockJump', node: 'n1', delta: -1e300 } },
  { at: '1s', fault: { type: 'clockDrift', node: 'n1', ppm: 1e300 } },
  { at: '1s', fault: { type: 'clockDrift', node: 'n1', ppm: '10' } },
  { at: '1s', fault: { type: 'loss', probability: 1.5 } },
  { at: '1s', fault: { type: 'duplicate' } },
  { at: '1s', fault: { type: 'slow' } },
  { at: '1s', fault: { type: 'slow', latency: 1e300 } },
  { at: '1s', fault: { type: 'meteor' } },
  { at: '1s', fault: { type: '__proto__' } },
  { at: '1s', fault: null },
  { at: '1s' },
  { fault: { type: 'heal' } },
  { at: '3s', fault: { type: 'heal' } },
  { at: 1e308, fault: { type: 'heal' } },
  { at: -1, fault: { type: 'heal' } },
  'crash n1',
];
faultCases.forEach((fault, i) => add(`fault-${i}`, { faults: [fault] }));
add('faults-crash-twice', {
  faults: [
    { at: '1s', fault: { type: 'crash', node: 'n1' } },
    { at: '1.5s', fault: { type: 'crash', node: 'n1' } },
  ],
});
add('faults-not-a-list', { faults: { at: '1s' } });
[
  { faults: 1e9 },
  { faults: -1 },
  { faults: 2.5 },
  { kinds: ['meteor'] },
  { kinds: [] },
  { shapes: ['star'] },
  { healAt: '10s' },
  { from: '1.5s', healAt: '1s' },
  { minDuration: '5s', maxDuration: '1s' },
  { probability: 2 },
  { driftPpmMax: 1e300 },
  { clockJumpMax: '1e300s' },
  { fautls: 3 },
  'chaos',
  [],
].forEach((nemesis, i) => add(`nemesis-${i}`, { nemesis }));
[
  { name: 'kv', clients: 1e9 },
  { name: 'kv', clients: 0 },
  { name: 'kv', clients: 2.5 },
  { name: 'nope' },
  { clients: 3 },
  { name: 'kv', timeout: 0 },
  { name: 'kv', timeout: 1e300 },
  { name: 'kv', thinkTime: '-1s' },
  { name: 'kv', opsPerClient: -1 },
  { name: 'kv', options: 'fast' },
  'kv',
  [],
].forEach((workload, i) => add(`workload-${i}`, { workload }));
// Keys that reach a prototype, and settings no protocol owns.
add('config-toString', { config: { toString: 1 } });
add('config-hasOwnProperty', { config: { hasOwnProperty: 'x' } });
add('config-valueOf', { config: { valueOf: 0 } });
add('config-unknown', { config: { electionTimeout: '1s' } });
add('config-not-object', { config: 'fast' });
add('config-constructor', { config: { constructor: { prototype: { polluted: true } } } });
add('workload-options-prototype', { workload: { name: 'kv', options: { prototype: 1 } } });
add('budget-negative', { budget: { events: -1 } });
add('budget-huge', { budget: { events: 2 ** 60 } });
add('budget-unknown', { budget: { cpu: 1 } });
add('bugs-unknown', { bugs: ['noSuchBug'] });
add('bugs-not-list', { bugs: 'commitPriorTermByCount' });
add('invariants-unknown', { invariants: ['no-such-invariant'] });
add('invariants-object', { invariants: [{ name: 'x' }] });
add('protocol-unknown', { protocol: 'raftt' });
add('protocol-number', { protocol: 7 });
add('protocol-proto', { protocol: '__proto__' });
add('protocol-toString', { protocol: 'toString' });
add('name-empty', { name: '' });
add('name-long', { name: 'x'.repeat(500) });
add('name-object', { name: { toString: 'x' } });
add('unknown-field', { nodez: 3 });
add('stopOnViolation-string', { stopOnViolation: 'no' });
scenarios['not-an-object'] = [base];
scenarios['a-string'] = 'raft';
scenarios['null'] = null;
scenarios['a-number'] = 3;
// Raw JSON text: what a parser sees before any field.
raw['proto-key.json'] =
  '{"name":"p","protocol":"raft","nodes":3,"until":"2s","config":{"__proto__":{"heartbeatIntervalMicros":1}}}';
raw['proto-top.json'] = '{"__proto__":{"until":"2s"},"name":"p","protocol":"raft","nodes":3}';
raw['bom-garbage.json'] = '\uFEFF{"name": oops}';
raw['empty.json'] = '';
raw['whitespace.json'] = ' \n\t\n';
raw['truncated.json'] = '{"name":"t","protocol":"raft","nodes":3,"until":"2s"';
raw['trailing-comma.json'] = '{"name":"t","protocol":"raft","nodes":3,"until":"2s",}';
raw['nan-literal.json'] = '{"name":"t","protocol":"raft","nodes":NaN,"until":"2s"}';
raw['deep-100000.json'] =
  `{"name":"d","protocol":"raft","nodes":3,"until":"2s","workload":{"name":"kv","options":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
raw['huge-number.json'] = `{"name":"h","protocol":"raft","nodes":3,"until":${'9'.repeat(400)}}`;
raw['duplicate-keys.json'] = '{"name":"d","protocol":"raft","nodes":3,"nodes":1e9,"until":"2s"}';
raw['utf16.json'] = '\uFFFE{}';
raw['binary.json'] = '\u0000\u0001\u0002PK\u0003\u0004';
// TypeScript scenarios: what a module can hand over and JSON cannot.
const ts: Record<string, string> = {
  'cyclic-config.ts': `const config: any = {}; config.self = config;\nexport default { name: 'c', protocol: 'raft', nodes: 3, until: '2s', config };`,
  'cyclic-options.ts': `const options: any = { list: [] }; options.list.push(options);\nexport default { name: 'c', protocol: 'raft', nodes: 3, until: '2s', workload: { name: 'kv', options } };`,
  'throwing-getter.ts': `export default { name: 'g', protocol: 'raft', nodes: 3, get until(): string { throw new Error('boom'); } };`,
  'throwing-symbol.ts': `export default { name: 'g', protocol: 'raft', nodes: 3, get until(): string { throw Symbol('odd'); } };`,
  'proxy-keys.ts': `export default new Proxy({}, { ownKeys() { throw new Error('no keys for you'); } });`,
  'bigint-seed.ts': `export default { name: 'b', protocol: 'raft', nodes: 3, until: '2s', seed: 7n };`,
  'nan-drift.ts': `export default { name: 'n', protocol: 'raft', nodes: 3, until: '2s', clocks: { n1: { driftPpm: NaN } } };`,
  'infinite-sigma.ts': `export default { name: 'i', protocol: 'raft', nodes: 3, until: '2s', network: { latency: { dist: 'lognormal', median: '1ms', sigma: Infinity } } };`,
  'infinite-until.ts': `export default { name: 'i', protocol: 'raft', nodes: 3, until: Infinity };`,
  'deep-100000.ts': `let v: any = 1; for (let i = 0; i < 100000; i++) v = { a: v };\nexport default { name: 'd', protocol: 'raft', nodes: 3, until: '2s', config: v };`,
  'map-config.ts': `export default { name: 'm', protocol: 'raft', nodes: 3, until: '2s', config: new Map([['preVote', true]]) };`,
  'date-until.ts': `export default { name: 'd', protocol: 'raft', nodes: 3, until: new Date(0) };`,
  'symbol-name.ts': `export default { name: Symbol('s'), protocol: 'raft', nodes: 3, until: '2s' };`,
  'function-nodes.ts': `export default { name: 'f', protocol: 'raft', nodes: () => 3, until: '2s' };`,
  'throws-on-import.ts': `throw new Error('this module refuses to load');`,
  'no-default.ts': `export const nothing = 1;`,
  'syntax-error.ts': `export default { name: 'x', protocol: 'raft', nodes: 3, until: '2s' ;`,
  'protocol-object-broken.ts': `export default { name: 'p', protocol: { name: 'fake', init: 'not a function' }, nodes: 3, until: '2s' };`,
  'proto-assign.ts': `const config = JSON.parse('{"__proto__": {"preVote": true}}');\nexport default { name: 'p', protocol: 'raft', nodes: 3, until: '2s', config };`,
  'default-null.ts': `export default null;`,
};

// Traces: lines a viewer reads from a file or a link.
const header = (patch: Record<string, unknown> = {}) =>
  JSON.stringify({
    format: 'dsim-trace',
    version: 1,
    scenario: 's',
    protocol: 'raft',
    seed: 1,
    nodes: ['n1', 'n2', 'n3'],
    clients: [],
    until: 1000,
    ...patch,
  });
const line = (event: Record<string, unknown>) => JSON.stringify(event);
const end = line({ t: 999, k: 'end', reason: 'until' });
const traces: Record<string, string[]> = {
  empty: [],
  whitespace: ['   ', '\t', ''],
  'not-json': ['hello world'],
  'json-array': ['[1,2,3]'],
  'no-header': [line({ t: 1, k: 'init', node: 'n1' }), end],
  'other-format': [JSON.stringify({ format: 'jepsen', version: 1 })],
  'version-object': [header({ version: { toString: 'x' } }), end],
  'version-99': [header({ version: 99 }), end],
  'nodes-null': [header({ nodes: null }), end],
  'nodes-numbers': [header({ nodes: [1, 2, 3] }), end],
  'nodes-objects': [header({ nodes: [{ id: 'n1' }] }), end],
  'seed-string': [header({ seed: '<script>alert(1)</script>' }), end],
  'until-string': [header({ until: 'forever' }), end],
  'until-huge': [header({ until: 1e308 }), end],
  'clients-object': [header({ clients: { c1: 1 } }), end],
  'clocks-junk': [header({ clocks: [null, 'n1', [1, 2, 3]] }), end],
  'faults-junk': [header({ faults: [{ at: 1, fault: { type: 'partition' } }, null] }), end],
  'invariants-junk': [header({ invariants: [null, 5] }), end],
  'scenario-object': [header({ scenario: { toString: '<b>x</b>' } }), end],
  'valid-proto-header': ['{"format":"dsim-trace","version":1,"nodes":["n1"],"__proto__":{"polluted":true}}', end],
  't-negative': [header(), line({ t: -5, k: 'init', node: 'n1' }), end],
  't-float': [header(), line({ t: 1.5, k: 'init', node: 'n1' }), end],
  't-huge': [header(), line({ t: 1e308, k: 'init', node: 'n1' }), end],
  't-string': [header(), line({ t: '5', k: 'init', node: 'n1' }), end],
  't-null': [header(), line({ t: null, k: 'init', node: 'n1' }), end],
  'time-backwards': [header(), line({ t: 5, k: 'init', node: 'n1' }), line({ t: 1, k: 'init', node: 'n2' }), end],
  'kind-unknown': [header(), line({ t: 1, k: 'explode' }), end],
  'kind-proto': [header(), line({ t: 1, k: '__proto__' }), end],
  'kind-number': [header(), line({ t: 1, k: 7 }), end],
  'valid-drop-reason-proto': [
    header(),
    line({ t: 1, k: 'send', id: 0, from: 'n1', to: 'n2', desc: 'm' }),
    line({ t: 2, k: 'drop', id: 0, from: 'n1', to: 'n2', reason: '__proto__' }),
    end,
  ],
  'drop-reason-null': [
    header(),
    line({ t: 1, k: 'send', id: 0, from: 'n1', to: 'n2', desc: 'm' }),
    line({ t: 2, k: 'drop', id: 0, from: 'n1', to: 'n2', reason: null }),
    end,
  ],
  'drop-reason-object': [
    header(),
    line({ t: 2, k: 'drop', id: 0, from: 'n1', to: 'n2', reason: { toString: 'x' } }),
    end,
  ],
  'send-id-negative': [header(), line({ t: 1, k: 'send', id: -1, from: 'n1', to: 'n2', desc: 'm' }), end],
  'send-id-huge': [header(), line({ t: 1, k: 'send', id: 1e15, from: 'n1', to: 'n2', desc: 'm' }), end],
  'send-id-string': [header(), line({ t: 1, k: 'send', id: '0', from: 'n1', to: 'n2', desc: 'm' }), end],
  'send-from-null': [header(), line({ t: 1, k: 'send', id: 0, from: null, to: 'n2', desc: 'm' }), end],
  'send-to-array': [header(), line({ t: 1, k: 'send', id: 0, from: 'n1', to: ['n2'], desc: 'm' }), end],
  'send-desc-number': [header(), line({ t: 1, k: 'send', id: 0, from: 'n1', to: 'n2', desc: 5 }), end],
  'deliver-unsent': [header(), line({ t: 1, k: 'deliver', id: 42, from: 'n1', to: 'n2' }), end],
  'deliver-dup-string': [header(), line({ t: 1, k: 'deliver', id: 0, from: 'n1', to: 'n2', dup: 'yes' }), end],
  'timer-node-object': [header(), line({ t: 1, k: 'timer', node: { id: 'n1' }, name: 'x' }), end],
  'timer-name-null': [header(), line({ t: 1, k: 'timer', node: 'n1', name: null }), end],
  'state-summary-null': [header(), line({ t: 1, k: 'state', node: 'n1', summary: null }), end],
  'state-summary-array': [header(), line({ t: 1, k: 'state', node: 'n1', summary: [1] }), end],
  'state-role-object': [header(), line({ t: 1, k: 'state', node: 'n1', summary: { role: { x: 1 } } }), end],
  'invoke-process-string': [header(), line({ t: 1, k: 'invoke', req: 'r', client: 'c1', process: 'p', op: {} }), end],
  'invoke-client-null': [header(), line({ t: 1, k: 'invoke', req: 'r', client: null, process: 0, op: {} }), end],
  'complete-type-bad': [header(), line({ t: 1, k: 'complete', req: 'r', client: 'c1', type: 'maybe' }), end],
  'complete-error-object': [
    header(),
    line({ t: 1, k: 'complete', req: 'r', client: 'c1', type: 'fail', error: {} }),
    end,
  ],
  'fault-null': [header(), line({ t: 1, k: 'fault', fault: null }), end],
  'fault-no-type': [header(), line({ t: 1, k: 'fault', fault: {} }), end],
  'fault-unknown-type': [header(), line({ t: 1, k: 'fault', fault: { type: 'meteor' } }), end],
  'fault-partition-no-groups': [header(), line({ t: 1, k: 'fault', fault: { type: 'partition' } }), end],
  'fault-partition-string-groups': [
    header(),
    line({ t: 1, k: 'fault', fault: { type: 'partition', groups: 'n1|n2' } }),
    end,
  ],
  'fault-bridge-one-group': [
    header(),
    line({ t: 1, k: 'fault', fault: { type: 'bridge', bridge: 'n1', groups: [['n2']] } }),
    end,
  ],
  'fault-cut-null': [header(), line({ t: 1, k: 'fault', fault: { type: 'cut', from: null, to: ['n1'] } }), end],
  'fault-crash-no-node': [header(), line({ t: 1, k: 'fault', fault: { type: 'crash' } }), end],
  'fault-jump-string': [
    header(),
    line({ t: 1, k: 'fault', fault: { type: 'clockJump', node: 'n1', delta: '1s' } }),
    end,
  ],
  'fault-drift-null': [header(), line({ t: 1, k: 'fault', fault: { type: 'clockDrift', node: 'n1', ppm: null } }), end],
  'fault-loss-2': [header(), line({ t: 1, k: 'fault', fault: { type: 'loss', probability: 2 } }), end],
  'fault-desc-object': [header(), line({ t: 1, k: 'fault', fault: { type: 'heal' }, desc: { x: 1 } }), end],
  'clock-offset-string': [header(), line({ t: 1, k: 'clock', node: 'n1', offset: '1s', driftPpm: 0 }), end],
  'clock-drift-null': [header(), line({ t: 1, k: 'clock', node: 'n1', offset: 0, driftPpm: null }), end],
  'note-text-null': [header(), line({ t: 1, k: 'note', text: null }), end],
  'violation-message-number': [header(), line({ t: 1, k: 'violation', invariant: 'x', message: 5 }), end],
  'error-message-array': [header(), line({ t: 1, k: 'error', message: ['x'] }), end],
  'end-reason-null': [header(), line({ t: 1, k: 'end', reason: null })],
  'end-stats-string': [header(), line({ t: 1, k: 'end', reason: 'until', stats: 'none' })],
  'truncated-last-line': [header(), line({ t: 1, k: 'init', node: 'n1' }), '{"t":2,"k":"ini'],
  'no-end': [header(), line({ t: 1, k: 'init', node: 'n1' })],
  'long-string': [header(), line({ t: 1, k: 'note', node: 'n1', text: 'x'.repeat(200_000) }), end],
  'deep-nesting': [
    header(),
    `{"t":1,"k":"note","node":"n1","text":"d","data":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    end,
  ],
  'valid-script-everywhere': [
    header({
      scenario: '<img src=x onerror=alert(1)>',
      protocol: '<script>alert(1)</script>',
      nodes: ['<svg onload=alert(1)>'],
    }),
    line({ t: 1, k: 'note', node: '<svg onload=alert(1)>', text: '<script>alert(2)</script>' }),
    end,
  ],
  'binary-garbage': ['\u0000\u0001\u0002\u00ff'],
};

rmSync(join(root, 'scenarios'), { recursive: true, force: true });
rmSync(join(root, 'traces'), { recursive: true, force: true });
mkdirSync(join(root, 'scenarios'), { recursive: true });
mkdirSync(join(root, 'traces'), { recursive: true });
for (const [name, scenario] of Object.entries(scenarios))
  writeFileSync(join(root, 'scenarios', `${name}.json`), `${JSON.stringify(scenario)}\n`);
for (const [name, text] of Object.entries(raw)) writeFileSync(join(root, 'scenarios', name), text);
for (const [name, text] of Object.entries(ts)) writeFileSync(join(root, 'scenarios', name), `${text}\n`);
for (const [name, lines] of Object.entries(traces))
  writeFileSync(join(root, 'traces', `${name}.jsonl`), lines.length ? `${lines.join('\n')}\n` : '');
console.log(
  `${Object.keys(scenarios).length + Object.keys(raw).length + Object.keys(ts).length} scenarios, ${Object.keys(traces).length} traces`,
);
