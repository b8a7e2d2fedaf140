import { appSql } from '../../db/sql/current.js';
import type { CaseRecord, UnitRecord } from '../cases/case-records.js';
import type { NotificationRequest } from './enqueue.js';
import { localMinute } from '../shared/local-time.js';

/** Where a notification goes: a phone gets an SMS, an account an in-app message. */
export interface Recipient {
  channel: string;
  recipient: string;
  label: string;
}

export type ReporterEvent = 'accepted' | 'rejected' | 'dispatched' | 'closed' | 'handedOver';
export const REPORTER_EVENTS: readonly ReporterEvent[] = ['accepted', 'rejected', 'dispatched', 'closed', 'handedOver'];

type Case = CaseRecord;
type Unit = Pick<UnitRecord, 'code' | 'name' | 'shortName' | 'contactPerson' | 'contactPhone'>;
type User = { id: number; phone: string | null; displayName: string };
const UNIT_COLUMNS = ['id', 'code', 'name', 'shortName', 'contactPerson', 'contactPhone'] as const;

/** The reporter's contact: phone first, else their account; AI cameras and anonymous reports have none. */
export function reporterRecipient(c: Pick<Case, 'reporterPhone' | 'reporterUserId' | 'reporterName'>): Recipient | null {
  if (c.reporterPhone) return { channel: 'sms', recipient: c.reporterPhone, label: c.reporterName ?? '反映人' };
  if (c.reporterUserId) return { channel: 'app', recipient: `user:${c.reporterUserId}`, label: c.reporterName ?? '反映人' };
  return null;
}

function unitRecipient(unit: Unit): Recipient {
  return unit.contactPhone
    ? { channel: 'sms', recipient: unit.contactPhone, label: `${unit.shortName ?? unit.name}${unit.contactPerson ? ` ${unit.contactPerson}` : ''}` }
    : { channel: 'app', recipient: `unit:${unit.code}`, label: unit.shortName ?? unit.name };
}

function userRecipient(user: User): Recipient {
  return user.phone
    ? { channel: 'sms', recipient: user.phone, label: user.displayName }
    : { channel: 'app', recipient: `user:${user.id}`, label: user.displayName };
}

/** The text the reporter gets for each step. */
export function reporterMessage(
  event: ReporterEvent,
  c: Pick<Case, 'caseNo' | 'trackingToken'>,
  extra: { unitName?: string | null; reason?: string | null; handOverTo?: string | null } = {},
): { subject: string; body: string } {
  const no = `案卷号 ${c.caseNo}`;
  switch (event) {
    case 'accepted':
      return { subject: '已受理', body: `您反映的问题已受理立案（${no}），我们将尽快派遣处置。查询码：${c.trackingToken}` };
    case 'rejected':
      return { subject: '不予立案', body: `您反映的问题经核实不予立案（${no}）${extra.reason ? `，原因：${extra.reason}` : ''}。如有疑问请致电12345。` };
    case 'dispatched':
      return { subject: '已派遣', body: `您反映的问题（${no}）已派遣至${extra.unitName ?? '责任单位'}处置。查询码：${c.trackingToken}` };
    case 'closed':
      return { subject: '已办结', body: `您反映的问题（${no}）已办结，请通过查询码 ${c.trackingToken} 对处置结果进行评价。` };
    case 'handedOver': {
      // 调解不成: nothing was 办结 and there is nothing to rate; the reporter learns where the matter went
      const to = extra.handOverTo === 'petition' ? '信访部门' : extra.handOverTo === 'judicial' ? '司法部门' : '有关部门';
      return {
        subject: '已移交',
        body: `您反映的纠纷（${no}）经调解未能达成协议，已移交${to}依法处理${extra.reason ? `：${extra.reason}` : ''}。查询码：${c.trackingToken}`,
      };
    }
  }
}

/**
 * Who is told at 催办: the unit handling the case (its duty contact), or — for a 协办 task — the
 * assisting unit named by `unitCode`.
 */
