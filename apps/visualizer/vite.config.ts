import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const workspace = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The visualizer is a static app: `base: './'` lets `dsim view` and the tests serve `dist/` from
 * any path. The worker is an ES module so it can share @dsim/core with the page.
 */
export default defineConfig({
  root,
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000, reportCompressedSize: false },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', fs: { allow: [workspace] } },
  logLevel: 'warn',
});
