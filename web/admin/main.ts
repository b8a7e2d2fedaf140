/**
 * 基础数据管理: units, grids, users, the catalogue (event types with stage limits, governance items),
 * routing rules and calendar days. Each is a searchable, paged list with create/edit forms (the server's
 * field errors beside the fields) and delete, where a record still in use is explained and, where it
 * can be switched off, disabling is offered instead. Users also get a password reset shown once.
 * The open list is in the hash (`#users`). Administrators write; auditors and operators look.
 */
import './messages.js';
import './admin.css';
import { ApiError, api, type User } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { errorBox, loadInto, startPage } from '../shared/layout.js';
import { classifierSection } from './classifier-section.js';
import { nationalDaysSection } from './national-days.js';
import { recordForm, type RecordData } from './record-form.js';
import { RESOURCES, type Column, type Resource } from './resources.js';

const PAGE_SIZE = 20;
/** The classifier's section (model versions, training examples) is a tab of its own beside the registry's resources. */
const CLASSIFIER_TAB = 'classifier';
const CLASSIFIER_READERS = ['admin', 'auditor'];

const frame = startPage('admin', { wide: true });
if (frame) start(frame.main, frame.user!);

function currentResource(): Resource {
  const id = location.hash.replace(/^#/, '');
  return RESOURCES.find((r) => r.id === id) ?? RESOURCES[0]!;
}

/** A record's name for messages: its code, username or date, with its name. */
function nameOf(r: RecordData): string {
  const key = r['code'] ?? r['username'] ?? r['eventTypeCode'] ?? r['date'] ?? r['id'];
  const name = r['name'] ?? r['displayName'] ?? r['eventTypeName'];
  return [key, name].filter((v) => v !== undefined && v !== null && v !== '').join(' ');
}

/** Codes and login names are data, not words: marked so that no translator (nor the language check) touches them. */
const isCode = (c: Column) => c.name === 'username' || /(code|Codes?)$/.test(c.name);

function cell(c: Column, r: RecordData): Node | string {
  const v = r[c.name];
  if (v === null || v === undefined || v === '') return '—';
  switch (c.type) {
    case 'bool':
      return h('span', { class: v ? 'yes' : 'no' }, v ? t('ad.yes') : t('ad.no'));
    case 'list':
      return (v as string[]).join(', ') || '—';
    case 'role':
      return t(`role.${String(v)}`);
    case 'datetime':
      return formatDateTime(String(v));
    default:
      return c.optionLabel ? t(`${c.optionLabel}${String(v)}`) : String(v);
  }
}

let suggestionsLoaded = false;

/** The codes the forms offer while typing (units, townships, communities, event types): loaded once, when a form first opens. */
async function loadSuggestions(): Promise<void> {
  if (suggestionsLoaded) return;
  suggestionsLoaded = true;
  type Row = { code: string; name: string; kind?: string };
  const list = (id: string, rows: Row[]) =>
    document.body.append(
      h(
        'datalist',
        { id: `dl-${id}` },
        rows.map((r) => h('option', { value: r.code }, r.name)),
      ),
    );
  const [units, events] = await Promise.allSettled([
    api<{ items: Row[] }>('/admin/units?pageSize=1000'),
    api<{ items: Row[] }>('/admin/event-types?pageSize=1000'),
  ]);
  if (units.status === 'fulfilled') {
    list(
      'units',
      units.value.items.filter((u) => u.kind !== 'community'),
    );
    list(
      'townships',
      units.value.items.filter((u) => u.kind === 'township'),
    );
    list(
      'communities',
      units.value.items.filter((u) => u.kind === 'community'),
    );
  }
  if (events.status === 'fulfilled') list('eventTypes', events.value.items);
}

function start(main: HTMLElement, user: User): void {
  const writer = user.role === 'admin';
  const tabs = h('nav', { class: 'ad-tabs', 'aria-label': t('ad.title') });
  const flash = h('div', { class: 'ad-flash', 'aria-live': 'polite', 'data-testid': 'flash' });
  const formBox = h('div', { 'data-testid': 'form-box' });
  const listBox = h('div', { 'data-testid': 'list' });
  const nationalBox = h('div');
  let reloadNational: (() => void) | null = null;
  const search = h('input', { type: 'search', id: 'ad-q', maxlength: 100, placeholder: t('ad.search.hint') });
  const newButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'new' }, t('ad.new'));
  const searchForm = h('form', { class: 'ad-search', role: 'search' }, search, h('button', { type: 'submit' }, t('ad.search')), newButton);
  let resource = currentResource();
  let page = 1;

  const say = (...content: (Node | string)[]) => replace(flash, ...content);
  const ok = (text: string) => say(h('p', { class: 'notice ok' }, text));

  const drawTabs = () =>
    replace(
      tabs,
      RESOURCES.map((r) =>
        h(
          'a',
          {
            href: `#${r.id}`,
            class: r.id === resource.id && !onClassifier() ? 'active' : null,
            'aria-current': r.id === resource.id && !onClassifier() ? 'page' : null,
            'data-tab': r.id,
          },
          t(`ad.tab.${r.id}`),
        ),
      ),
      h(
        'a',
        { href: `#${CLASSIFIER_TAB}`, class: onClassifier() ? 'active' : null, 'aria-current': onClassifier() ? 'page' : null, 'data-tab': CLASSIFIER_TAB },
        t(`ad.tab.${CLASSIFIER_TAB}`),
      ),
    );
  const onClassifier = () => location.hash === `#${CLASSIFIER_TAB}`;

  const closeForm = () => replace(formBox);
  const openForm = (record: RecordData | null) => {
    replace(flash);
    void loadSuggestions();
    recordForm(
      formBox,
      resource,
      record,
      record ? nameOf(record) : '',
      (saved) => {
        closeForm();
        // a user created without a password gets one generated: shown this once
        const created = (saved['user'] ?? saved) as RecordData;
        if (record === null && typeof saved['password'] === 'string') showPassword(t('ad.password.created', { name: nameOf(created) }), saved['password']);
        else ok(`${record ? t('ad.saved') : t('ad.created')}: ${nameOf(created)}`);
        void loadInto(listBox, loadList);
        reloadNational?.();
      },
      closeForm,
    );
    formBox.scrollIntoView({ block: 'start' });
  };

  const showPassword = (text: string, password: string) => {
    const value = h('code', { class: 'once', 'data-testid': 'one-time-password' }, password);
    const copy = h('button', { type: 'button', class: 'link' }, t('ad.copy'));
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(password).then(
        () => {
          copy.textContent = t('ad.copied');
        },
        () => undefined,
      );
    });
    say(h('div', { class: 'notice ok' }, text, ' ', value, ' ', copy));
  };

  const keyOf = (r: RecordData) => encodeURIComponent(String(r[resource.key]));

  const setEnabled = async (r: RecordData, enabled: boolean) => {
    try {
      await api(`${resource.path}/${keyOf(r)}`, { method: 'PATCH', body: { enabled } });
      ok(`${enabled ? t('ad.enabled.done') : t('ad.disabled')}: ${nameOf(r)}`);
      void loadInto(listBox, loadList);
    } catch (err) {
      say(errorBox(err));
    }
  };

  const remove = async (r: RecordData) => {
    if (!confirm(t('ad.confirm.delete', { name: nameOf(r) }))) return;
    try {
      await api(`${resource.path}/${keyOf(r)}`, { method: 'DELETE' });
      ok(`${t('ad.deleted')}: ${nameOf(r)}`);
      void loadInto(listBox, loadList);
      reloadNational?.();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'in_use') {
        const reasons = ((err.details as { errors?: { message?: string }[] } | undefined)?.errors ?? []).map((e) => e.message ?? '');
        const canDisable = resource.hasEnabled && r['enabled'] !== false;
        say(
          h(
            'div',
            { class: 'notice error', 'data-testid': 'in-use', role: 'alert' },
            h('p', null, t('ad.inuse', { name: nameOf(r) })),
            reasons.length
              ? h(
                  'ul',
                  null,
                  reasons.map((m) => h('li', null, m)),
                )
              : null,
            h('p', null, canDisable ? t('ad.inuse.disable') : t('ad.inuse.noDisable')),
            canDisable
              ? h(
                  'button',
                  { type: 'button', 'data-testid': 'disable-instead', onclick: () => void setEnabled(r, false) },
                  t('ad.inuse.doDisable', { name: nameOf(r) }),
                )
              : null,
          ),
        );
      } else say(errorBox(err));
    }
  };

  const resetPassword = async (r: RecordData) => {
    if (!confirm(t('ad.confirm.reset', { name: nameOf(r) }))) return;
    try {
      const res = await api<{ password: string }>(`${resource.path}/${keyOf(r)}/reset-password`, { method: 'POST' });
      showPassword(t('ad.password.once', { name: nameOf(r) }), res.password);
    } catch (err) {
      say(errorBox(err));
    }
  };

  const loadList = async () => {
    const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (search.value.trim()) q.set('q', search.value.trim());
    const res = await api<{ items: RecordData[]; total: number; page: number; pageSize: number }>(`${resource.path}?${q.toString()}`);
    const pages = Math.max(1, Math.ceil(res.total / res.pageSize));
    const actions = (r: RecordData) =>
      h(
        'td',
        { class: 'row-actions' },
        h('button', { type: 'button', class: 'link', 'data-action': 'edit', onclick: () => openForm(r) }, t('ad.edit')),
        resource.id === 'users'
          ? h('button', { type: 'button', class: 'link', 'data-action': 'reset', onclick: () => void resetPassword(r) }, t('ad.reset'))
          : null,
        resource.hasEnabled
          ? h(
              'button',
              {
                type: 'button',
                class: 'link',
                'data-action': r['enabled'] === false ? 'enable' : 'disable',
                onclick: () => void setEnabled(r, r['enabled'] === false),
              },
              r['enabled'] === false ? t('ad.enable') : t('ad.disable'),
            )
          : null,
        resource.canDelete
          ? h('button', { type: 'button', class: 'link danger', 'data-action': 'delete', onclick: () => void remove(r) }, t('ad.delete'))
          : null,
      );
    replace(
      listBox,
      h('p', { class: 'muted', 'data-testid': 'count' }, t('ad.count', { n: res.total })),
      res.items.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'records', 'data-resource': resource.id },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  resource.columns.map((c) => h('th', null, t(`ad.f.${c.name}`))),
                  writer ? h('th', null, t('ad.actions')) : null,
                ),
              ),
              h(
                'tbody',
                null,
                res.items.map((r) =>
                  h(
                    'tr',
                    { 'data-key': String(r[resource.key]), 'data-name': String(r['code'] ?? r['username'] ?? r['eventTypeCode'] ?? r['date'] ?? '') },
                    resource.columns.map((c) => h('td', { 'data-col': c.name, translate: isCode(c) ? 'no' : null }, cell(c, r))),
                    writer ? actions(r) : null,
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'notice' }, t('ad.none')),
      pages > 1
        ? h(
            'div',
            { class: 'pager' },
            h(
              'button',
              {
                type: 'button',
                disabled: page <= 1,
                onclick: () => {
                  page--;
                  void loadInto(listBox, loadList);
                },
              },
              t('ad.prev'),
            ),
            h('span', null, t('ad.page', { page: res.page, pages })),
            h(
              'button',
              {
                type: 'button',
                disabled: page >= pages,
                onclick: () => {
                  page++;
                  void loadInto(listBox, loadList);
                },
              },
              t('ad.next'),
            ),
          )
        : null,
    );
  };

  searchForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    page = 1;
    void loadInto(listBox, loadList);
  });
  newButton.addEventListener('click', () => openForm(null));

  const show = () => {
    resource = currentResource();
    page = 1;
    search.value = '';
    newButton.hidden = !writer || !resource.canCreate;
    drawTabs();
    closeForm();
    replace(flash);
    replace(nationalBox);
    reloadNational = null;
    searchForm.style.display = onClassifier() ? 'none' : ''; // .ad-search's display: flex would outrank [hidden]
    if (onClassifier()) {
      if (CLASSIFIER_READERS.includes(user.role)) classifierSection(listBox, flash, user);
      else replace(listBox, h('p', { class: 'notice error' }, t('forbidden.page')));
      return;
    }
    if (resource.readers && !resource.readers.includes(user.role)) {
      replace(listBox, h('p', { class: 'notice error' }, t('forbidden.page')));
      return;
    }
    void loadInto(listBox, loadList);
    if (resource.id === 'calendar-days') reloadNational = nationalDaysSection(nationalBox);
  };
  window.addEventListener('hashchange', show);

  replace(
    main,
    h(
      'div',
      { class: 'ad-head' },
      h('h1', null, t('ad.title')),
      h(
        'span',
        { class: 'ad-tools' },
        t('ad.tools'),
        ' ',
        h('a', { href: '/modeler/', 'data-testid': 'link-modeler' }, t('ad.modeler')),
        ' · ',
        h('a', { href: '/modeler/forms.html', 'data-testid': 'link-forms' }, t('ad.forms')),
      ),
    ),
    tabs,
    writer ? null : h('p', { class: 'notice' }, t('ad.readonly')),
    flash,
    formBox,
    searchForm,
    listBox,
    nationalBox,
  );
  show();
}