export async function reminderRecipients(c: Pick<Case, 'unitId'>, options: { unitCode?: string | null } = {}): Promise<Recipient[]> {
  const units = appSql().selectFrom('units').select(UNIT_COLUMNS);
  const unit = options.unitCode
    ? await units.where('code', '=', options.unitCode).executeTakeFirst()
    : c.unitId
      ? await units.where('id', '=', c.unitId).executeTakeFirst()
      : null;
  return unit ? [unitRecipient(unit)] : await centreRecipients();
}

async function centreRecipients(): Promise<Recipient[]> {
  const centres = await appSql()
    .selectFrom('units')
    .select(UNIT_COLUMNS)
    .where('kind', '=', 'centre')
    .where('active', '=', true)
    .orderBy('id', 'asc')
    .execute();
  return centres.map(unitRecipient);
}

/**
 * Who is told at 督办 (level 1): the unit's leaders (else its duty contact) and the centre;
 * at 挂牌督办 (level 2) also the district leaders.
 */
export async function escalationRecipients(c: Pick<Case, 'unitId'>, level: number): Promise<Recipient[]> {
  const out: Recipient[] = [];
  const q = appSql();
  const unit = c.unitId ? await q.selectFrom('units').select(UNIT_COLUMNS).where('id', '=', c.unitId).executeTakeFirst() : null;
  if (unit) {
    const leaders = await q
      .selectFrom('users')
      .select(['id', 'phone', 'displayName'])
      .where('unitId', '=', unit.id)
      .where('role', '=', 'dept_leader')
      .where('active', '=', true)
      .orderBy('id', 'asc')
      .execute();
    out.push(...(leaders.length ? leaders.map(userRecipient) : [unitRecipient(unit)]));
  }
  out.push(...(await centreRecipients()));
  if (level >= 2) {
    const leaders = await q
      .selectFrom('users')
      .select(['id', 'phone', 'displayName'])
      .where('role', '=', 'leader')
      .where('active', '=', true)
      .orderBy('id', 'asc')
      .execute();
    out.push(...leaders.map(userRecipient));
  }
  // one message per address even when a person holds two roles
  return out.filter((r, i) => out.findIndex((o) => o.channel === r.channel && o.recipient === r.recipient) === i);
}

export function reminderMessage(c: Pick<Case, 'caseNo' | 'description'>, stage: string, dueAt: Date | null): { subject: string; body: string } {
  return {
    subject: `催办：${c.caseNo}`,
    body: `【催办】案卷 ${c.caseNo}（${stageName(stage)}）即将超期${dueAt ? `，办理时限 ${localMinute(dueAt)}` : ''}，请抓紧办理。问题：${c.description.slice(0, 60)}`,
  };
}

export function escalationMessage(c: Pick<Case, 'caseNo' | 'description'>, level: number, unitName: string | null): { subject: string; body: string } {
  const kind = level >= 2 ? '挂牌督办' : '督办';
  return {
    subject: `${kind}：${c.caseNo}`,
    body: `【${kind}】案卷 ${c.caseNo}${unitName ? `（${unitName}）` : ''}已超期未办结，请立即督促处置并反馈。问题：${c.description.slice(0, 60)}`,
  };
}

export function stageName(stage: string): string {
  return ({ accept: '受理', dispatch: '派遣', handle: '处置', verify: '核查', extend: '延期处置', assist: '协办' } as Record<string, string>)[stage] ?? stage;
}

/** A request for each recipient, keyed so the same job never queues the same message twice. */
export function notificationsFor(
  recipients: Recipient[],
  base: { dedupKey: string; kind: string; caseId: string; subject: string; body: string },
): NotificationRequest[] {
  return recipients.map((r) => ({
    dedupKey: `${base.dedupKey}:${r.channel}:${r.recipient}`.slice(0, 128),
    kind: base.kind,
    channel: r.channel,
    recipient: r.recipient,
    caseId: base.caseId,
    subject: base.subject,
    body: base.body,
  }));
}
