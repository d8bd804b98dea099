import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const workspace = fileURLToPath(new URL('../..', import.meta.url));

const SIMULATIONS = fileURLToPath(new URL('../../simulations', import.meta.url));
const VIRTUAL = 'virtual:dsim-scenarios';

/**
 * `virtual:dsim-scenarios`: the shipped scenario files (every `.ts` file under simulations/, which
 * holds scenarios only), found at build time.
 */
function shippedScenarios(): Plugin {
  const files = (): string[] => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) found.push(path);
      }
    };
    walk(SIMULATIONS);
    return found.sort();
  };
  return {
    name: 'dsim-scenarios',
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : undefined),
    load(id) {
      if (id !== `\0${VIRTUAL}`) return undefined;
      const list = files();
      for (const file of list) this.addWatchFile(file);
      const imports = list.map((file, i) => `import * as m${i} from ${JSON.stringify(file)};`).join('\n');
      const entries = list
        .map((file, i) => `  ${JSON.stringify(relative(SIMULATIONS, file).replace(/\\/g, '/'))}: m${i},`)
        .join('\n');
      return `${imports}\nexport const modules = {\n${entries}\n};\n`;
    },
  };
}

/**
 * The visualizer is a static app: `base: './'` lets `dsim view` and the tests serve `dist/` from
 * any path. The worker is an ES module so it can share @dsim/core with the page.
 */
export default defineConfig({
  root,
  base: './',
  // The workspace's packages run from their TypeScript sources (their "@dsim/source" export).
  resolve: { conditions: ['@dsim/source', 'module', 'browser', 'development|production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  plugins: [shippedScenarios()],
  worker: { format: 'es', plugins: () => [shippedScenarios()] },
  server: { host: '127.0.0.1', fs: { allow: [workspace] } },
  logLevel: 'warn',
});
