import type { AnyProtocol, ProtocolRegistry } from '@dsim/core';
import { heartbeat } from '@dsim/heartbeat';
import { pingpong } from '@dsim/pingpong';

/**
 * Every protocol dsim ships, by the name a scenario uses. Browser-safe: the visualizer's worker
 * imports it too, so a scenario resolves to the same code in Node and in the browser.
 */
export const registry: ProtocolRegistry = {
  heartbeat: heartbeat as AnyProtocol,
  pingpong: pingpong as AnyProtocol,
};

export default registry;
