/**
 * 案卷历史 for auditors: search cases, then one case's full history — timeline, the diagram with the path
 * it took, variables per step, the audit chain's state and CSV exports. The open case lives in the hash
 * (`#case=<id>`, as the task page links to it), the search filters in the query string.
 */
import './messages.js';
import './history.css';
import { h, replace } from '../shared/dom.js';
import { loadInto, startPage } from '../shared/layout.js';
import { caseView } from './case-view.js';
import { searchView } from './search.js';

const openCase = () => /^#case=(\d{1,19})$/.exec(location.hash)?.[1] ?? null;

const frame = startPage('history', { wide: true });
if (frame) {
  const user = frame.user!;
  const box = h('div');
  replace(frame.main, box);
  const route = () => {
    const id = openCase();
    if (id)
      void loadInto(box, () =>
        caseView(box, user, id, () => {
          location.hash = '';
        }),
      );
    else
      searchView(box, (caseId) => {
        location.hash = `case=${caseId}`;
      });
  };
  window.addEventListener('hashchange', route);
  route();
}
