/**
 * 智能分类 on the administration page: the classifier's model versions with their measured accuracy,
 * train now and roll back; the training examples with search, add, edit and delete, and CSV export and
 * import (every write goes through the server's validated importer: its problems are listed, row by row).
 * Administrators write; auditors look.
 */
import { ApiError, api, apiText, type User } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { errorBox, loadInto } from '../shared/layout.js';

interface ModelVersion {
  version: number;
  algorithm: string;
  active: boolean;
  reason: string;
  createdAt: string;
  examples: number;
  operatorExamples: number;
  typeTop1: number;
  typeTop3: number;
  category: number;
  notDispatchableRecall: number;
}
interface Example {
  id: number;
  code: string;
  text: string;
  label: string;
  channel: string;
  source: string;
  updatedAt: string;
}

const CHANNELS = ['hotline', 'wechat', 'grid', 'other'] as const;
const NOT_DISPATCHABLE = ['NONE-CONSULT', 'NONE-PRAISE', 'NONE-VAGUE', 'NONE-SPAM'] as const;
const PAGE = 30;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The import's refusal as a list a person can fix the file from. */
function importProblems(err: unknown): HTMLElement {
  const problems =
    err instanceof ApiError ? ((err.details as { problems?: Array<{ row: number; column: string | null; message: string }> } | undefined)?.problems ?? []) : [];
  if (!problems.length) return errorBox(err);
  return h(
    'div',
    { class: 'notice error', role: 'alert', 'data-testid': 'import-problems' },
    h('p', null, t('cl.import.refused', { n: problems.length })),
    h(
      'ul',
      null,
      problems.slice(0, 50).map((p) => h('li', null, t('cl.import.problem', { row: p.row, column: p.column ?? '—', message: p.message }))),
    ),
  );
}

