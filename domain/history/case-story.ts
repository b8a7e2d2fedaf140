import type { CaseStory, StoryKind, StoryStep, TimelineEntry } from './history-types.js';

/**
 * The story of a case for an auditor, read from its timeline: 上报 → 受理 → 派遣 → 处置 → 核查 → 结案 (and the
 * detours: 不予受理, 退单, 延期, 挂账, 核查不通过, 重新办理), each step with who did it, when, how long it
 * took since the step before, and — where the case had a deadline for that stage — whether it was met.
 * The people's decisions come from their task completions, the automatic ones (a sure route, the close)
 * from the workers' records; engine detail stays in the timeline.
 */

/** The deadline stages (workers/case-deadline) that bound each step. */
const STAGES: Partial<Record<StoryKind, readonly string[]>> = {
  accepted: ['accept'],
  rejected: ['accept'],
  dispatched: ['dispatch'],
  handled: ['handle', 'extend'],
  returned: ['handle', 'extend'],
  shelved: ['handle', 'extend'],
  extended: ['handle', 'extend'],
  verified: ['verify'],
  verify_failed: ['verify'],
};

const HANDLE_OUTCOMES: Record<string, StoryKind> = { done: 'handled', return: 'returned', extend: 'extended', shelve: 'shelved' };

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

type Action = Extract<TimelineEntry, { kind: 'action' }>;

/** A person's task completion as a step (null: a task the story does not tell, such as a form with no decision). */
function taskStep(a: Action): Omit<StoryStep, 'dueAt' | 'onTime' | 'sinceMs'> | null {
  const d = a.detail ?? {};
  const data = (d['data'] ?? {}) as Record<string, unknown>;
  const elementId = str(d['elementId']);
  const base = { at: a.at, actor: a.actor, actorRole: a.actorRole, unitCode: null, unitName: null, note: null, elementId, rating: null };
  switch (elementId) {
    case 'accept':
      return data['filed'] === false ? { ...base, kind: 'rejected', note: str(data['rejectReason']) } : { ...base, kind: 'accepted' };
    case 'dispatch':
      // the 派遣 itself is told by the record that follows (with the unit's name); here only who decided it
      return null;
    case 'handle': {
      const kind = HANDLE_OUTCOMES[String(data['handleOutcome'])] ?? 'handled';
      const note =
        kind === 'returned'
          ? data['returnReason']
          : kind === 'extended'
            ? data['extensionReason']
            : kind === 'shelved'
              ? data['shelveReason']
              : data['handleResult'];
      return { ...base, kind, note: str(note) };
    }
    case 'verify':
      return { ...base, kind: data['verified'] === false ? 'verify_failed' : 'verified', note: str(data['verifyComment']) };
    default:
      return { ...base, kind: 'task' };
  }
}

export function caseStory(timeline: readonly TimelineEntry[], c: { createdAt: string; closedAt: string | null }): CaseStory {
  const actions = timeline.filter((e): e is Action => e.kind === 'action');
  const steps: Array<Omit<StoryStep, 'dueAt' | 'onTime' | 'sinceMs'>> = [];
  const deadlines: Array<{ at: string; stage: string; dueAt: string }> = [];
  const humanAccept = actions.some((a) => a.action === 'task_completed' && a.detail?.['elementId'] === 'accept');
  const dispatchers = actions.filter((a) => a.action === 'task_completed' && a.detail?.['elementId'] === 'dispatch');
  const reported = actions.find((a) => a.action === 'reported');
  steps.push({
    kind: 'reported',
    at: c.createdAt,
    actor: reported?.actor ?? null,
    actorRole: reported?.actorRole ?? null,
    unitCode: null,
    unitName: null,
    note: null,
    elementId: null,
    rating: null,
  });
  const told = new Set<Action>();
  let routeReason: string | null = null;
  let rated = false;
  for (const a of actions) {
    const d = a.detail ?? {};
    const auto = { at: a.at, actor: null, actorRole: null, unitCode: null, unitName: null, note: null, elementId: null, rating: null };
    switch (a.action) {
      case 'deadline-set': {
        const stage = str(d['stage']);
        const dueAt = str(d['dueAt']);
        if (stage && dueAt) deadlines.push({ at: a.at, stage, dueAt });
        break;
      }
      case 'task_completed': {
        const step = taskStep(a);
        if (step) steps.push(step);
        break;
      }
      case 'accepted':
        // accepted without a person (the classifier was sure): the record is the step
        if (!humanAccept) steps.push({ ...auto, kind: 'accepted' });
        break;
      case 'routed':
        routeReason = str(d['routeReason']);
        break;
      case 'dispatched': {
        // who decided: the 派遣 task completed last before this record and not told yet; none — the route was sure
        const by = dispatchers.filter((t) => t.at <= a.at && !told.has(t)).pop();
        if (by) told.add(by);
        steps.push({
          ...auto,
          kind: 'dispatched',
          actor: by?.actor ?? null,
          actorRole: by?.actorRole ?? null,
          unitCode: str(d['unitCode']),
          unitName: str(d['unitName']),
          note: by ? str((by.detail?.['data'] as Record<string, unknown> | undefined)?.['dispatchNote']) : routeReason,
        });
        break;
      }
      case 'closed':
        steps.push({ ...auto, kind: 'closed', at: str(d['closedAt']) ?? a.at });
        break;
      case 'reopened':
        steps.push({ ...auto, kind: 'reopened', note: str(d['comment']) });
        break;
      case 'rating_given':
      case 'rated':
        if (!rated) {
          rated = true;
          const rating = typeof d['rating'] === 'number' ? d['rating'] : null;
          steps.push({
            ...auto,
            kind: 'rated',
            actor: a.action === 'rating_given' ? a.actor : null,
            actorRole: a.actorRole,
            rating,
            note: str(d['comment']) ?? str(d['satisfaction']),
          });
        }
        break;
      default:
        break;
    }
  }
  const out: StoryStep[] = [];
  let before: number | null = null;
  for (const s of steps) {
    const stages = STAGES[s.kind];
    const deadline = stages ? (deadlines.filter((dl) => stages.includes(dl.stage) && dl.at <= s.at).pop() ?? null) : null;
    const at = Date.parse(s.at);
    out.push({
      ...s,
      dueAt: deadline?.dueAt ?? null,
      onTime: deadline ? at <= Date.parse(deadline.dueAt) : null,
      sinceMs: before === null ? null : Math.max(0, at - before),
    });
    before = at;
  }
  return { steps: out, totalMs: c.closedAt ? Math.max(0, Date.parse(c.closedAt) - Date.parse(c.createdAt)) : null };
}
