import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type { Open311ClientsTable } from '../../db/sql/schema.js';
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

/** A client as the table holds it. */
export type Open311Client = Selectable<Open311ClientsTable>;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

const view = (c: Open311Client): Open311ClientView => ({
  id: c.id,
  name: c.name,
  enabled: Boolean(c.enabled),
  createdBy: c.createdBy ?? null,
  createdAt: c.createdAt.toISOString(),
  disabledAt: c.disabledAt ? c.disabledAt.toISOString() : null,
});

export async function listOpen311Clients(): Promise<Open311ClientView[]> {
  return (await appSql().selectFrom('open311_clients').selectAll().orderBy('id', 'asc').execute()).map(view);
}

/** Registers a client; the API key is returned here once and only its hash is kept. Audited in the same transaction. */
export async function createOpen311Client(name: string, actor: Actor): Promise<Open311ClientView & { apiKey: string }> {
  const apiKey = `o311_${randomBytes(32).toString('base64url')}`;
  return withAuditChain(async (chain) => {
    const now = new Date();
    const values = { name, keyHash: hashApiKey(apiKey), enabled: true, createdBy: actor.username, disabledAt: null, createdAt: now, updatedAt: now };
    const inserted = await appSql(chain.transaction).insertInto('open311_clients').values(values).executeTakeFirstOrThrow();
    const row: Open311Client = { id: Number(inserted.insertId), ...values };
    await chain.append({ caseId: null, actor: actor.username, actorRole: actor.role, action: 'open311_client.created', detail: { clientId: row.id, name } });
    return { ...view(row), apiKey };
  });
}

/** Disables a client for good (its key stops working); disabling twice changes nothing. */
export async function disableOpen311Client(id: number, actor: Actor, now = new Date()): Promise<Open311ClientView> {
  return withAuditChain(async (chain) => {
    const row = await appSql(chain.transaction).selectFrom('open311_clients').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('NOT_FOUND', `no Open311 client ${id}`, { apiCode: 'not_found' });
    if (!row.enabled) return view(row);
    const disabled = { ...row, enabled: false, disabledAt: now, updatedAt: new Date() };
    await appSql(chain.transaction)
      .updateTable('open311_clients')
      .set({ enabled: false, disabledAt: now, updatedAt: disabled.updatedAt })
      .where('id', '=', id)
      .execute();
    await chain.append({
      caseId: null,
      actor: actor.username,
      actorRole: actor.role,
      action: 'open311_client.disabled',
      detail: { clientId: row.id, name: row.name },
      at: now,
    });
    return view(disabled);
  });
}

/** The enabled client holding this key, or null (unknown and disabled keys look the same to the caller). */
export async function clientForApiKey(apiKey: string): Promise<Open311Client | null> {
  const row = await appSql().selectFrom('open311_clients').selectAll().where('keyHash', '=', hashApiKey(apiKey)).executeTakeFirst();
  return row && row.enabled ? row : null;
}
