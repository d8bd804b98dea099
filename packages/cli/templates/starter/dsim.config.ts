import { defineConfig } from '@dsim/cli/config';
import { ring } from './src/protocol.js';

// The protocols this project's scenarios name: `dsim run`, `dsim sweep` and the property
// runner's replay commands find 'ring' here.
export default defineConfig({ protocols: { ring } });
