import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import { uniqueViolation } from '../../db/sql/constraint-errors.js';
import { requirePlausibleLocation } from '../intake/plausible-location.js';
import { appSql } from '../../db/sql/current.js';
import type { CameraDevicesTable } from '../../db/sql/schema.js';
import { withAuditChain } from '../audit/index.js';
import type { Actor } from '../auth/sessions.js';
import { gridNear } from '../intake/nearest-grid.js';
import { DomainError } from '../shared/errors.js';

export interface CameraInput {
  code: string;
  name: string;
  lat: number;
  lng: number;
  address?: string | null;
  gridCode?: string | null;
  eventTypeCodes: string[];
  enabled?: boolean;
}

export interface CameraView {
  code: string;
  name: string;
  lat: number;
  lng: number;
  address: string | null;
  gridCode: string | null;
  eventTypeCodes: string[];
  enabled: boolean;
  hasKey: boolean;
  keyRotatedAt: string | null;
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Device keys are 32 random bytes, so a single SHA-256 is enough to store them: there is nothing to
 * guess that a slow hash (scrypt) would protect, and the check stays cheap on a path that takes
 * thousands of events a second.
 */
/** A camera as the code uses it: its event types parsed from their JSON text. */
export type CameraDevice = Omit<Selectable<CameraDevicesTable>, 'eventTypeCodes'> & { eventTypeCodes: string[] };

const deviceOf = (row: Selectable<CameraDevicesTable>): CameraDevice => ({ ...row, eventTypeCodes: JSON.parse(row.eventTypeCodes) as string[] });

export const hashDeviceKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
const newDeviceKey = () => `cam_${randomBytes(32).toString('base64url')}`;

export function keyMatches(key: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashDeviceKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function gridCodes(ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  return new Map((await appSql().selectFrom('grids').select(['id', 'code']).where('id', 'in', ids).execute()).map((g) => [g.id, g.code]));
}

async function views(rows: CameraDevice[]): Promise<CameraView[]> {
  const grids = await gridCodes([...new Set(rows.map((r) => r.gridId).filter((x): x is number => x !== null))]);
  return rows.map((d) => ({
    code: d.code,
    name: d.name,
    lat: d.lat,
    lng: d.lng,
    address: d.address,
    gridCode: d.gridId !== null ? (grids.get(d.gridId) ?? null) : null,
    eventTypeCodes: d.eventTypeCodes ?? [],
    enabled: d.enabled,
    hasKey: d.apiKeyHash !== null,
    keyRotatedAt: iso(d.keyRotatedAt),
    lastSeenAt: iso(d.lastSeenAt),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  }));
}

const notFound = (code: string) => new DomainError('NOT_FOUND', `no camera ${code}`, { apiCode: 'camera_not_found' });

/** The camera with this code, or null. */
export async function findDevice(code: string): Promise<CameraDevice | null> {
  const row = code.length <= 32 ? await appSql().selectFrom('camera_devices').selectAll().where('code', '=', code).executeTakeFirst() : undefined;
  return row ? deviceOf(row) : null;
}

async function deviceByCode(code: string): Promise<CameraDevice> {
  const row = await findDevice(code);
  if (!row) throw notFound(code);
  return row;
}

export async function listCameras(filter: {
  q?: string;
  enabled?: boolean;
  page?: number;
  pageSize?: number;
}): Promise<{ items: CameraView[]; total: number }> {
  const pageSize = filter.pageSize ?? 50;
  const matching = appSql()
    .selectFrom('camera_devices')
    .$if(!!filter.q, (b) => b.where((eb) => eb.or([eb('code', 'like', `%${filter.q}%`), eb('name', 'like', `%${filter.q}%`)])))
    .$if(filter.enabled !== undefined, (b) => b.where('enabled', '=', filter.enabled!));
  const [counted, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    matching
      .selectAll()
      .orderBy('code', 'asc')
      .limit(pageSize)
      .offset(((filter.page ?? 1) - 1) * pageSize)
      .execute(),
  ]);
  return { items: await views(rows.map(deviceOf)), total: Number(counted.n) };
}

export async function getCamera(code: string): Promise<CameraView> {
  return (await views([await deviceByCode(code)]))[0]!;
}

/** Grid and event types must exist; without a grid code the grid is the nearest one to the camera. */
async function placeAndTypes(input: Partial<CameraInput>, current?: CameraDevice): Promise<{ gridId?: number | null; eventTypeCodes?: string[] }> {
  const out: { gridId?: number | null; eventTypeCodes?: string[] } = {};
  // a camera placed at (0, 0) or far outside the district would file every capture there (issue #16, item 9),
  // whether its grid is named or found
  if (input.lat !== undefined || input.lng !== undefined) await requirePlausibleLocation(input.lat ?? current?.lat, input.lng ?? current?.lng);
  if (input.gridCode !== undefined && input.gridCode !== null) {
    const grid = await appSql().selectFrom('grids').select('id').where('code', '=', input.gridCode).executeTakeFirst();
    if (!grid) throw new DomainError('INVALID_ARGUMENT', `unknown grid ${input.gridCode}`, { apiCode: 'unknown_grid' });
    out.gridId = grid.id;
  } else if (!current || input.gridCode === null || input.lat !== undefined || input.lng !== undefined) {
    // new, moved, or grid cleared without naming one: the nearest grid to where the camera is
    const lat = input.lat ?? current?.lat;
    const lng = input.lng ?? current?.lng;
    out.gridId = lat !== undefined && lng !== undefined ? ((await gridNear(lat, lng))?.id ?? null) : null;
  }
  if (input.eventTypeCodes) {
    const codes = [...new Set(input.eventTypeCodes)];
    const found = codes.length ? await appSql().selectFrom('event_types').select('code').where('code', 'in', codes).execute() : [];
    const missing = codes.filter((c) => !found.some((f) => f.code === c));
    if (missing.length)
      throw new DomainError('INVALID_ARGUMENT', `unknown event types ${missing.join(', ')}`, {
        apiCode: 'unknown_event_type',
        errors: missing.map((m) => ({ path: '/eventTypeCodes', message: m })),
      });
    out.eventTypeCodes = codes;
  }
  return out;
}

const auditOf = (actor: Actor, action: string, detail: Record<string, unknown>) => ({
  caseId: null,
  actor: actor.username,
  actorRole: actor.role,
  action,
  detail,
});

/** Registers a camera and issues its first key (returned once, stored hashed). */
export async function createCamera(actor: Actor, input: CameraInput): Promise<{ camera: CameraView; apiKey: string }> {
  if (await appSql().selectFrom('camera_devices').select('id').where('code', '=', input.code).executeTakeFirst())
    throw new DomainError('CONFLICT', `camera ${input.code} exists`, { apiCode: 'camera_exists' });
  const placed = await placeAndTypes(input);
  const apiKey = newDeviceKey();
  const row = await withAuditChain(async (chain) => {
    const now = new Date();
    const values = {
      code: input.code,
      name: input.name,
      lat: input.lat,
      lng: input.lng,
      address: input.address ?? null,
      gridId: placed.gridId ?? null,
      eventTypeCodes: placed.eventTypeCodes ?? [],
      enabled: input.enabled ?? true,
      apiKeyHash: hashDeviceKey(apiKey),
      keyRotatedAt: now,
      lastSeenAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const inserted = await appSql(chain.transaction)
      .insertInto('camera_devices')
      .values({ ...values, eventTypeCodes: JSON.stringify(values.eventTypeCodes) })
      .executeTakeFirstOrThrow();
    const created: CameraDevice = { id: Number(inserted.insertId), ...values };
    await chain.append(
      auditOf(actor, 'camera_created', {
        code: input.code,
        name: input.name,
        lat: input.lat,
        lng: input.lng,
        gridId: created.gridId,
        eventTypeCodes: created.eventTypeCodes,
        enabled: created.enabled,
      }),
    );
    return created;
  }).catch((err: unknown) => {
    if (uniqueViolation(err)) throw new DomainError('CONFLICT', `camera ${input.code} exists`, { apiCode: 'camera_exists' });
    throw err;
  });
  return { camera: (await views([row]))[0]!, apiKey };
}

export async function updateCamera(actor: Actor, code: string, patch: Partial<Omit<CameraInput, 'code'>>): Promise<CameraView> {
  const row = await deviceByCode(code);
  const placed = await placeAndTypes(patch, row);
  await withAuditChain(async (chain) => {
    const before = {
      name: row.name,
      lat: row.lat,
      lng: row.lng,
      address: row.address,
      gridId: row.gridId,
      eventTypeCodes: row.eventTypeCodes,
      enabled: row.enabled,
    };
    const stored = { ...row, eventTypeCodes: JSON.stringify(row.eventTypeCodes) };
    const next: Partial<typeof stored> = {};
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.lat !== undefined) next.lat = patch.lat;
    if (patch.lng !== undefined) next.lng = patch.lng;
    if (patch.address !== undefined) next.address = patch.address;
    if (patch.enabled !== undefined) next.enabled = patch.enabled;
    if (placed.gridId !== undefined) next.gridId = placed.gridId;
    if (placed.eventTypeCodes) next.eventTypeCodes = JSON.stringify(placed.eventTypeCodes);
    // as the model's save: only what changed is written, and updated_at only then
    const changes = Object.fromEntries(Object.entries(next).filter(([k, v]) => stored[k as keyof typeof stored] !== v)) as Partial<typeof stored>;
    if (Object.keys(changes).length) {
      const updatedAt = new Date();
      await appSql(chain.transaction)
        .updateTable('camera_devices')
        .set({ ...changes, updatedAt })
        .where('id', '=', row.id)
        .execute();
      Object.assign(row, { ...changes, updatedAt }, changes.eventTypeCodes !== undefined ? { eventTypeCodes: placed.eventTypeCodes } : {});
    }
    const after = {
      name: row.name,
      lat: row.lat,
      lng: row.lng,
      address: row.address,
      gridId: row.gridId,
      eventTypeCodes: row.eventTypeCodes,
      enabled: row.enabled,
    };
    await chain.append(auditOf(actor, 'camera_updated', { code, before, after }));
  });
  return (await views([row]))[0]!;
}

/** A camera whose events made cases keeps its record: 409 `in_use` (disable it instead). */
export async function deleteCamera(actor: Actor, code: string): Promise<void> {
  const row = await deviceByCode(code);
  if (await appSql().selectFrom('camera_cases').select('id').where('deviceId', '=', row.id).limit(1).executeTakeFirst()) {
    throw new DomainError('CONFLICT', `camera ${code} has cases; disable it instead`, { apiCode: 'in_use' });
  }
  await withAuditChain(async (chain) => {
    await appSql(chain.transaction).deleteFrom('camera_devices').where('id', '=', row.id).execute();
    await chain.append(auditOf(actor, 'camera_deleted', { code, name: row.name }));
  });
}

/** A new key; the old one stops working at once. */
export async function rotateCameraKey(actor: Actor, code: string): Promise<{ apiKey: string }> {
  const row = await deviceByCode(code);
  const apiKey = newDeviceKey();
  await withAuditChain(async (chain) => {
    const now = new Date();
    await appSql(chain.transaction)
      .updateTable('camera_devices')
      .set({ apiKeyHash: hashDeviceKey(apiKey), keyRotatedAt: now, updatedAt: now })
      .where('id', '=', row.id)
      .execute();
    await chain.append(auditOf(actor, 'camera_key_rotated', { code }));
  });
  return { apiKey };
}
