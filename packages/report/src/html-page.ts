import { h, renderToString, type ElementNode, type TreeChild } from './element-tree.ts';

/** The reports' own stylesheet: constant text, dark like the app. */
const STYLE = `
body{margin:0;background:#0e1217;color:#d6dde6;font:14px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif}
main{max-width:760px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:28px 0 8px;color:#aab6c4}
.sub{color:#8793a3;margin:0 0 12px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:3px 10px 3px 0;border-bottom:1px solid #1f2731;vertical-align:top}
th{color:#8793a3;font-weight:400}
td.num{font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px;color:#b9c6d6}
.verdict{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:600}
.good{background:#1d3324;color:#7cc58a}.bad{background:#3a1b1f;color:#ff9aa2}
svg.plot{display:block;max-width:100%;height:auto;margin:8px 0;background:#141a21;border-radius:6px}
`;

/**
 * A whole HTML document, self-contained: no script, no external resource, and a
 * Content-Security-Policy that forbids both, so a report opened from disk shows only its data.
 */
export function htmlPage(title: string, ...body: TreeChild[]): string {
  const page: ElementNode = h(
    'html',
    { lang: 'en' },
    h(
      'head',
      {},
      h('meta', { charset: 'utf-8' }),
      h('meta', {
        'http-equiv': 'Content-Security-Policy',
        content: "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', {}, title),
      h('style', {}, STYLE),
    ),
    h('body', {}, h('main', {}, ...body)),
  );
  return `<!doctype html>\n${renderToString(page)}\n`;
}
