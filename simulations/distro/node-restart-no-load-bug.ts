import { defineScenario } from '@dsim/core';
import base from './node-restart-load.ts';

/** The same restart with noLoadOnStart: n3 serves an empty registry at once (starts-serving-with-data). */
export default defineScenario({
  ...base,
  name: 'distro-node-restart-no-load-bug',
  description: 'noLoadOnStart: the restarted node serves reads from an empty registry',
  bugs: ['noLoadOnStart'],
});