export function classifierSection(box: HTMLElement, flash: HTMLElement, user: User): void {
  const writer = user.role === 'admin';
  const say = (...content: (Node | string)[]) => replace(flash, ...content);
  const ok = (text: string) => say(h('p', { class: 'notice ok' }, text));
  const modelsBox = h('div', { 'data-testid': 'cl-models' });
  const formBox = h('div', { 'data-testid': 'cl-form' });
  const examplesBox = h('div', { 'data-testid': 'cl-examples' });
  const q = h('input', { type: 'search', id: 'cl-q', maxlength: 100, placeholder: t('cl.search.hint') });
  const labelFilter = h('input', { type: 'search', id: 'cl-label', maxlength: 32, placeholder: t('cl.f.label'), list: 'cl-labels' });
  let after: string | null = null;

  // ── model versions ──
  const loadModels = async () => {
    const res = await api<{ items: ModelVersion[] }>('/admin/classify/models');
    replace(
      modelsBox,
      res.items.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'records', 'data-testid': 'cl-versions' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  [
                    'version',
                    'createdAt',
                    'algorithm',
                    'examples',
                    'operatorExamples',
                    'typeTop1',
                    'typeTop3',
                    'category',
                    'notDispatchableRecall',
                    'active',
                    'reason',
                  ].map((c) => h('th', null, t(`cl.m.${c}`))),
                ),
              ),
              h(
                'tbody',
                null,
                res.items.map((m) =>
                  h(
                    'tr',
                    { 'data-version': String(m.version), class: m.active ? 'active' : null },
                    h('td', null, `v${m.version}`),
                    h('td', null, formatDateTime(m.createdAt)),
                    h('td', null, t(`cl.alg.${m.algorithm}`)),
                    h('td', null, String(m.examples)),
                    h('td', null, String(m.operatorExamples)),
                    h('td', { 'data-col': 'typeTop1' }, pct(m.typeTop1)),
                    h('td', null, pct(m.typeTop3)),
                    h('td', null, pct(m.category)),
                    h('td', null, pct(m.notDispatchableRecall)),
                    h('td', { 'data-col': 'active' }, m.active ? h('span', { class: 'yes' }, t('cl.m.current')) : '—'),
                    h('td', null, m.reason),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'notice' }, t('cl.m.none')),
    );
  };
  const act = async (button: HTMLButtonElement, run: () => Promise<string>) => {
    button.disabled = true;
    try {
      ok(await run());
      void loadInto(modelsBox, loadModels);
    } catch (err) {
      say(errorBox(err));
    } finally {
      button.disabled = false;
    }
  };
  const train = h('button', { type: 'button', class: 'primary', 'data-testid': 'cl-train' }, t('cl.train'));
  train.addEventListener(
    'click',
    () =>
      void act(train, async () => {
        train.textContent = t('cl.training');
        try {
          const m = await api<ModelVersion>('/admin/classify/models', { method: 'POST' });
          return t(m.active ? 'cl.trained' : 'cl.trained.inactive', { v: m.version, acc: pct(m.typeTop1) });
        } finally {
          train.textContent = t('cl.train');
        }
      }),
  );
  const rollback = h('button', { type: 'button', 'data-testid': 'cl-rollback' }, t('cl.rollback'));
  rollback.addEventListener('click', () => {
    if (!confirm(t('cl.rollback.confirm'))) return;
    void act(rollback, async () => t('cl.rolledBack', { v: (await api<ModelVersion>('/admin/classify/rollback', { method: 'POST' })).version }));
  });

  // ── examples ──
  const openForm = (example: Example | null) => {
    const text = h('textarea', { id: 'cl-f-text', rows: 3, maxlength: 2000, required: true }, example?.text ?? '');
    const label = h('input', { id: 'cl-f-label', list: 'cl-labels', maxlength: 32, required: true, value: example?.label ?? '' });
    const channel = h(
      'select',
      { id: 'cl-f-channel' },
      CHANNELS.map((c) => h('option', { value: c, selected: (example?.channel ?? 'other') === c }, t(`cl.ch.${c}`))),
    );
    const error = h('div', { 'data-testid': 'cl-form-error' });
    const form = h(
      'form',
      { class: 'card', 'data-testid': 'cl-example-form' },
      h('h3', null, example ? t('cl.form.edit', { code: example.code }) : t('cl.form.new')),
      h('div', { class: 'field field-wide' }, h('label', { for: 'cl-f-text' }, t('cl.f.text')), text),
      h(
        'div',
        { class: 'fields-grid' },
        h('div', { class: 'field' }, h('label', { for: 'cl-f-label' }, t('cl.f.label')), label, h('small', { class: 'muted' }, t('cl.f.label.hint'))),
        h('div', { class: 'field' }, h('label', { for: 'cl-f-channel' }, t('cl.f.channel')), channel),
      ),
      error,
      h(
        'p',
        null,
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'cl-save' }, t('ad.save')),
        ' ',
        h('button', { type: 'button', onclick: () => replace(formBox) }, t('ad.cancel')),
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const body = { text: text.value.trim(), label: label.value.trim(), channel: channel.value };
      void (async () => {
        try {
          const saved = example
            ? await api<Example>(`/admin/classify/examples/${encodeURIComponent(example.code)}`, { method: 'PATCH', body })
            : await api<Example>('/admin/classify/examples', { method: 'POST', body });
          replace(formBox);
          ok(`${example ? t('ad.saved') : t('ad.created')}: ${saved.code}`);
          resetExamples();
        } catch (err) {
          replace(error, importProblems(err));
        }
      })();
    });
    replace(formBox, form);
    text.focus();
  };
  const remove = async (e: Example) => {
    if (!confirm(t('cl.confirm.delete', { code: e.code }))) return;
    try {
      await api(`/admin/classify/examples/${encodeURIComponent(e.code)}`, { method: 'DELETE' });
      ok(`${t('ad.deleted')}: ${e.code}`);
      resetExamples();
    } catch (err) {
      say(errorBox(err));
    }
  };
  const tbody = h('tbody');
  const count = h('p', { class: 'muted', 'data-testid': 'cl-count' });
  const more = h('button', { type: 'button', 'data-testid': 'cl-more' }, t('cl.more'));
  const loadExamples = async () => {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (q.value.trim()) params.set('q', q.value.trim());
    if (labelFilter.value.trim()) params.set('label', labelFilter.value.trim());
    if (after) params.set('after', after);
    const res = await api<{ items: Example[]; next: string | null; total: number }>(`/admin/classify/examples?${params.toString()}`);
    if (!after) replace(tbody);
    count.textContent = t('cl.count', { n: res.total });
    for (const e of res.items) {
      tbody.append(
        h(
          'tr',
          { 'data-code': e.code },
          h('td', null, e.code),
          // what someone wrote, kept as written (a spam example may be "test"): not interface text
          h('td', { 'data-col': 'text', class: 'cl-text', translate: 'no' }, e.text),
          h('td', { 'data-col': 'label' }, e.label),
          h('td', null, t(`cl.ch.${e.channel}`)),
          h('td', null, t(`cl.src.${e.source}`)),
          writer
            ? h(
                'td',
                { class: 'row-actions' },
                h('button', { type: 'button', class: 'link', 'data-action': 'edit', onclick: () => openForm(e) }, t('ad.edit')),
                h('button', { type: 'button', class: 'link danger', 'data-action': 'delete', onclick: () => void remove(e) }, t('ad.delete')),
              )
            : null,
        ),
      );
    }
    after = res.next;
    more.hidden = !res.next;
  };
  const table = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'records', 'data-testid': 'cl-example-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['code', 'text', 'label', 'channel', 'source'].map((c) => h('th', null, t(`cl.f.${c}`))),
          writer ? h('th', null, t('ad.actions')) : null,
        ),
      ),
      tbody,
    ),
  );
  const examplesArea = h('div', null, count, table, more);
  const resetExamples = () => {
    after = null;
    void loadExamples().catch((err: unknown) => say(errorBox(err)));
  };
  more.addEventListener('click', () => void loadExamples().catch((err: unknown) => say(errorBox(err))));
  const searchForm = h('form', { class: 'ad-search', role: 'search' }, q, labelFilter, h('button', { type: 'submit' }, t('ad.search')));
  searchForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    resetExamples();
  });

  const exportCsv = h('button', { type: 'button', 'data-testid': 'cl-export' }, t('cl.export'));
  exportCsv.addEventListener(
    'click',
    () =>
      void (async () => {
        try {
          const csv = await apiText('/admin/classify/examples.csv');
          const a = h('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' })), download: 'classify_examples.csv' });
          a.click();
          setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
        } catch (err) {
          say(errorBox(err));
        }
      })(),
  );
  const file = h('input', { type: 'file', accept: '.csv,text/csv', id: 'cl-import-file', 'data-testid': 'cl-import-file' });
  file.addEventListener(
    'change',
    () =>
      void (async () => {
        const chosen = file.files?.[0];
        if (!chosen) return;
        try {
          const summary = await api<{ created: number; updated: number }>('/admin/classify/examples.csv', {
            method: 'POST',
            text: { body: await chosen.text(), type: 'text/csv' },
          });
          ok(t('cl.imported', { created: summary.created, updated: summary.updated }));
          resetExamples();
        } catch (err) {
          say(importProblems(err));
        } finally {
          file.value = '';
        }
      })(),
  );

  replace(
    box,
    h(
      'datalist',
      { id: 'cl-labels' },
      NOT_DISPATCHABLE.map((l) => h('option', { value: l }, t(`cl.nd.${l}`))),
    ),
    h(
      'section',
      { 'data-testid': 'cl-section-models' },
      h('h2', null, t('cl.models')),
      h('p', { class: 'muted' }, t('cl.models.hint')),
      writer ? h('p', { class: 'ad-search' }, train, rollback) : null,
      modelsBox,
    ),
    h(
      'section',
      { 'data-testid': 'cl-section-examples' },
      h('h2', null, t('cl.examples')),
      h('p', { class: 'muted' }, t('cl.examples.hint')),
      h(
        'p',
        { class: 'ad-search' },
        writer ? h('button', { type: 'button', class: 'primary', 'data-testid': 'cl-new', onclick: () => openForm(null) }, t('cl.new')) : null,
        exportCsv,
        writer ? h('label', { class: 'cl-import', for: 'cl-import-file' }, t('cl.import'), ' ', file) : null,
      ),
      formBox,
      searchForm,
      examplesBox,
    ),
  );
  void loadInto(modelsBox, loadModels);
  void loadInto(examplesBox, async () => {
    replace(examplesBox, examplesArea);
    after = null;
    await loadExamples();
  });
  // event types for the label field: loaded once
  void api<{ items: Array<{ code: string; name: string }> }>('/admin/event-types?pageSize=1000').then(
    (res) => {
      document.getElementById('cl-labels')?.append(...res.items.map((e) => h('option', { value: e.code }, e.name)));
    },
    () => undefined,
  );
}
