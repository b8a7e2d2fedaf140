/**
 * 待办任务: the unit's inbox (GET /api/tasks, unit-scoped by the server) with filters and the 督办 lights;
 * a task opens beside the list with claim/release, its form (form-js) and the case (location, timeline).
 * The filters live in the query string and the open task in the hash, so a reload keeps both.
 */
import { moreButton } from '../shared/more-button.js';
import './messages.js';
import './tasks.css';
import { api, errorText, type Role, type User } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { errorBox, lightBadge, loadInto, loginName, startPage } from '../shared/layout.js';
import { casePanel } from './case-panel.js';
import { redispatchPanel } from './redispatch-panel.js';
import type { StuckCases, TaskDetail, TaskPage, TaskSummary } from './types.js';

const PAGE_SIZE = 20;
const WRITERS: readonly Role[] = ['admin', 'operator', 'dept_staff', 'dept_leader', 'grid_worker'];
/** 0–100 (processes/README.md): a leader's 交办 is high; the demo's and the intake's default is 50 */
const HIGH_PRIORITY = 80;
const LOW_PRIORITY = 20;
const priorityLabel = (p: number) => t(p >= HIGH_PRIORITY ? 'tk.priority.high' : p <= LOW_PRIORITY ? 'tk.priority.low' : 'tk.priority.normal');

/** who may release a task someone else claimed (the server decides; this only shows the button) */
const RELEASERS: readonly Role[] = ['admin', 'dept_leader', 'operator'];

interface Filters {
  status: string;
  light: string;
  dueSoon: boolean;
  overdue: boolean;
  unit: string;
  category: string;
}

function readFilters(): Filters {
  const q = new URLSearchParams(location.search);
  return {
    status: q.get('status') ?? 'created',
    light: q.get('light') ?? '',
    dueSoon: q.get('dueSoon') === '1',
    overdue: q.get('overdue') === '1',
    unit: q.get('unit') ?? '',
    category: q.get('category') ?? '',
  };
}

function writeFilters(f: Filters): void {
  const q = new URLSearchParams();
  if (f.status !== 'created') q.set('status', f.status);
  if (f.light) q.set('light', f.light);
  if (f.dueSoon) q.set('dueSoon', '1');
  if (f.overdue) q.set('overdue', '1');
  if (f.unit) q.set('unit', f.unit);
  if (f.category) q.set('category', f.category);
  const search = q.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
}

/** GET /api/tasks for the filters: the first page, or the one after the cursor `after`. */
function apiQuery(f: Filters, after: string | null = null): string {
  const q = new URLSearchParams({ status: f.status, limit: String(PAGE_SIZE) });
  if (after) q.set('after', after);
  if (f.light) q.set('light', f.light);
  if (f.overdue) q.set('overdue', 'true');
  else if (f.dueSoon) q.set('dueSoon', 'true');
  if (f.unit) q.set('unit', f.unit);
  if (f.category) q.set('category', f.category);
  return q.toString();
}

/** Fills the category filter with the catalogue's categories (in catalogue order), keeping the chosen one. */
async function loadCategories(select: HTMLSelectElement, chosen: string): Promise<void> {
  let categories: string[];
  try {
    const page = await api<{ items: { category: string }[] }>('/admin/event-types?pageSize=1000');
    categories = [...new Set(page.items.map((i) => i.category).filter(Boolean))];
  } catch {
    return;
  }
  if (chosen && !categories.includes(chosen)) categories.push(chosen);
  replace(
    select,
    h('option', { value: '' }, t('tk.any')),
    categories.map((c) => h('option', { value: c, selected: c === chosen }, c)),
  );
}

/**
 * The units to filter by, named (the registry's enabled units; the filter sends the code). Typing a code
 * was the only way before, and 城管局 typed in gave a validation error.
 */
