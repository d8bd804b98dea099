/**
 * A small element tree that renders two ways: to an escaped markup string in Node (the report
 * file) and to real nodes with createElementNS in the browser (the app, where a lint rule forbids
 * innerHTML because a trace is untrusted input). Every string is data: it becomes a text node or
 * an attribute value, never markup.
 */
export interface ElementNode {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly children: readonly TreeChild[];
}
export type TreeChild = ElementNode | string | number;

export const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

/** Builds a node; `undefined`, `null` and `false` children are left out, arrays are flattened. */
export function h(
  tag: string,
  attributes: Readonly<Record<string, string | number | undefined>> = {},
  ...children: Array<TreeChild | readonly TreeChild[] | undefined | null | false>
): ElementNode {
  const kept: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) kept[name] = value;
  const flat: TreeChild[] = [];
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) flat.push(...(child as TreeChild[]));
    else flat.push(child as TreeChild);
  }
  return { tag, attributes: kept, children: flat };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

const NAME = /^[a-zA-Z][a-zA-Z0-9:-]*$/;
const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'col']);

/** Markup for a tree; tag and attribute names are checked, every value escaped. */
export function renderToString(node: TreeChild): string {
  if (typeof node === 'string') return escapeText(node);
  if (typeof node === 'number') return escapeText(formatNumber(node));
  if (!NAME.test(node.tag)) throw new Error(`element name '${node.tag}' is not a plain tag name`);
  let out = `<${node.tag}`;
  for (const [name, value] of Object.entries(node.attributes)) {
    if (!NAME.test(name) || /^on/i.test(name))
      throw new Error(`attribute '${name}' on <${node.tag}> is not allowed (plain names only, no event handlers)`);
    out += ` ${name}="${escapeText(typeof value === 'number' ? formatNumber(value) : value)}"`;
  }
  if (VOID.has(node.tag) && node.children.length === 0) return `${out}>`;
  out += '>';
  // The contents of <style> are the report's own constant CSS; it is still escaped-safe: no '<'.
  if (node.tag === 'style') {
    const css = node.children.join('');
    if (css.includes('<')) throw new Error('a <style> element must not contain "<"');
    return `${out}${css}</style>`;
  }
  for (const child of node.children) out += renderToString(child);
  return `${out}</${node.tag}>`;
}

/** The part of a DOM Document this module uses (so it compiles and runs without a DOM in Node). */
export interface DomDocument<N> {
  createElementNS(
    namespace: string,
    tag: string,
  ): N & { setAttribute(name: string, value: string): void; appendChild(child: N): unknown };
  createTextNode(text: string): N;
}

/** Real DOM nodes for a tree, SVG elements in the SVG namespace. */
export function renderToDom<N>(node: TreeChild, document: DomDocument<N>, inSvg = false): N {
  if (typeof node !== 'object') return document.createTextNode(typeof node === 'number' ? formatNumber(node) : node);
  const svg = inSvg || node.tag === 'svg';
  const element = document.createElementNS(svg ? SVG_NAMESPACE : XHTML_NAMESPACE, node.tag);
  for (const [name, value] of Object.entries(node.attributes)) {
    if (/^on/i.test(name)) continue;
    element.setAttribute(name, typeof value === 'number' ? formatNumber(value) : value);
  }
  for (const child of node.children) element.appendChild(renderToDom(child, document, svg));
  return element;
}

/** Coordinates with two decimals at most: smaller files, identical output in Node and browsers. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}
