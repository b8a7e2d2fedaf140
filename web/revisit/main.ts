/**
 * 回访: the centre's operators call back the reporters of closed cases (hotline callers have no web page)
 * and record what they said: 满意 / 基本满意 / 不满意 with stars and a note, or that nobody answered.
 * 不满意 sends the case back for 重办, as the reporter's own rating would.
 */
import { api, errorText, idempotencyKey } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { addMessages, formatDateTime, t } from '../shared/i18n.js';
import { loadInto, startPage } from '../shared/layout.js';
import type { RevisitItem } from '../../domain/followup/revisit-type.js';

addMessages({
  zh: {
    'rv.intro': '已结案、留有电话且尚未评价的案卷，按结案时间先后排列。电话回访后在此登记结果；“不满意”将退回重办。',
    'rv.none': '目前没有待回访的案卷',
    'rv.case': '案卷',
    'rv.reporter': '反映人',
    'rv.closed': '结案时间',
    'rv.attempts': '未接通 {n} 次',
    'rv.result': '回访结果',
    'rv.satisfied': '满意',
    'rv.basic': '基本满意',
    'rv.unsatisfied': '不满意',
    'rv.unreached': '未接通',
    'rv.comment': '回访记录',
    'rv.save': '登记',
    'rv.saved': '{caseNo} 回访已登记',
    'rv.savedUnreached': '{caseNo} 未接通，已记录，稍后再拨',
    'rv.channel.hotline': '热线',
    'rv.channel.other': '其他渠道',
  },
  en: {
    'rv.intro': 'Closed cases with a phone number and no rating yet, longest closed first. Record each call-back here; "unsatisfied" reopens the case.',
    'rv.none': 'No case waits for a call-back',
    'rv.case': 'Case',
    'rv.reporter': 'Reporter',
    'rv.closed': 'Closed',
    'rv.attempts': 'not reached {n}×',
    'rv.result': 'Result',
    'rv.satisfied': 'Satisfied',
    'rv.basic': 'Fairly satisfied',
    'rv.unsatisfied': 'Unsatisfied',
    'rv.unreached': 'No answer',
    'rv.comment': 'Notes',
    'rv.save': 'Record',
    'rv.saved': '{caseNo}: call-back recorded',
    'rv.savedUnreached': '{caseNo}: no answer, noted — call again later',
    'rv.channel.hotline': 'hotline',
    'rv.channel.other': 'other channel',
  },
});

/** The choices and what each sends: satisfied/rating as the citizen's own rating form does. */
const RESULTS = [
  { key: 'satisfied', body: { reached: true, satisfied: true, rating: 5 } },
  { key: 'basic', body: { reached: true, satisfied: true, rating: 3 } },
  { key: 'unsatisfied', body: { reached: true, satisfied: false, rating: 1 } },
  { key: 'unreached', body: { reached: false } },
] as const;

const frame = startPage('revisit');
if (frame) {
  const message = h('div', { 'aria-live': 'polite', 'data-testid': 'revisit-message' });
  const list = h('div', { 'data-testid': 'revisit-list' });
  replace(frame.main, h('h1', null, t('nav.revisit')), h('p', { class: 'muted' }, t('rv.intro')), message, list);
  const reload = () =>
    loadInto(list, async () => {
      const { items } = await api<{ items: RevisitItem[] }>('/revisits');
      replace(list, items.length ? items.map((c) => row(c)) : h('p', { class: 'muted' }, t('rv.none')));
    });

  function row(c: RevisitItem): HTMLElement {
    const group = `result-${c.id}`;
    const radios = RESULTS.map((r, i) => h('label', null, h('input', { type: 'radio', name: group, value: r.key, checked: i === 0 }), t(`rv.${r.key}`)));
    const comment = h('textarea', { maxlength: 500, 'aria-label': t('rv.comment'), rows: 2 });
    const save = h('button', { type: 'submit', class: 'primary' }, t('rv.save'));
    const form = h(
      'form',
      { class: 'panel', 'data-revisit': c.caseNo },
      h('h2', null, `${t('rv.case')} ${c.caseNo}`),
      h(
        'dl',
        { class: 'fields' },
        h('dt', null, t('rv.reporter')),
        h(
          'dd',
          null,
          `${c.reporterName ?? ''} `,
          h('a', { href: `tel:${c.reporterPhone}`, 'data-testid': 'phone' }, c.reporterPhone),
          ' ',
          h('span', { class: 'muted' }, c.channel === 'hotline' ? t('rv.channel.hotline') : t('rv.channel.other')),
        ),
        h('dt', null, t('rv.closed')),
        h(
          'dd',
          null,
          c.closedAt ? formatDateTime(c.closedAt) : '—',
          c.attempts ? h('span', { class: 'muted' }, ` · ${t('rv.attempts', { n: c.attempts })}`) : null,
        ),
      ),
      h('p', null, c.description),
      h('fieldset', null, h('legend', null, t('rv.result')), radios),
      h('label', null, t('rv.comment'), comment),
      h('div', { class: 'actions' }, save),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const picked = RESULTS.find((r) => r.key === form.querySelector<HTMLInputElement>(`input[name="${group}"]:checked`)?.value)!;
      const note = comment.value.trim();
      const body = picked.body.reached ? { ...picked.body, ...(note ? { comment: note } : {}) } : { ...picked.body, ...(note ? { note } : {}) };
      save.disabled = true;
      try {
        const done = await api<{ caseNo: string; rated: boolean }>(`/revisits/${c.id}`, { body, headers: { 'Idempotency-Key': idempotencyKey() } });
        replace(
          message,
          h(
            'p',
            { class: 'notice ok', role: 'status', 'data-testid': 'revisit-done' },
            t(done.rated ? 'rv.saved' : 'rv.savedUnreached', { caseNo: done.caseNo }),
          ),
        );
        void reload();
      } catch (err) {
        replace(message, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
        save.disabled = false;
      }
    });
    return form;
  }
  void reload();
}
