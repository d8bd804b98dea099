import { defineConfig } from 'vitest/config';

/**
 * Tests run the packages from their TypeScript sources: every @dsim/* package exports its
 * src/index.ts under the "@dsim/source" condition (and its built dist/ to everyone else). These
 * lists are Vite's defaults with that condition in front.
 */
const SOURCE_CONDITION = '@dsim/source';

export default defineConfig({
  resolve: { conditions: [SOURCE_CONDITION, 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, 'module', 'node', 'development|production'] } },
  test: {
    include: ['packages/**/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // Simulations are CPU-bound; two workers match the CI machine's two cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
