/**
 * The calendar tab's second half: the national holidays and 调休 working days of a year, which the deadlines
 * run on as much as the district's own days, each beside the district's override of that date if it made one.
 */
import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { loadInto } from '../shared/layout.js';

interface NationalDay {
  date: string;
  working: boolean;
  name: string;
  local: { working: boolean; note: string | null } | null;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const weekday = (date: string) => t(`ad.nd.wd.${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!}`);
const dayKind = (working: boolean) => (working ? t('ad.nd.workday') : t('ad.nd.holiday'));

/** Draws the section into `box`: a year picker (last year to two years on) and that year's days. Answers a reload (after a district day changed). */
export function nationalDaysSection(box: HTMLElement): () => void {
  const thisYear = new Date().getFullYear();
  const year = h(
    'select',
    { id: 'nd-year', 'data-testid': 'national-year' },
    [thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => h('option', { value: String(y), selected: y === thisYear }, String(y))),
  );
  const list = h('div', { 'data-testid': 'national-days' });
  const load = async () => {
    const res = await api<{ year: number; covered: boolean; days: NationalDay[] }>(`/admin/calendar-days/national?year=${year.value}`);
    replace(
      list,
      res.covered
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'records', 'data-resource': 'national-days' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  ['ad.f.date', 'ad.nd.weekday', 'ad.nd.kind', 'ad.nd.festival', 'ad.nd.local'].map((k) => h('th', null, t(k))),
                ),
              ),
              h(
                'tbody',
                null,
                res.days.map((d) =>
                  h(
                    'tr',
                    { 'data-date': d.date, 'data-working': String(d.working) },
                    h('td', null, d.date),
                    h('td', null, weekday(d.date)),
                    h('td', null, h('span', { class: d.working ? 'yes' : 'no' }, dayKind(d.working))),
                    h('td', null, d.name),
                    h('td', { 'data-col': 'local' }, d.local ? `${dayKind(d.local.working)}${d.local.note ? `（${d.local.note}）` : ''}` : '—'),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'notice' }, t('ad.nd.uncovered', { year: res.year })),
    );
  };
  year.addEventListener('change', () => void loadInto(list, load));
  replace(
    box,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'nd-title' },
      h('h2', { id: 'nd-title' }, t('ad.nd.title')),
      h('p', { class: 'muted' }, t('ad.nd.about')),
      h('label', { for: 'nd-year' }, t('ad.nd.year')),
      ' ',
      year,
      list,
    ),
  );
  void loadInto(list, load);
  return () => void loadInto(list, load);
}
