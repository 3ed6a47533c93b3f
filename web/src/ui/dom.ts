/**
 * A small element builder: text is always set as text (never parsed as HTML), so nothing a
 * document or a log says can inject markup into the page.
 */

/** Attributes and properties of {@link el}: strings become attributes; `false` omits one. */
export type Attributes = Record<string, string | number | boolean | undefined>;

/** A child: an element, text, or nothing. */
export type Child = Node | string | null | undefined | false;

/** Creates `<tag>` with `attrs` and `children`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);

  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** Looks up the element with `id`; throws when the page lacks it, which is a wiring bug. */
export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`invariant violated: the page has no #${id}`);
  return node as T;
}
