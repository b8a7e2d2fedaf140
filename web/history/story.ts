/**
 * 案件经过: the case told as the steps people know (上报 → 受理 → 派遣 → 处置 → 核查 → 结案), each with who,
 * when (local time), how long since the step before and whether the stage's deadline was met. The
 * server reads the steps from the timeline (domain/history/case-story.ts); this only words them.
 */
import { h } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import type { CaseHistory, HistoryNames, StoryStep } from './types.js';

const MINUTE = 60_000;

/** 3 天 4 小时 / 2 小时 15 分 / 5 分 / 不到 1 分 */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 1) return t('hi.dur.lt1m');
  const d = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return hours ? t('hi.dur.dh', { d, h: hours }) : t('hi.dur.d', { d });
  if (hours) return m ? t('hi.dur.hm', { h: hours, m }) : t('hi.dur.h', { h: hours });
  return t('hi.dur.m', { m });
}

/** A person by name with their role; the system when nobody acted. */
export function whoText(names: HistoryNames, actor: string | null, actorRole: string | null): string {
  if (!actor || actorRole === 'system' || actor.startsWith('worker:')) return t('hi.who.system');
  if (actor === 'public') return t('hi.who.public');
  const person = names.people[actor];
  const role = person?.role ?? actorRole;
  return `${person?.name ?? actor}${role ? `（${t(`role.${role}`)}）` : ''}`;
}

function stepTitle(s: StoryStep, history: CaseHistory): string {
  const unit = s.unitName ?? (s.unitCode ? (history.names.units[s.unitCode] ?? s.unitCode) : null);
  switch (s.kind) {
    case 'reported':
      return t('hi.step.reported', { channel: t(`hi.ch.${history.case.channel}`) });
    case 'dispatched':
      return t('hi.step.dispatched', { unit: unit ?? '—' });
    case 'rated':
      return s.rating !== null ? t('hi.step.rated.n', { n: s.rating }) : t('hi.step.rated');
    case 'task': {
      const name = s.elementId
        ? Object.values(history.names.elements)
            .map((m) => m[s.elementId!])
            .find(Boolean)
        : null;
      return t('hi.step.task', { name: name ?? s.elementId ?? '' });
    }
    default:
      return t(`hi.step.${s.kind}`);
  }
}

function deadlineBadge(s: StoryStep): HTMLElement | null {
  if (s.onTime === null || !s.dueAt) return null;
  return h(
    'span',
    { class: `deadline ${s.onTime ? 'met' : 'missed'}`, 'data-testid': 'deadline', 'data-on-time': String(s.onTime) },
    t(s.onTime ? 'hi.deadline.met' : 'hi.deadline.missed', { at: formatDateTime(s.dueAt) }),
  );
}

/** One sentence over the whole case: reported when and how, closed after how long, deadlines kept or missed. */
function summary(history: CaseHistory): string {
  const { steps, totalMs } = history.story;
  const bounded = steps.filter((s) => s.onTime !== null);
  const missed = bounded.filter((s) => s.onTime === false).length;
  const parts = [t('hi.story.reported', { at: formatDateTime(history.case.createdAt), channel: t(`hi.ch.${history.case.channel}`) })];
  parts.push(totalMs !== null ? t('hi.story.closed', { d: formatDuration(totalMs) }) : t('hi.story.open', { status: t(`status.${history.case.status}`) }));
  if (bounded.length) parts.push(missed ? t('hi.story.missed', { n: bounded.length, m: missed }) : t('hi.story.met', { n: bounded.length }));
  return parts.join(t('hi.story.sep')) + t('hi.story.end');
}

export function storyView(history: CaseHistory): HTMLElement {
  const steps = history.story.steps;
  return h(
    'section',
    { class: 'panel', 'data-testid': 'story-panel' },
    h('h2', null, t('hi.story')),
    h('p', { class: 'story-summary', 'data-testid': 'story-summary' }, summary(history)),
    h(
      'ol',
      { class: 'story', 'data-testid': 'story' },
      steps.map((s) =>
        h(
          'li',
          { class: `step-${s.kind}`, 'data-step': s.kind },
          h('div', null, h('span', { class: 'step-title' }, stepTitle(s, history)), deadlineBadge(s)),
          h(
            'div',
            { class: 'step-meta' },
            h('time', { datetime: s.at, 'data-testid': 'step-at' }, formatDateTime(s.at)),
            ' · ',
            h('span', { 'data-testid': 'step-who' }, whoText(history.names, s.actor, s.actorRole)),
            s.sinceMs !== null ? [' · ', h('span', { 'data-testid': 'step-since' }, t('hi.since', { d: formatDuration(s.sinceMs) }))] : null,
          ),
          s.note ? h('p', { class: 'step-note' }, s.note) : null,
        ),
      ),
    ),
  );
}
