/** Small DOM helpers for the webview (no framework, no innerHTML: text goes in as text). */

type Attrs = Record<string, string | number | boolean | undefined | null>;
type Child = Node | string | null | undefined | false;

/** An element with attributes (false/undefined/null ones left out, true ones empty) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
  return el;
}

/** A stable, selector-safe id part for a field name. */
export function idPart(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function setText(el: Element | null | undefined, text: string): void {
  if (el && el.textContent !== text) el.textContent = text;
}

export function show(el: HTMLElement | null | undefined, visible: boolean): void {
  if (el && el.hidden === visible) el.hidden = !visible;
}
