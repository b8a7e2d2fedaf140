import { errorBox } from './layout.js';
import { h, replace } from './dom.js';

/**
 * The "more" of a list that pages by cursor (README, Paging): a button that fetches the page after the
 * last one shown and appends its rows, hidden once `next` is null, with a place for the error of a
 * failed fetch. A page may come back short with more to follow: the button stays while `next` does.
 */
export function moreButton(options: {
  next: string | null;
  label: string;
  testId: string;
  /** fetches the page at `cursor`, appends its rows and returns its `next` */
  loadAfter: (cursor: string) => Promise<string | null>;
}): { box: HTMLElement; failed: HTMLElement } {
  let next = options.next;
  const more = h('button', { type: 'button', 'data-testid': options.testId }, options.label);
  const box = h('div', { class: 'pager' }, more);
  const failed = h('div', { 'aria-live': 'polite' });
  box.hidden = !next;
  more.addEventListener('click', () => {
    if (!next) return;
    more.disabled = true;
    options.loadAfter(next).then(
      (following) => {
        next = following;
        more.disabled = false;
        box.hidden = !next;
        replace(failed);
      },
      (err: unknown) => {
        more.disabled = false;
        replace(failed, errorBox(err));
      },
    );
  });
  return { box, failed };
}
