// @ts-check
/** Building elements without innerHTML (text is always text), and keeping keyboard focus across
 * re-renders: an element with `data-key` gets the focus back when it is rebuilt. */

/**
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {(Node | string | null | undefined | false)[]} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") el.className = value;
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** @param {HTMLElement} el @param {(Node | string)[]} children */
export function fill(el, children) {
  el.replaceChildren(...children);
}

/** Re-render `render()` into the page, then give the focus back to the element with the same
 * `data-key` (or, if that is gone, to `fallback(key)`).
 * @param {() => void} render @param {(key: string) => string | null} [fallback] */
export function keepingFocus(render, fallback) {
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const key = active?.dataset?.key;
  render();
  if (!key || document.activeElement !== document.body) return;
  const again = document.querySelector(`[data-key="${CSS.escape(key)}"]`)
    || (fallback && fallback(key) ? document.querySelector(`[data-key="${CSS.escape(fallback(key) || "")}"]`) : null);
  if (again instanceof HTMLElement) again.focus();
}

/** @param {string} id @returns {HTMLElement} */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
}
