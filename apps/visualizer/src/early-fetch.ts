/**
 * The trace the page's URL names (`?trace=<url>`), requested as soon as the page's code starts:
 * main.ts imports this module first, so the download overlaps the evaluation of the rest of the
 * app's code and the building of its views. `take` hands the request over once.
 */
interface EarlyFetch {
  readonly url: string;
  readonly response: Promise<Response>;
  /** performance.now() when the request was made. */
  readonly startedAt: number;
}

let early: EarlyFetch | undefined = (() => {
  const url = new URLSearchParams(location.search).get('trace');
  if (!url) return undefined;
  performance.mark('dsim:fetch');
  const startedAt = performance.now();
  const response = fetch(url);
  // Failures are reported by whoever takes the request; until then they are not unhandled.
  response.catch(() => undefined);
  return { url, response, startedAt };
})();

/** The early request for `url`, if one was made and not yet taken. */
export function takeEarlyFetch(url: string): EarlyFetch | undefined {
  const taken = early?.url === url ? early : undefined;
  early = undefined;
  return taken;
}
