import tseslint from 'typescript-eslint';

// Determinism is sacred: the kernel, the checkers and the protocols must never read wall-clock
// time, global randomness or host timers. Every run must be a pure function of scenario + seed.
const nondeterminism =
  'is forbidden here: it makes runs depend on the machine. Use the simulation clock (ctx.now()), ctx.setTimer, or a seeded stream (ctx.random, createRandom).';

const noNewDate = { selector: "NewExpression[callee.name='Date']", message: `new Date() ${nondeterminism}` };

// Protocol handlers are pure functions of their state and context: per-run state belongs to the
// run (the node's state, or an invariant's run memory), never to the module, where it would leak
// between runs, nodes and worker threads.
const moduleState =
  'Module-level mutable state in a protocol: keep it in the node state, or in an invariant run memory (defineMemory).';
const topLevel = ['Program > VariableDeclaration', 'Program > ExportNamedDeclaration > VariableDeclaration'];
const noModuleState = topLevel.flatMap((declaration) => [
  { selector: `${declaration}[kind='let']`, message: moduleState },
  {
    selector: `${declaration} > VariableDeclarator > NewExpression[callee.name=/^(Map|WeakMap|WeakSet|Set)$/][arguments.length=0]`,
    message: moduleState,
  },
  { selector: `${declaration} > VariableDeclarator > ArrayExpression[elements.length=0]`, message: moduleState },
]);

export default tseslint.config(
  // The hostile corpus is malformed on purpose.
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'docs/api/**',
      'apps/*/dist/**',
      '.dsim/**',
      'traces/**',
      'test/hostile/scenarios/**',
    ],
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {},
  },
  {
    files: [
      'packages/core/src/**/*.ts',
      'packages/check/src/**/*.ts',
      'packages/services/src/**/*.ts',
      'packages/protocols/*/src/**/*.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: `Math.random ${nondeterminism}` },
        { object: 'Date', property: 'now', message: `Date.now ${nondeterminism}` },
        { object: 'performance', property: 'now', message: `performance.now ${nondeterminism}` },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: `setTimeout ${nondeterminism}` },
        { name: 'setInterval', message: `setInterval ${nondeterminism}` },
        { name: 'setImmediate', message: `setImmediate ${nondeterminism}` },
        { name: 'crypto', message: `crypto ${nondeterminism}` },
        { name: 'performance', message: `performance ${nondeterminism}` },
      ],
      'no-restricted-syntax': ['error', noNewDate],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads'],
              message: 'The kernel, checkers and protocols run in the browser too: no Node built-ins.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/services/src/**/*.ts', 'packages/protocols/*/src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', noNewDate, ...noModuleState] },
  },
  {
    // The visualizer shows untrusted traces: text goes into the DOM as text, never parsed as HTML.
    files: ['apps/*/src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML'].map((property) => ({
          property,
          message: `${property} parses data as HTML; build nodes with el() from app/dom.ts (trace data must go in as text).`,
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/]',
          message: 'Parsing strings as HTML is forbidden in the app: build nodes with el() from app/dom.ts.',
        },
        {
          selector: "CallExpression[callee.property.name='html']",
          message: "d3's .html() parses data as HTML: use .text() or el() from app/dom.ts.",
        },
      ],
    },
  },
);
