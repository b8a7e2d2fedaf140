/**
 * 领导交办: a district leader hands a matter to a unit (issue #14 item 4) — what is to be done, the leader's
 * instruction, the unit named, the deadline and the priority — and follows their earlier 交办 below.
 */
import './assign.css';
import './messages.js';
import { api, errorText, idempotencyKey } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { startPage, statusBadge } from '../shared/layout.js';

interface Named {
  code: string;
  name: string;
  enabled?: boolean;
}
interface Assignment {
  caseNo: string;
  description: string;
  unitCode: string;
  unitName: string;
  dueAt: string;
  priority: number;
  status: string;
}
interface Filed {
  caseNo: string;
  unitCode: string;
  dueAt: string;
}

const PRIORITIES = [100, 90, 70] as const;
const frame = startPage('assign');
if (frame) draw(frame.main);

function field(label: string, control: HTMLElement): HTMLLabelElement {
  return h('label', null, label, control);
}

/** `datetime-local` wants local time without a zone: three days from now at 18:00. */
function defaultDue(): string {
  const d = new Date(Date.now() + 3 * 86_400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T18:00`;
}

function draw(main: HTMLElement): void {
  const description = h('textarea', { id: 'assign-description', maxlength: 1500, required: true });
  const instruction = h('textarea', { id: 'assign-instruction', maxlength: 400, required: true, placeholder: t('as.instruction.hint') });
  const unit = h('select', { id: 'assign-unit', required: true }, h('option', { value: '' }, t('as.unit.choose')));
  const due = h('input', { id: 'assign-due', type: 'datetime-local', required: true, value: defaultDue() });
  const priority = h(
    'select',
    { id: 'assign-priority' },
    PRIORITIES.map((p) => h('option', { value: p, selected: p === 90 }, t(`as.priority.${p}`))),
  );
  const type = h('select', { id: 'assign-type' }, h('option', { value: '' }, t('as.type.none')));
  const address = h('input', { id: 'assign-address', maxlength: 255, autocomplete: 'off' });
  const grid = h('select', { id: 'assign-grid' }, h('option', { value: '' }, t('as.grid.none')));
  const message = h('div', { 'aria-live': 'polite', 'data-testid': 'assign-message' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'assign-submit' }, t('as.submit'));
  const mine = h('div', { 'data-testid': 'my-assignments' });
  let key = idempotencyKey();

  const form = h(
    'form',
    { 'data-testid': 'assign-form', novalidate: true },
    h(
      'fieldset',
      null,
      h('legend', null, t('as.what')),
      h('label', { class: 'block' }, t('as.description'), description),
      h('label', { class: 'block' }, t('as.instruction'), instruction),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, t('as.unit')),
      h('div', { class: 'row' }, field(t('as.unit'), unit), field(t('as.due'), due), field(t('as.priority'), priority)),
      h('div', { class: 'row' }, field(t('as.type'), type)),
    ),
    h('fieldset', null, h('legend', null, t('as.where')), h('div', { class: 'row' }, field(t('as.address'), address), field(t('as.grid'), grid))),
    h('div', { class: 'actions' }, submit),
    message,
  );
  replace(
    main,
    h('h1', null, t('nav.assign')),
    h('p', { class: 'muted' }, t('as.intro')),
    h('div', { class: 'assign' }, form, h('section', null, h('h2', null, t('as.mine')), mine)),
  );

  // the pickers: enabled units, event types and grids from the registry (readable by every signed-in role)
  void (async () => {
    try {
      const [units, types, grids] = await Promise.all([
        api<{ items: Named[] }>('/admin/units?pageSize=1000&enabled=true'),
        api<{ items: Named[] }>('/admin/event-types?pageSize=1000&enabled=true'),
        api<{ items: Named[] }>('/admin/grids?pageSize=1000'),
      ]);
      unit.append(...units.items.map((u) => h('option', { value: u.code }, u.name)));
      type.append(...types.items.map((e) => h('option', { value: e.code }, `${e.name}（${e.code}）`)));
      grid.append(...grids.items.map((g) => h('option', { value: g.code }, `${g.name}（${g.code}）`)));
    } catch (err) {
      replace(message, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
    }
  })();

  const say = (text: string, error = false) =>
    replace(message, h('p', { class: error ? 'notice error' : 'notice ok', role: error ? 'alert' : 'status' }, text));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const missing = !description.value.trim()
      ? (['as.need.description', description] as const)
      : !instruction.value.trim()
        ? (['as.need.instruction', instruction] as const)
        : !unit.value
          ? (['as.need.unit', unit] as const)
          : !due.value
            ? (['as.need.due', due] as const)
            : !address.value.trim() && !grid.value
              ? (['as.need.where', address] as const)
              : null;
    if (missing) {
      say(t(missing[0]), true);
      missing[1].focus();
      return;
    }
    submit.disabled = true;
    try {
      const filed = await api<Filed>('/assignments', {
        headers: { 'Idempotency-Key': key },
        body: {
          description: description.value.trim(),
          instruction: instruction.value.trim(),
          unitCode: unit.value,
          dueAt: new Date(due.value).toISOString(),
          priority: Number(priority.value),
          ...(type.value ? { eventTypeCode: type.value } : {}),
          ...(grid.value ? { gridCode: grid.value } : {}),
          ...(address.value.trim() ? { address: address.value.trim() } : {}),
        },
      });
      say(t('as.filed', { caseNo: filed.caseNo, unit: unit.selectedOptions[0]?.textContent ?? filed.unitCode, due: formatDateTime(filed.dueAt) }));
      description.value = '';
      instruction.value = '';
      key = idempotencyKey(); // the next 交办 is a new request
      await loadMine();
    } catch (err) {
      say(errorText(err), true);
    } finally {
      submit.disabled = false;
    }
  });

  async function loadMine(): Promise<void> {
    const { items } = await api<{ items: Assignment[] }>('/assignments');
    if (!items.length) return replace(mine, h('p', { class: 'muted' }, t('as.mine.none')));
    replace(
      mine,
      h(
        'table',
        null,
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['as.col.case', 'as.col.what', 'as.col.unit', 'as.col.due', 'as.col.priority', 'as.col.status'].map((k) => h('th', null, t(k))),
          ),
        ),
        h(
          'tbody',
          null,
          items.map((a) =>
            h(
              'tr',
              { 'data-case': a.caseNo },
              h('td', null, a.caseNo),
              h('td', null, a.description.split('\n')[0] ?? ''),
              h('td', null, a.unitName),
              h('td', null, formatDateTime(a.dueAt)),
              h('td', null, (PRIORITIES as readonly number[]).includes(a.priority) ? t(`as.priority.${a.priority}`) : String(a.priority)),
              h('td', null, statusBadge(a.status)),
            ),
          ),
        ),
      ),
    );
  }
  void loadMine().catch((err) => replace(mine, h('p', { class: 'notice error', role: 'alert' }, errorText(err))));
}
