/**
 * Translates the fixed English wording of a third-party widget that has no translation hook (form-js's
 * editor, its viewer's pickers) where it is drawn: every text node and title/placeholder/aria-label
 * attribute under a root whose whole (trimmed) text is a dictionary entry, or matches one of the patterns,
 * is replaced, now and whenever the widget draws again. Only whole texts are replaced, so user data (labels
 * the user typed, values) is left alone unless it is exactly one of the widget's own phrases; editable
 * content (inputs, the FEEL editor's contenteditable) and anything under `translate="no"` is never touched.
 *
 * Preact, which draws these widgets, compares new text with what it drew last time (not with the DOM), so a
 * replaced text stays until the widget itself changes it, and then it is translated again.
 */
export interface Dictionary {
  /** whole texts → their translation */
  exact: Record<string, string>;
  /** texts with a variable part, tried in order when there is no exact entry */
  patterns?: Array<[RegExp, (...groups: string[]) => string]>;
}

const ATTRIBUTES = ['title', 'placeholder', 'aria-label'];

export function translateText(text: string, dict: Dictionary): string | null {
  const key = text.trim();
  if (!key || !/[A-Za-z]/.test(key)) return null;
  const exact = dict.exact[key];
  if (exact !== undefined) return text.replace(key, exact);
  for (const [re, to] of dict.patterns ?? []) {
    const m = re.exec(key);
    if (m) return text.replace(key, to(...m.slice(1)));
  }
  return null;
}

const untouchable = (el: Element | null) => !el || !!el.closest('[translate="no"], [contenteditable=""], [contenteditable="true"], textarea, script, style');

function translateNode(node: Node, dict: Dictionary, deep = true): void {
  if (node.nodeType === Node.TEXT_NODE) {
    if (untouchable(node.parentElement)) return;
    const next = translateText(node.nodeValue ?? '', dict);
    if (next !== null && next !== node.nodeValue) node.nodeValue = next;
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const el = node as Element;
  if (untouchable(el)) return;
  for (const name of ATTRIBUTES) {
    const value = el.getAttribute(name);
    if (value === null) continue;
    const next = translateText(value, dict);
    if (next !== null && next !== value) el.setAttribute(name, next);
  }
  if (deep) for (const child of Array.from(el.childNodes)) translateNode(child, dict);
}

/** Translates what is under `root` now and keeps translating what is drawn there later; returns the stop function. */
export function translateDom(root: Element, dict: Dictionary): () => void {
  translateNode(root, dict);
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') translateNode(r.target, dict);
      else if (r.type === 'attributes') translateNode(r.target, dict, false);
      else r.addedNodes.forEach((n) => translateNode(n, dict));
    }
  });
  observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES });
  return () => observer.disconnect();
}
