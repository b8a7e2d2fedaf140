/**
 * The case search (GET /api/cases): filters in the query string (a reload or a shared link keeps them),
 * the newest cases first, "more" appending the following page by its cursor (`after`, the answer's
 * `next`), each row opening the case's history.
 */
import { moreButton } from '../shared/more-button.js';
import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { lightBadge, loadInto, statusBadge } from '../shared/layout.js';
import type { CasePage, CaseRow } from './types.js';

const STATUSES = ['reported', 'accepted', 'dispatched', 'handling', 'returned', 'verifying', 'closed', 'rejected', 'shelved', 'merged'];
const CATEGORIES = ['市容环境', '生态环境', '矛盾纠纷', '应急指挥', '住房建设', '食品安全', '其他'];
const CHANNELS = ['hotline', 'photo', 'ai_camera', 'grid_worker', 'leader', 'open311'];
const FILTERS = ['q', 'status', 'category', 'light', 'channel', 'unitId', 'township', 'from', 'to'] as const;
const PAGE_SIZE = 20;

type Filters = Record<(typeof FILTERS)[number], string>;

function readFilters(): Filters {
  const q = new URLSearchParams(location.search);
  return Object.fromEntries(FILTERS.map((k) => [k, q.get(k) ?? ''])) as unknown as Filters;
}

function toQuery(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (f[k].trim()) q.set(k, f[k].trim());
  return q;
}

/** GET /api/cases for the filters: the first page, or the one after `after`. */
function pageQuery(f: Filters, after: string | null): string {
  const q = toQuery(f);
  q.set('pageSize', String(PAGE_SIZE));
  if (after) q.set('after', after);
  return q.toString();
}

const select = (id: string, values: string[], current: string, label: (v: string) => string) =>
  h(
    'select',
    { id, name: id },
    h('option', { value: '' }, t('hi.any')),
    values.map((v) => h('option', { value: v, selected: v === current }, label(v))),
  );

interface UnitRow {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
}

async function fillUnits(unit: HTMLSelectElement, township: HTMLSelectElement, f: Filters): Promise<void> {
  let rows: UnitRow[];
  try {
    rows = (await api<{ items: UnitRow[] }>('/admin/units?pageSize=1000&enabled=true')).items;
  } catch {
    return;
  }
  const options = (list: UnitRow[], value: (u: UnitRow) => string, current: string) => [
    h('option', { value: '' }, t('hi.any')),
    ...list.map((u) => h('option', { value: value(u), selected: value(u) === current }, u.shortName ?? u.name)),
  ];
  unit.replaceChildren(
    ...options(
      rows.filter((u) => u.kind !== 'township' && u.kind !== 'community'),
      (u) => String(u.id),
      f.unitId,
    ),
  );
  township.replaceChildren(
    ...options(
      rows.filter((u) => u.kind === 'township'),
      (u) => u.code,
      f.township,
    ),
  );
}

/** Draws the search form and results into `container`; `open(caseId)` shows a case. */
export function searchView(container: HTMLElement, open: (caseId: string) => void): void {
  let filters = readFilters();
  const results = h('div', { 'data-testid': 'case-results' });
  const q = h('input', { type: 'search', id: 'q', name: 'q', value: filters.q, maxlength: 100, placeholder: t('hi.q.hint') });
  const from = h('input', { type: 'date', id: 'from', name: 'from', value: filters.from });
  const to = h('input', { type: 'date', id: 'to', name: 'to', value: filters.to });
  const status = select('status', STATUSES, filters.status, (v) => t(`status.${v}`));
  const category = select('category', CATEGORIES, filters.category, (v) => v);
  const light = select('light', ['red', 'yellow', 'green'], filters.light, (v) => t(`light.${v}`));
  const channel = select('channel', CHANNELS, filters.channel, (v) => t(`hi.ch.${v}`));
  // units and townships from the registry (every signed-in role may read it); the filter works without them
  const unit = select('unitId', filters.unitId ? [filters.unitId] : [], filters.unitId, (v) => v);
  const township = select('township', filters.township ? [filters.township] : [], filters.township, (v) => v);
  void fillUnits(unit, township, filters);
  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'case-search' },
    h('label', null, t('hi.q'), q),
    h('label', null, t('hi.status'), status),
    h('label', null, t('hi.category'), category),
    h('label', null, t('hi.light'), light),
    h('label', null, t('hi.channel'), channel),
    h('label', null, t('hi.unit'), unit),
    h('label', null, t('hi.township'), township),
    h('label', null, t('hi.from'), from),
    h('label', null, t('hi.to'), to),
    h(
      'span',
      { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('hi.apply')),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            form.reset();
            for (const el of [q, from, to]) el.value = '';
            for (const s of [status, category, light, channel, unit, township]) s.value = '';
            form.requestSubmit();
          },
        },
        t('hi.reset'),
      ),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filters = {
      q: q.value,
      status: status.value,
      category: category.value,
      light: light.value,
      channel: channel.value,
      unitId: unit.value,
      township: township.value,
      from: from.value,
      to: to.value,
    };
    go();
  });
  const go = () => {
    const search = toQuery(filters).toString();
    history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
    void loadInto(results, load);
  };
  const row = (c: CaseRow) =>
    h(
      'tr',
      {
        'data-case': c.caseNo,
        tabindex: 0,
        onclick: () => open(c.id),
        onkeydown: (e: Event) => {
          if ((e as KeyboardEvent).key === 'Enter') open(c.id);
        },
      },
      h('td', null, lightBadge(c.light)),
      h('td', null, h('a', { href: `#case=${encodeURIComponent(c.id)}` }, c.caseNo), h('div', { class: 'muted small-text' }, c.description.slice(0, 40))),
      h('td', null, statusBadge(c.status)),
      h('td', null, c.eventTypeName ?? c.category ?? '—'),
      h('td', null, c.unitName ?? '—'),
      h('td', null, t(`hi.ch.${c.channel}`)),
      h('td', null, formatDateTime(c.createdAt)),
      h('td', null, formatDateTime(c.dueAt)),
    );
  const load = async () => {
    const first = await api<CasePage>(`/cases?${pageQuery(filters, null)}`);
    const tbody = h('tbody', null, first.items.map(row));
    const table = h(
      'table',
      { class: 'cases' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['light', 'caseNo', 'status', 'type', 'unit', 'channel', 'created', 'due'].map((c) => h('th', null, t(`hi.col.${c}`))),
        ),
      ),
      tbody,
    );
    // "more" appends the page after the last one shown, by the cursor the server gave with it
    const next = first.next;
    const { box: moreBox, failed: moreFailed } = moreButton({
      next,
      label: t('hi.more'),
      testId: 'case-more',
      loadAfter: async (cursor) => {
        const page = await api<CasePage>(`/cases?${pageQuery(filters, cursor)}`);
        tbody.append(...page.items.map(row));
        return page.next;
      },
    });
    const total = first.total ?? first.items.length;
    replace(
      results,
      h('p', { class: 'muted', 'data-testid': 'case-count' }, t(first.totalCapped ? 'hi.count.capped' : 'hi.count', { n: total })),
      // a page may come back short with more to follow (README, Paging): the table stays for "more" to fill
      first.items.length || next ? table : h('p', { class: 'notice' }, t('hi.none')),
      moreBox,
      moreFailed,
    );
  };
  replace(container, h('h1', null, t('hi.title')), form, results);
  void loadInto(results, load);
}
