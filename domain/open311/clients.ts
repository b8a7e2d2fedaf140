import { createHash, randomBytes } from 'node:crypto';
import { Open311Client } from '../../db/models/index.js';
import { withAuditChain } from '../audit/index.js';
import type { Actor } from '../auth/sessions.js';
import { DomainError } from '../shared/errors.js';

/** What the admin endpoints show of a client: never the key or its hash. */
export interface Open311ClientView {
  id: number;
  name: string;
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

const view = (c: Open311Client): Open311ClientView => ({
  id: c.id, name: c.name, enabled: Boolean(c.enabled), createdBy: c.createdBy ?? null,
  createdAt: c.createdAt.toISOString(), disabledAt: c.disabledAt ? c.disabledAt.toISOString() : null,
});

export async function listOpen311Clients(): Promise<Open311ClientView[]> {
  return (await Open311Client.findAll({ order: [['id', 'ASC']] })).map(view);
}

/** Registers a client; the API key is returned here once and only its hash is kept. Audited in the same transaction. */
export async function createOpen311Client(name: string, actor: Actor): Promise<Open311ClientView & { apiKey: string }> {
  const apiKey = `o311_${randomBytes(32).toString('base64url')}`;
  return withAuditChain(async (chain) => {
    const row = await Open311Client.create({ name, keyHash: hashApiKey(apiKey), createdBy: actor.username, disabledAt: null }, { transaction: chain.transaction });
    await chain.append({ caseId: null, actor: actor.username, actorRole: actor.role, action: 'open311_client.created', detail: { clientId: row.id, name } });
    return { ...view(row), apiKey };
  });
}

/** Disables a client for good (its key stops working); disabling twice changes nothing. */
export async function disableOpen311Client(id: number, actor: Actor, now = new Date()): Promise<Open311ClientView> {
  return withAuditChain(async (chain) => {
    const row = await Open311Client.findByPk(id, { transaction: chain.transaction });
    if (!row) throw new DomainError('NOT_FOUND', `no Open311 client ${id}`, { apiCode: 'not_found' });
    if (!row.enabled) return view(row);
    await row.update({ enabled: false, disabledAt: now }, { transaction: chain.transaction });
    await chain.append({ caseId: null, actor: actor.username, actorRole: actor.role, action: 'open311_client.disabled', detail: { clientId: row.id, name: row.name }, at: now });
    return view(row);
  });
}

/** The enabled client holding this key, or null (unknown and disabled keys look the same to the caller). */
export async function clientForApiKey(apiKey: string): Promise<Open311Client | null> {
  const row = await Open311Client.findOne({ where: { keyHash: hashApiKey(apiKey) } });
  return row && row.enabled ? row : null;
}
