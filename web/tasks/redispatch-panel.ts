/**
 * 改派 (issue #14 item 2): beside a unit's open task the centre may move the case to another unit, picked from
 * the unit list grouped by kind (乡镇街道, 社区村, 职能部门 …), with a reason. The server ends the unit's task and
 * the new unit starts with a fresh 处置 limit (POST /api/cases/:id/redispatch).
 */
import { api, errorText, idempotencyKey } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import type { CaseDetail } from './types.js';

interface UnitRow {
  code: string;
  name: string;
  kind: string;
}
/** the order the groups are offered in: 属地 first, then the departments */
const KINDS = ['township', 'community', 'department', 'enterprise'];

export function redispatchPanel(c: CaseDetail, onDone: (message: string) => void): HTMLElement {
  const unit = h('select', { id: 'rd-unit', 'data-testid': 'redispatch-unit', 'aria-required': 'true' }, h('option', { value: '' }, t('rd.pick')));
  const reason = h('textarea', { id: 'rd-reason', 'data-testid': 'redispatch-reason', rows: 2, maxlength: 500, 'aria-required': 'true' });
  const message = h('div', { 'aria-live': 'polite', 'data-testid': 'redispatch-message' });
  const help = h('p', { class: 'muted', 'data-testid': 'redispatch-help' }, t('rd.help', { unit: c.unitCode ?? '—' }));
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'redispatch-submit' }, t('rd.submit'));
  const form = h(
    'form',
    { class: 'panel redispatch', 'data-testid': 'redispatch' },
    h('h3', null, t('rd.title')),
    help,
    h('label', { for: 'rd-unit' }, t('rd.unit')),
    unit,
    h('label', { for: 'rd-reason' }, t('rd.reason')),
    reason,
    h('div', { class: 'actions' }, submit),
    message,
  );
  void loadUnits(unit, c.unitCode).then((name) => {
    if (name) replace(help, t('rd.help', { unit: name }));
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void order();
  });

  async function order(): Promise<void> {
    if (!unit.value || !reason.value.trim()) {
      replace(message, h('p', { class: 'notice error', role: 'alert' }, t('rd.missing')));
      return;
    }
    submit.disabled = true;
    replace(message);
    try {
      const done = await api<{ unitName: string }>(`/cases/${c.id}/redispatch`, {
        body: { unitCode: unit.value, reason: reason.value.trim() },
        headers: { 'Idempotency-Key': idempotencyKey() },
      });
      onDone(t('rd.done', { caseNo: c.caseNo, unit: done.unitName }));
    } catch (err) {
      replace(message, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
      submit.disabled = false;
    }
  }
  return form;
}

/** The active units but the case's own, grouped by kind (the centre itself takes no cases); answers the current unit's name. */
async function loadUnits(select: HTMLSelectElement, current: string | null): Promise<string | null> {
  let units: UnitRow[];
  try {
    units = (await api<{ items: UnitRow[] }>('/admin/units?pageSize=1000&enabled=true')).items;
  } catch {
    return null;
  }
  const groups = KINDS.map((kind) => {
    const members = units.filter((u) => u.kind === kind && u.code !== current);
    return members.length
      ? h(
          'optgroup',
          { label: t(`rd.kind.${kind}`) },
          members.map((u) => h('option', { value: u.code }, `${u.name}（${u.code}）`)),
        )
      : null;
  });
  select.append(...groups.filter((g): g is HTMLOptGroupElement => g !== null));
  return units.find((u) => u.code === current)?.name ?? null;
}