async function loadUnits(select: HTMLSelectElement, chosen: string): Promise<void> {
  let units: { code: string; name: string; shortName: string | null }[];
  try {
    units = (await api<{ items: { code: string; name: string; shortName: string | null }[] }>('/admin/units?pageSize=1000&enabled=true')).items;
  } catch {
    return;
  }
  replace(
    select,
    h('option', { value: '' }, t('tk.any')),
    units.map((u) => h('option', { value: u.code, selected: u.code === chosen }, u.shortName ?? u.name)),
    chosen && !units.some((u) => u.code === chosen) ? h('option', { value: chosen, selected: true }, chosen) : null,
  );
}

const openKey = () => /^#task=(\d{1,20})$/.exec(location.hash)?.[1] ?? null;

const frame = startPage('tasks', { wide: true });
if (frame) start(frame.main, frame.user!);

function start(main: HTMLElement, user: User): void {
  let filters = readFilters();
  const flash = h('div', { 'aria-live': 'polite', 'data-testid': 'flash' });
  const listBox = h('div', { 'data-testid': 'task-list' });
  const detailBox = h('div', { class: 'task-detail', 'data-testid': 'task-detail' });

  const status = h(
    'select',
    { id: 'f-status' },
    ['created', 'completed', 'cancelled'].map((s) => h('option', { value: s, selected: s === filters.status }, t(`tk.status.${s}`))),
  );
  const light = h(
    'select',
    { id: 'f-light' },
    h('option', { value: '' }, t('tk.any')),
    ['red', 'yellow', 'green'].map((l) => h('option', { value: l, selected: l === filters.light }, t(`light.${l}`))),
  );
  const dueSoon = h('input', { type: 'checkbox', id: 'f-dueSoon', checked: filters.dueSoon });
  const overdue = h('input', { type: 'checkbox', id: 'f-overdue', checked: filters.overdue });
  // the categories come from the catalogue (event types carry theirs); the current one stays selectable if that fails
  const category = h(
    'select',
    { id: 'f-category', 'data-testid': 'f-category' },
    h('option', { value: '' }, t('tk.any')),
    filters.category ? h('option', { value: filters.category, selected: true }, filters.category) : null,
  );
  void loadCategories(category, filters.category);
  const unit = h(
    'select',
    { id: 'f-unit', 'data-testid': 'f-unit' },
    h('option', { value: '' }, t('tk.any')),
    filters.unit ? h('option', { value: filters.unit, selected: true }, filters.unit) : null,
  );
  const filterForm = h(
    'form',
    { class: 'filters', 'data-testid': 'filters' },
    h('label', null, t('tk.status'), status),
    h('label', null, t('tk.light'), light),
    h('label', null, t('tk.category'), category),
    h('label', { class: 'check' }, dueSoon, t('tk.dueSoon')),
    h('label', { class: 'check' }, overdue, t('tk.overdue')),
    // unit-scoped roles only ever see their own unit: the server ignores other units for them
    user.role === 'dept_staff' || user.role === 'dept_leader' ? null : h('label', null, t('tk.unit'), unit),
    h('button', { type: 'submit', class: 'primary' }, t('tk.apply')),
  );
  filterForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filters = { status: status.value, light: light.value, dueSoon: dueSoon.checked, overdue: overdue.checked, unit: unit.value, category: category.value };
    writeFilters(filters);
    void loadList();
  });
  if (user.role !== 'dept_staff' && user.role !== 'dept_leader') void loadUnits(unit, filters.unit);
  for (const input of [status, light, category, unit, dueSoon, overdue]) input.addEventListener('change', () => filterForm.requestSubmit());

  // the centre's inbox also shows the cases the engine stopped on an incident: they wait at no task
  const seesStuck = user.role === 'admin' || user.role === 'operator';
  const stuckBox = h('section', { class: 'stuck-cases', 'data-testid': 'stuck-cases', hidden: true });
  replace(
    main,
    h(
      'div',
      { class: 'tasks-head' },
      h('h1', null, t('tk.title')),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            void loadList();
            if (seesStuck) void loadStuck();
          },
        },
        t('tk.refresh'),
      ),
    ),
    stuckBox,
    filterForm,
    flash,
    h('div', { class: 'tasks-layout' }, h('section', { class: 'task-list-col' }, listBox), h('section', { class: 'task-detail-col' }, detailBox)),
  );

  async function loadStuck(): Promise<void> {
    let stuck: StuckCases;
    try {
      stuck = await api<StuckCases>('/tasks/incidents');
    } catch {
      return; // the inbox works without it
    }
    stuckBox.hidden = stuck.total === 0;
    replace(
      stuckBox,
      h('h2', null, t('tk.stuck.title', { n: stuck.total })),
      h(
        'p',
        { class: 'muted small' },
        t(user.role === 'admin' ? 'tk.stuck.admin' : 'tk.stuck.operator'),
        ' ',
        user.role === 'admin' ? h('a', { href: '/operations/' }, t('tk.stuck.operations')) : null,
      ),
      h(
        'ul',
        null,
        stuck.items.map((c) =>
          h(
            'li',
            { 'data-case': c.caseNo },
            h('a', { href: `/history/#case=${encodeURIComponent(c.caseId)}` }, c.caseNo),
            ' · ',
            t('tk.stuck.since', { when: formatDateTime(c.since) }),
            // the engine's own words and element id are data, not interface text
            ...c.incidents.map((i) => h('div', { class: 'small', 'data-testid': 'stuck-incident', title: i.elementId, translate: 'no' }, i.errorMessage)),
          ),
        ),
      ),
    );
  }
  if (seesStuck) void loadStuck();

  async function loadList(): Promise<void> {
    await loadInto(listBox, async () => {
      renderList(await api<TaskPage>(`/tasks?${apiQuery(filters)}`));
    });
  }

  const taskRow = (task: TaskSummary, current: string | null) =>
    h(
      'tr',
      {
        class: task.userTaskKey === current ? 'selected' : null,
        'data-task': task.userTaskKey,
        'data-case': task.caseNo ?? '',
        tabindex: 0,
        onclick: () => {
          location.hash = `task=${task.userTaskKey}`;
        },
        onkeydown: (ev: Event) => {
          if ((ev as KeyboardEvent).key === 'Enter') location.hash = `task=${task.userTaskKey}`;
        },
      },
      h('td', null, lightBadge(task.light)),
      h(
        'td',
        {
          'data-testid': 'task-priority',
          'data-priority': task.casePriority ?? task.priority,
          class: (task.casePriority ?? task.priority) >= HIGH_PRIORITY ? 'priority-high' : null,
        },
        priorityLabel(task.casePriority ?? task.priority),
      ),
      h('td', null, task.name),
      h('td', null, task.caseNo ?? '—'),
      h('td', { 'data-testid': 'task-category' }, task.category ?? '—'),
      h('td', null, task.unitCode ?? '—'),
      h('td', { class: task.light === 'red' ? 'overdue' : null, 'data-testid': 'task-due' }, formatDateTime(task.dueAt)),
      h('td', null, task.assignee ? loginName(task.assignee) : h('span', { class: 'muted' }, t('tk.unclaimed'))),
    );

  function renderList(first: TaskPage): void {
    const current = openKey();
    const tbody = h(
      'tbody',
      null,
      first.tasks.map((task) => taskRow(task, current)),
    );
    // "more" appends the page after the last one shown, by the cursor the server gave with it
    const next = first.next;
    const { box: moreBox, failed: moreFailed } = moreButton({
      next,
      label: t('tk.more'),
      testId: 'task-more',
      loadAfter: async (cursor) => {
        const page = await api<TaskPage>(`/tasks?${apiQuery(filters, cursor)}`);
        tbody.append(...page.tasks.map((task) => taskRow(task, openKey())));
        return page.next;
      },
    });
    const total = first.total ?? first.tasks.length;
    replace(
      listBox,
      h('p', { class: 'muted', 'data-testid': 'task-count' }, t(first.totalCapped ? 'tk.count.capped' : 'tk.count', { n: total })),
      first.tasks.length === 0 && !next
        ? h('p', { class: 'notice' }, t('tk.none'))
        : h(
            'table',
            { class: 'tasks' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['tk.col.light', 'tk.col.priority', 'tk.col.task', 'tk.col.case', 'tk.col.category', 'tk.col.unit', 'tk.col.due', 'tk.col.assignee'].map((k) =>
                  h('th', null, t(k)),
                ),
              ),
            ),
            tbody,
          ),
      moreBox,
      moreFailed,
    );
  }

  async function loadDetail(): Promise<void> {
    const key = openKey();
    for (const row of listBox.querySelectorAll('tr[data-task]')) row.classList.toggle('selected', row.getAttribute('data-task') === key);
    if (!key) return replace(detailBox, h('p', { class: 'muted' }, t('tk.select')));
    await loadInto(detailBox, async () => {
      const detail = await api<TaskDetail>(`/tasks/${key}`);
      if (openKey() === key) await renderDetail(detail);
    });
  }

  async function act(key: string, action: 'claim' | 'unclaim'): Promise<void> {
    try {
      await api(`/tasks/${key}/${action}`, { method: 'POST' });
      replace(flash, h('p', { class: 'notice ok' }, t(action === 'claim' ? 'tk.claimed' : 'tk.released')));
    } catch (err) {
      replace(flash, errorBox(err));
    }
    await Promise.all([loadList(), loadDetail()]);
  }

  async function renderDetail(detail: TaskDetail): Promise<void> {
    const task = detail.task;
    const open = task.state === 'created';
    const writer = WRITERS.includes(user.role);
    const mine = task.assignee === user.username;
    const takenByOther = !!task.assignee && !mine;
    const canAct = open && writer && !takenByOther;
    const formBox = h('div', { class: 'panel' });
    const notes = [!open ? h('p', { class: 'notice' }, t('tk.finished')) : null, open && !writer ? h('p', { class: 'notice' }, t('tk.readonly')) : null];
    replace(
      detailBox,
      h(
        'section',
        { class: 'panel task-head', 'data-testid': 'task-head' },
        h('h2', null, lightBadge(task.light), ' ', task.name, ' · ', task.caseNo ?? ''),
        h(
          'p',
          { class: 'muted' },
          t('tk.due', { at: formatDateTime(task.dueAt) }),
          ' · ',
          h('span', { 'data-testid': 'task-assignee' }, task.assignee ? [t('tk.assignee', { name: '' }), loginName(task.assignee)] : t('tk.unclaimed')),
        ),
        notes,
        open && writer
          ? h(
              'div',
              { class: 'actions' },
              !task.assignee
                ? h('button', { type: 'button', class: 'primary', 'data-testid': 'claim', onclick: () => void act(task.userTaskKey, 'claim') }, t('tk.claim'))
                : null,
              task.assignee && (mine || RELEASERS.includes(user.role))
                ? h('button', { type: 'button', 'data-testid': 'unclaim', onclick: () => void act(task.userTaskKey, 'unclaim') }, t('tk.unclaim'))
                : null,
            )
          : null,
      ),
      h(
        'div',
        { class: 'detail-grid' },
        h(
          'div',
          null,
          formBox,
          detail.redispatchable && detail.case
            ? redispatchPanel(detail.case, (message) => {
                replace(flash, h('p', { class: 'notice ok', 'data-testid': 'redispatched' }, message));
                history.replaceState(null, '', `${location.pathname}${location.search}`);
                replace(detailBox, h('p', { class: 'muted' }, t('tk.select')));
                void loadList();
              })
            : null,
        ),
        detail.case ? casePanel(detail.case) : null,
      ),
    );
    try {
      // form-js (most of the page's weight) loads when a task opens, not at the inbox's first paint
      const { taskForm } = await import('./task-form.js');
      await taskForm(formBox, {
        detail,
        canAct,
        onCompleted: (message) => {
          replace(flash, h('p', { class: 'notice ok', 'data-testid': 'completed' }, message));
          history.replaceState(null, '', `${location.pathname}${location.search}`);
          replace(detailBox, h('p', { class: 'muted' }, t('tk.select')));
          void loadList();
        },
      });
    } catch (err) {
      replace(formBox, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
    }
  }

  window.addEventListener('hashchange', () => void loadDetail());
  void loadList().then(() => loadDetail());
}
