/**
 * Builds DOM nodes from data without ever parsing it as HTML: every string becomes a text node or
 * an attribute value. A trace is untrusted input (it may come from a link), so the app never
 * assigns `innerHTML` (a lint rule forbids it) and always builds its markup here.
 */
export type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'style') element.style.cssText = value;
    else element.setAttribute(name, value);
  }
  append(element, ...children);
  return element;
}

/** Appends children, strings and numbers as text. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content with the children given. */
export function replaceContent(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}
