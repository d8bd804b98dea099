import type { AnyProtocol } from '@dsim/core';
import { registry as builtIn } from '@dsim/registry';

/**
 * Where `dsim view` serves the protocols of the project it runs in, bundled for the browser
 * (packages/cli/src/browser-protocols.ts). Served elsewhere (Vite, a static host) the module is
 * absent, and the built-in protocols are all there is.
 */
const PROJECT_PROTOCOLS_PATH = '/dsim-project/protocols.js';

/**
 * The protocols the page and its run worker can run: the built-in ones, joined by the project's
 * once `protocolsReady` settles (the page asks for them when it starts).
 */
export const protocols: Record<string, AnyProtocol> = { ...builtIn };

export const protocolsReady: Promise<Readonly<Record<string, AnyProtocol>>> = (async () => {
  try {
    const url = new URL(PROJECT_PROTOCOLS_PATH, globalThis.location.origin).href;
    const module = (await import(/* @vite-ignore */ url)) as { protocols?: Record<string, AnyProtocol> };
    for (const [name, protocol] of Object.entries(module.protocols ?? {}))
      if (!Object.hasOwn(builtIn, name)) protocols[name] = protocol;
  } catch {
    // Not served by `dsim view`: the built-in protocols only.
  }
  return protocols;
})();
