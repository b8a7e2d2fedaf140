/**
 * The create/edit form of one registry record. It sends what the user typed (on edit only the fields that
 * changed) and shows the server's answer: each field error beside its field (the error's JSON pointer
 * names it), anything else above the form.
 */
import { ApiError, api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { fromInput, toInput, type Field, type Resource } from './resources.js';

export type RecordData = Record<string, unknown>;

interface FieldProblem {
  path?: string;
  message?: string;
  keyword?: string;
  property?: string;
}

/** The field a server error is about: `/code` → code, `/polygon/3/0` → polygon, a missing property → its name. */
export function fieldOf(problem: FieldProblem, fields: Field[]): string | null {
  const names = new Set(fields.map((f) => f.name));
  const first = (problem.path ?? '').split('/')[1];
  if (first && names.has(first)) return first;
  // a missing or unknown property: the server names it (the path is the parent object)
  if (problem.property && names.has(problem.property)) return problem.property;
  return null;
}

function input(field: Field, value: string | boolean, disabled: boolean): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const common = { id: `f-${field.name}`, name: field.name, disabled, 'aria-describedby': `e-${field.name}` };
  switch (field.type) {
    case 'bool':
      return h('input', { ...common, type: 'checkbox', checked: value === true });
    case 'select':
      return h(
        'select',
        common,
        field.required ? null : h('option', { value: '' }, '—'),
        (field.options ?? []).map((o) => h('option', { value: o, selected: o === value }, field.optionLabel ? t(`${field.optionLabel}${o}`) : o)),
      );
    case 'textarea':
    case 'polygon':
    case 'stages':
      return h('textarea', { ...common, rows: field.type === 'textarea' ? 3 : 4, value: String(value) });
    case 'date':
      return h('input', { ...common, type: 'date', value: String(value) });
    case 'number':
      return h('input', { ...common, type: 'text', inputmode: 'decimal', value: String(value) });
    case 'password':
      return h('input', { ...common, type: 'password', autocomplete: 'new-password', value: '' });
    default:
      return h('input', {
        ...common,
        type: 'text',
        value: String(value),
        list: field.suggest ? `dl-${field.suggest}` : null,
        autocomplete: field.suggest ? 'off' : null,
      });
  }
}

const valueOf = (el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): string | boolean =>
  el instanceof HTMLInputElement && el.type === 'checkbox' ? el.checked : el.value;

/**
 * Draws the form into `box`. `record` null = create. `done(saved, response)` after a successful save.
 */
export function recordForm(
  box: HTMLElement,
  resource: Resource,
  record: RecordData | null,
  titleName: string,
  done: (saved: RecordData) => void,
  cancel: () => void,
): void {
  const creating = record === null;
  const fields = resource.fields;
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  const errors = new Map<string, HTMLElement>();
  const formError = h('div', { 'aria-live': 'polite', 'data-testid': 'form-error' });
  const rows = fields.map((f) => {
    // the key is fixed once created: shown, not editable; a first password only on create
    if (!creating && f.type === 'password') return null;
    const initial = creating
      ? f.type === 'bool'
        ? f.name === 'enabled' // a new calendar day is mostly a day off: 休息 unless ticked
        : f.type === 'select' && f.required
          ? (f.options?.[0] ?? '')
          : ''
      : toInput(f, record[f.name]);
    const el = input(f, initial, !creating && !!f.createOnly);
    inputs.set(f.name, el);
    const err = h('span', { class: 'field-error', id: `e-${f.name}`, 'data-error-for': f.name, role: 'alert' });
    errors.set(f.name, err);
    const label = t(`ad.f.${f.name}`);
    const hint = f.hint ? h('span', { class: 'hint' }, ` ${t(`ad.h.${f.name}`)}`) : null;
    return f.type === 'bool'
      ? h('div', { class: 'field field-bool', 'data-field': f.name }, h('label', { class: 'check' }, el, ` ${label}`), err)
      : h(
          'div',
          { class: `field${f.type === 'textarea' || f.type === 'polygon' || f.type === 'stages' ? ' field-wide' : ''}`, 'data-field': f.name },
          h('label', { for: `f-${f.name}` }, label, f.required ? h('span', { class: 'req', title: t('ad.required') }, ' *') : null, hint),
          el,
          err,
        );
  });
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'save' }, t('ad.save'));
  const form = h(
    'form',
    { class: 'record-form panel', 'data-testid': 'record-form', novalidate: true },
    h('h2', null, creating ? t('ad.form.new', { what: t(`ad.tab.${resource.id}`) }) : t('ad.form.edit', { what: t(`ad.tab.${resource.id}`), name: titleName })),
    formError,
    h('div', { class: 'fields-grid' }, rows),
    h('div', { class: 'actions' }, save, h('button', { type: 'button', onclick: cancel }, t('ad.cancel'))),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void submit();
  });

  const body = (): RecordData => {
    const out: RecordData = {};
    for (const f of fields) {
      const el = inputs.get(f.name);
      if (!el || el.disabled) continue;
      const value = fromInput(f, valueOf(el), creating);
      if (value === undefined) continue;
      // on edit, only what changed: an untouched field is not sent (nor re-validated)
      if (!creating && JSON.stringify(value) === JSON.stringify(fromInput(f, toInput(f, record[f.name]), false))) continue;
      out[f.name] = value;
    }
    return out;
  };

  const submit = async () => {
    for (const e of errors.values()) replace(e);
    for (const el of form.querySelectorAll('.field.invalid')) el.classList.remove('invalid');
    replace(formError);
    const data = body();
    if (!creating && Object.keys(data).length === 0) {
      cancel();
      return;
    }
    save.disabled = true;
    try {
      const key = creating ? '' : `/${encodeURIComponent(String(record[resource.key]))}`;
      const saved = await api<RecordData>(`${resource.path}${key}`, { method: creating ? 'POST' : 'PATCH', body: data });
      done(saved);
    } catch (err) {
      showErrors(err);
    } finally {
      save.disabled = false;
    }
  };

  const showErrors = (err: unknown) => {
    const problems = err instanceof ApiError ? ((err.details as { errors?: FieldProblem[] } | undefined)?.errors ?? []) : [];
    const general: string[] = [];
    for (const p of problems) {
      const name = fieldOf(p, fields);
      const target = name ? errors.get(name) : undefined;
      if (target) {
        target.append(h('span', null, p.message ?? ''));
        target.closest('.field')?.classList.add('invalid');
      } else general.push([p.path && p.path !== '/' ? p.path : '', p.message].filter(Boolean).join(' '));
    }
    const message = err instanceof Error ? err.message : String(err);
    replace(
      formError,
      h(
        'p',
        { class: 'notice error', 'data-code': err instanceof ApiError ? err.code : null },
        message,
        general.length
          ? h(
              'ul',
              null,
              general.map((g) => h('li', null, g)),
            )
          : null,
        problems.length > general.length ? h('div', null, t('ad.form.errors')) : null,
      ),
    );
    form.querySelector<HTMLElement>('.field.invalid input, .field.invalid select, .field.invalid textarea')?.focus();
  };

  replace(box, form);
  (form.querySelector('input:not([disabled]), select:not([disabled]), textarea:not([disabled])') as HTMLElement | null)?.focus();
}
