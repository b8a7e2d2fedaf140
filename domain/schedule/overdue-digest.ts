import { appSql } from '../../db/sql/current.js';
import { type CaseStatus } from '../../db/vocabulary.js';
import { enqueueNotification, stageName } from '../outbox/index.js';
import { localDay, localMinute } from '../shared/local-time.js';

/** Cases still being worked on: 立案 through 核查 (挂账 and finished cases are not chased). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['accepted', 'dispatched', 'handling', 'returned', 'verifying'];

/** How many of a unit's worst cases the digest names. */
export const WORST_SHOWN = 5;

export interface UnitDigest {
  unitCode: string;
  unitName: string;
  overdue: number;
  /** of which the light is red */
  red: number;
  /** of which 督办/挂牌督办 */
  escalated: number;
  /** case numbers, worst first */
  worst: string[];
  dedupKey: string;
  /** false when today's digest was already queued */
  queued: boolean;
}

export interface DigestRun {
  date: string;
  units: UnitDigest[];
  /** the command-centre summaries queued now (0 when already sent today or nothing is overdue) */
  summaries: number;
  /** open incidents in the workflow engine (stuck cases for the administrators); null when not asked */
  openIncidents: number | null;
}

/** What the digest reads of an overdue case. */
interface OverdueCase {
  id: string;
  caseNo: string;
  status: CaseStatus;
  unitId: number | null;
  dueAt: Date | null;
  warningLight: string;
  escalationLevel: number;
}

/** What it reads of a unit: the name it is called by and where its reminders go. */
interface DigestUnit {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  contactPhone: string | null;
}

const UNIT_COLUMNS = ['id', 'code', 'name', 'shortName', 'contactPhone'] as const;

const STAGE_OF: Partial<Record<CaseStatus, string>> = {
  accepted: 'dispatch',
  dispatched: 'handle',
  handling: 'handle',
  returned: 'dispatch',
  verifying: 'verify',
};

/** How late a case is: from its running stage's due time; a red light without a passed due time counts as 0. */
const lateMs = (c: OverdueCase, now: Date): number => (c.dueAt && c.dueAt.getTime() <= now.getTime() ? now.getTime() - c.dueAt.getTime() : 0);

function lateness(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 24 ? `${Math.floor(hours / 24)}天${hours % 24 ? `${hours % 24}小时` : ''}` : `${hours}小时`;
}

function worstFirst(now: Date) {
  return (a: OverdueCase, b: OverdueCase) => lateMs(b, now) - lateMs(a, now) || b.escalationLevel - a.escalationLevel || a.caseNo.localeCompare(b.caseNo);
}

/** A unit's duty address, as the outbox's reminders use it: its phone by SMS, else its in-app inbox. */
function addressOf(unit: DigestUnit): { channel: string; recipient: string } {
  return unit.contactPhone ? { channel: 'sms', recipient: unit.contactPhone } : { channel: 'app', recipient: `unit:${unit.code}` };
}

/**
 * 每日超期通报: each unit with open cases past their due time (or on a red light) gets one digest —
 * counts and its worst cases — and the command centre one summary across units. Dedup keys
 * `digest:<unitCode>:<local date>` and `digest-summary:<centreCode>:<local date>` make a second
 * run on the same day queue nothing. Units without overdue cases get nothing.
 */
export async function dailyOverdueDigest(now: Date, options: { openIncidents?: () => Promise<number> } = {}): Promise<DigestRun> {
  const date = localDay(now);
  const openIncidents = options.openIncidents ? await options.openIncidents() : null;
  const overdue = (await appSql()
    .selectFrom('cases')
    .select(['id', 'caseNo', 'status', 'unitId', 'dueAt', 'warningLight', 'escalationLevel'])
    .where('status', 'in', [...OPEN_STATUSES])
    .where('unitId', 'is not', null)
    .where((eb) => eb.or([eb('dueAt', '<=', now), eb('warningLight', '=', 'red')]))
    .orderBy('id', 'asc')
    .execute()) as OverdueCase[];
  const byUnit = new Map<number, OverdueCase[]>();
  for (const c of overdue) byUnit.set(c.unitId!, [...(byUnit.get(c.unitId!) ?? []), c]);
  const units = new Map(
    (byUnit.size
      ? await appSql()
          .selectFrom('units')
          .select(UNIT_COLUMNS)
          .where('id', 'in', [...byUnit.keys()])
          .execute()
      : []
    ).map((u) => [u.id, u]),
  );

  const digests: UnitDigest[] = [];
  for (const [unitId, cases] of byUnit) {
    const unit = units.get(unitId);
    if (!unit) continue;
    cases.sort(worstFirst(now));
    const unitName = unit.shortName ?? unit.name;
    const red = cases.filter((c) => c.warningLight === 'red').length;
    const escalated = cases.filter((c) => c.escalationLevel > 0).length;
    const worst = cases.slice(0, WORST_SHOWN);
    const lines = worst.map(
      (c) =>
        `${c.caseNo}（${stageName(STAGE_OF[c.status] ?? c.status)}，${lateMs(c, now) > 0 ? `超期${lateness(lateMs(c, now))}` : '红灯'}${c.escalationLevel >= 2 ? '，挂牌督办' : c.escalationLevel === 1 ? '，督办' : ''}）`,
    );
    const dedupKey = `digest:${unit.code}:${date}`;
    const { created } = await enqueueNotification(
      {
        dedupKey,
        kind: 'overdue-digest',
        ...addressOf(unit),
        caseId: null,
        subject: `超期案卷日报 ${date}`,
        body:
          `【超期日报】${unitName}：截至${localMinute(now)}，超期未办结案卷${cases.length}件（红灯${red}件，督办${escalated}件）。` +
          `最需处理：${lines.join('；')}${cases.length > worst.length ? ` 等${cases.length}件` : ''}。请抓紧办理。`,
      },
      { now },
    );
    digests.push({ unitCode: unit.code, unitName, overdue: cases.length, red, escalated, worst: worst.map((c) => c.caseNo), dedupKey, queued: created });
  }
  digests.sort((a, b) => b.overdue - a.overdue || a.unitCode.localeCompare(b.unitCode));

  let summaries = 0;
  // the centre hears of stuck processes too: a case held by an incident moves no stage and is chased by no timer
  const incidentsLine = openIncidents ? `流程故障待处理${openIncidents}件（案卷停滞，请管理员在“流程运维”页处理）。` : '';
  if (digests.length || incidentsLine) {
    const total = digests.reduce((s, d) => s + d.overdue, 0);
    const red = digests.reduce((s, d) => s + d.red, 0);
    const body =
      (digests.length
        ? `【超期日报汇总】${date}：${digests.length}个单位共有超期未办结案卷${total}件（红灯${red}件）。` +
          digests.map((d) => `${d.unitName}${d.overdue}件${d.worst[0] ? `（最久 ${d.worst[0]}）` : ''}`).join('；') +
          '。'
        : `【超期日报汇总】${date}：无超期未办结案卷。`) + incidentsLine;
    const centres = await appSql()
      .selectFrom('units')
      .select(UNIT_COLUMNS)
      .where('kind', '=', 'centre')
      .where('active', '=', true)
      .orderBy('id', 'asc')
      .execute();
    for (const centre of centres) {
      const { created } = await enqueueNotification(
        {
          dedupKey: `digest-summary:${centre.code}:${date}`,
          kind: 'overdue-summary',
          ...addressOf(centre),
          caseId: null,
          subject: `超期案卷日报汇总 ${date}`,
          body,
        },
        { now },
      );
      if (created) summaries++;
    }
  }
  return { date, units: digests, summaries, openIncidents };
}
