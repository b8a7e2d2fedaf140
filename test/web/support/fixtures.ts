import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { expect } from 'chai';
import { Cases, EventTypes, InboxTasks, Units, Users } from '../../support/tables.js';
import { hashPassword } from '../../../domain/auth/password.js';
import { eventually } from '../../processes/support/process-harness.js';
import { PASSWORD, type ApiWorld } from '../../api/support/api-world.js';

/** A real PNG (solid colour, `width`×`height`), for upload fields: the server checks magic bytes. */
export function pngImage(width = 48, height = 32, rgb: [number, number, number] = [20, 86, 184]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The decoded width of the first image matching `selector` (0 while loading or broken). Evaluated as a
 * function (CDP callFunctionOn), which the pages' CSP allows; string expressions would need 'unsafe-eval'.
 */
export async function naturalWidth(page: Page, selector: string): Promise<number> {
  const img = page.locator(selector).first();
  if (!(await img.count())) return 0;
  return img.evaluate((el) =>
    (el as unknown as { complete: boolean; naturalWidth: number }).complete ? (el as unknown as { naturalWidth: number }).naturalWidth : 0,
  );
}

interface TaskRow {
  userTaskKey: string;
  elementId: string;
  caseId: string | null;
}

/** The open task of a case at one of the elements, as `username` sees it in GET /api/tasks. */
export async function openTaskOf(api: ApiWorld, username: string, caseId: string, elementIds: string[]): Promise<TaskRow> {
  const token = await api.login(username);
  return eventually(
    `a ${elementIds.join('/')} task of case ${caseId}`,
    async () => {
      const res = await api.call<{ tasks: TaskRow[] }>('GET', '/tasks?limit=200', { token });
      return res.body.tasks.find((t) => t.caseId === caseId && elementIds.includes(t.elementId)) ?? null;
    },
    20_000,
  );
}

async function complete(api: ApiWorld, username: string, key: string, data: Record<string, unknown>): Promise<void> {
  const token = await api.login(username);
  const res = await api.call('POST', `/tasks/${key}/complete`, { token, body: { data } });
  expect(res.status, `complete ${key} as ${username}: ${JSON.stringify(res.body)}`).to.equal(200);
}

/**
 * Drives a filed case through 受理 and 派遣 (the operator, to the demo clerk's unit when the router asks)
 * up to the unit's 处置 task. Returns the task key and a dept_staff user of the unit holding it (the demo
 * `clerk` when the case went to the clerk's unit, a new clerk of that unit otherwise).
 */
export async function driveToHandle(api: ApiWorld, caseId: string): Promise<{ handleKey: string; staff: string }> {
  const accept = await openTaskOf(api, 'operator', caseId, ['accept']);
  const eventType = (await EventTypes.findOne({ order: [['id', 'ASC']] }))!;
  await complete(api, 'operator', accept.userTaskKey, { filed: true, eventTypeCode: eventType.code });
  const clerkUser = (await Users.findOne({ where: { username: 'clerk' } }))!;
  const clerkUnit = (await Units.findByPk(clerkUser.unitId!))!;
  const next = await openTaskOf(api, 'operator', caseId, ['dispatch', 'handle']);
  if (next.elementId === 'dispatch') await complete(api, 'operator', next.userTaskKey, { unitCode: clerkUnit.code, dispatchNote: '请尽快处理' });
  const handleRow = await eventually(
    'the handle task in the inbox',
    async () => InboxTasks.findOne({ where: { caseId, elementId: 'handle', state: 'created' } }),
    20_000,
  );
  let staff = 'clerk';
  if (handleRow.unitId !== clerkUnit.id) {
    staff = `clerk-${handleRow.unitId}`;
    if (!(await Users.findOne({ where: { username: staff } }))) {
      await Users.create({
        username: staff,
        displayName: '办事员',
        role: 'dept_staff',
        unitId: handleRow.unitId,
        phone: null,
        passwordHash: await hashPassword(PASSWORD),
      });
    }
  }
  return { handleKey: handleRow.userTaskKey, staff };
}

/** From 处置 to 结案 through the API: the unit reports it done, the centre verifies. */
export async function driveToClosed(api: ApiWorld, caseId: string): Promise<void> {
  const { handleKey, staff } = await driveToHandle(api, caseId);
  await complete(api, staff, handleKey, { handleOutcome: 'done', handleResult: '已清运并消杀' });
  const verify = await openTaskOf(api, 'operator', caseId, ['verify']);
  await complete(api, 'operator', verify.userTaskKey, { verified: true });
  await eventually('the case closed', async () => ((await Cases.findByPk(caseId))!.status === 'closed' ? true : null), 20_000);
}
