import { defineConfig } from '@dsim/cli/config';
import { ring } from './ring.js';

export default defineConfig({ protocols: { ring } });
