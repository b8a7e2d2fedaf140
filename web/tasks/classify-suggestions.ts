/**
 * 受理's suggestions, read-only above the form: the classifier's top three event types with their
 * confidence and the words that decided, whether the report is a case at all (咨询, 表扬, 骚扰 are
 * answered directly: 不予立案), and the place it names. One click fills the form (立案 + that type,
 * or 不予立案); the form's own 事件类型 list stays for picking another. Fed by POST /api/classify, the
 * same answer an outside scorer gets; a role that may not ask sees no block.
 */
import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { t } from '../shared/i18n.js';

interface Suggestion {
  candidates: Array<{ code: string; name: string; category: string; confidence: number; words: string[] }>;
  dispatchable: boolean;
  notDispatchable: { label: string; name: string; confidence: number } | null;
  auto: boolean;
  place: { gridCode: string; gridName: string; township: string; community: string | null; matched: string; confidence: number } | null;
  method: string;
  modelVersion: number | null;
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

export async function classifySuggestions(
  box: HTMLElement,
  text: string,
  canAct: boolean,
  fill: (values: Record<string, unknown>) => Promise<void>,
): Promise<void> {
  if (!text.trim()) return;
  let s: Suggestion;
  try {
    s = await api<Suggestion>('/classify', { body: { text: text.slice(0, 2000) } });
  } catch {
    return; // not a centre role, or the classifier unavailable: the form alone still files the case
  }
  const chosen = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'suggest-chosen' });
  const pick = (values: Record<string, unknown>, said: string) => async () => {
    await fill(values);
    chosen.textContent = said;
  };
  const candidates = s.candidates.map((c, i) =>
    h(
      'li',
      { 'data-code': c.code, class: i === 0 && s.dispatchable ? 'first' : null },
      h('span', { class: 'sg-name' }, `${c.name}（${c.code}）`),
      ' ',
      h('span', { class: 'muted' }, c.category),
      ' ',
      h('span', { class: 'sg-conf', 'data-testid': 'suggest-confidence' }, t('sg.confidence', { p: pct(c.confidence) })),
      ' ',
      c.words.length
        ? h(
            'span',
            { class: 'sg-words' },
            t('sg.words'),
            c.words.map((w) => h('mark', null, w)),
          )
        : null,
      ' ',
      canAct
        ? h(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-accept': c.code,
              onclick: pick({ filed: true, eventTypeCode: c.code }, t('sg.chosen', { name: `${c.name}（${c.code}）` })),
            },
            t('sg.accept'),
          )
        : null,
    ),
  );
  replace(
    box,
    h('h4', null, t('sg.title'), ' ', h('span', { class: 'muted' }, s.modelVersion ? t('sg.model', { v: s.modelVersion }) : t('sg.keywords'))),
    s.dispatchable
      ? null
      : h(
          'p',
          { class: 'notice', 'data-testid': 'suggest-not-dispatchable' },
          t('sg.notDispatchable', { name: s.notDispatchable?.name ?? '', p: pct(s.notDispatchable?.confidence ?? 0) }),
          ' ',
          canAct
            ? h(
                'button',
                { type: 'button', class: 'link', 'data-reject': s.notDispatchable?.label ?? '', onclick: pick({ filed: false }, t('sg.chosen.reject')) },
                t('sg.reject'),
              )
            : null,
        ),
    candidates.length ? h('ol', { class: 'sg-candidates', 'data-testid': 'suggest-candidates' }, candidates) : h('p', { class: 'muted' }, t('sg.none')),
    h(
      'p',
      { 'data-testid': 'suggest-place' },
      t('sg.place'),
      s.place
        ? t('sg.place.found', {
            matched: s.place.matched,
            grid: `${s.place.gridName}（${s.place.gridCode}）`,
            where: [s.place.township, s.place.community].filter(Boolean).join(' '),
            p: pct(s.place.confidence),
          })
        : t('sg.place.none'),
    ),
    h('p', { class: 'muted' }, t('sg.other')),
    chosen,
  );
  box.hidden = false;
}
