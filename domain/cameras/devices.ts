import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Op } from 'sequelize';
import { CameraCase, CameraDevice, EventType, Grid } from '../../db/models/index.js';
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
  return new Map((await Grid.findAll({ where: { id: ids }, attributes: ['id', 'code'] })).map((g) => [g.id, g.code]));
}

async function views(rows: CameraDevice[]): Promise<CameraView[]> {
  const grids = await gridCodes([...new Set(rows.map((r) => r.gridId).filter((x): x is number => x !== null))]);
  return rows.map((d) => ({
    code: d.code, name: d.name, lat: d.lat, lng: d.lng, address: d.address, gridCode: d.gridId !== null ? grids.get(d.gridId) ?? null : null,
    eventTypeCodes: d.eventTypeCodes ?? [], enabled: d.enabled, hasKey: d.apiKeyHash !== null, keyRotatedAt: iso(d.keyRotatedAt),
    lastSeenAt: iso(d.lastSeenAt), createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(),
  }));
}

const notFound = (code: string) => new DomainError('NOT_FOUND', `no camera ${code}`, { apiCode: 'camera_not_found' });

async function deviceByCode(code: string): Promise<CameraDevice> {
  const row = code.length <= 32 ? await CameraDevice.findOne({ where: { code } }) : null;
  if (!row) throw notFound(code);
  return row;
}

export async function listCameras(filter: { q?: string; enabled?: boolean; page?: number; pageSize?: number }): Promise<{ items: CameraView[]; total: number }> {
  const where: Record<string | symbol, unknown> = {};
  if (filter.q) where[Op.or] = [{ code: { [Op.like]: `%${filter.q}%` } }, { name: { [Op.like]: `%${filter.q}%` } }];
  if (filter.enabled !== undefined) where['enabled'] = filter.enabled;
  const pageSize = filter.pageSize ?? 50;
  const { rows, count } = await CameraDevice.findAndCountAll({ where, order: [['code', 'ASC']], limit: pageSize, offset: ((filter.page ?? 1) - 1) * pageSize });
  return { items: await views(rows), total: count };
}

export async function getCamera(code: string): Promise<CameraView> {
  return (await views([await deviceByCode(code)]))[0]!;
}

/** Grid and event types must exist; without a grid code the grid is the nearest one to the camera. */
async function placeAndTypes(input: Partial<CameraInput>, current?: CameraDevice): Promise<{ gridId?: number | null; eventTypeCodes?: string[] }> {
  const out: { gridId?: number | null; eventTypeCodes?: string[] } = {};
  if (input.gridCode !== undefined && input.gridCode !== null) {
    const grid = await Grid.findOne({ where: { code: input.gridCode } });
    if (!grid) throw new DomainError('INVALID_ARGUMENT', `unknown grid ${input.gridCode}`, { apiCode: 'unknown_grid' });
    out.gridId = grid.id;
  } else if (!current || input.gridCode === null || input.lat !== undefined || input.lng !== undefined) {
    // new, moved, or grid cleared without naming one: the nearest grid to where the camera is
    const lat = input.lat ?? current?.lat;
    const lng = input.lng ?? current?.lng;
    out.gridId = lat !== undefined && lng !== undefined ? (await gridNear(lat, lng))?.id ?? null : null;
  }
  if (input.eventTypeCodes) {
    const codes = [...new Set(input.eventTypeCodes)];
    const found = await EventType.findAll({ where: { code: codes }, attributes: ['code'] });
    const missing = codes.filter((c) => !found.some((f) => f.code === c));
    if (missing.length) throw new DomainError('INVALID_ARGUMENT', `unknown event types ${missing.join(', ')}`, { apiCode: 'unknown_event_type', errors: missing.map((m) => ({ path: '/eventTypeCodes', message: m })) });
    out.eventTypeCodes = codes;
  }
  return out;
}

const auditOf = (actor: Actor, action: string, detail: Record<string, unknown>) => ({ caseId: null, actor: actor.username, actorRole: actor.role, action, detail });

/** Registers a camera and issues its first key (returned once, stored hashed). */
export async function createCamera(actor: Actor, input: CameraInput): Promise<{ camera: CameraView; apiKey: string }> {
  if (await CameraDevice.findOne({ where: { code: input.code }, attributes: ['id'] })) throw new DomainError('CONFLICT', `camera ${input.code} exists`, { apiCode: 'camera_exists' });
  const placed = await placeAndTypes(input);
  const apiKey = newDeviceKey();
  const row = await withAuditChain(async (chain) => {
    const created = await CameraDevice.create({
      code: input.code, name: input.name, lat: input.lat, lng: input.lng, address: input.address ?? null, gridId: placed.gridId ?? null,
      eventTypeCodes: placed.eventTypeCodes ?? [], enabled: input.enabled ?? true, apiKeyHash: hashDeviceKey(apiKey), keyRotatedAt: new Date(), lastSeenAt: null,
    }, { transaction: chain.transaction });
    await chain.append(auditOf(actor, 'camera_created', { code: input.code, name: input.name, lat: input.lat, lng: input.lng, gridId: created.gridId, eventTypeCodes: created.eventTypeCodes, enabled: created.enabled }));
    return created;
  }).catch((err: unknown) => {
    if ((err as Error).name === 'SequelizeUniqueConstraintError') throw new DomainError('CONFLICT', `camera ${input.code} exists`, { apiCode: 'camera_exists' });
    throw err;
  });
  return { camera: (await views([row]))[0]!, apiKey };
}

export async function updateCamera(actor: Actor, code: string, patch: Partial<Omit<CameraInput, 'code'>>): Promise<CameraView> {
  const row = await deviceByCode(code);
  const placed = await placeAndTypes(patch, row);
  await withAuditChain(async (chain) => {
    const before = { name: row.name, lat: row.lat, lng: row.lng, address: row.address, gridId: row.gridId, eventTypeCodes: row.eventTypeCodes, enabled: row.enabled };
    if (patch.name !== undefined) row.name = patch.name;
    if (patch.lat !== undefined) row.lat = patch.lat;
    if (patch.lng !== undefined) row.lng = patch.lng;
    if (patch.address !== undefined) row.address = patch.address;
    if (patch.enabled !== undefined) row.enabled = patch.enabled;
    if (placed.gridId !== undefined) row.gridId = placed.gridId;
    if (placed.eventTypeCodes) row.eventTypeCodes = placed.eventTypeCodes;
    await row.save({ transaction: chain.transaction });
    const after = { name: row.name, lat: row.lat, lng: row.lng, address: row.address, gridId: row.gridId, eventTypeCodes: row.eventTypeCodes, enabled: row.enabled };
    await chain.append(auditOf(actor, 'camera_updated', { code, before, after }));
  });
  return (await views([row]))[0]!;
}

/** A camera whose events made cases keeps its record: 409 `in_use` (disable it instead). */
export async function deleteCamera(actor: Actor, code: string): Promise<void> {
  const row = await deviceByCode(code);
  if (await CameraCase.findOne({ where: { deviceId: row.id }, attributes: ['id'] })) {
    throw new DomainError('CONFLICT', `camera ${code} has cases; disable it instead`, { apiCode: 'in_use' });
  }
  await withAuditChain(async (chain) => {
    await row.destroy({ transaction: chain.transaction });
    await chain.append(auditOf(actor, 'camera_deleted', { code, name: row.name }));
  });
}

/** A new key; the old one stops working at once. */
export async function rotateCameraKey(actor: Actor, code: string): Promise<{ apiKey: string }> {
  const row = await deviceByCode(code);
  const apiKey = newDeviceKey();
  await withAuditChain(async (chain) => {
    await row.update({ apiKeyHash: hashDeviceKey(apiKey), keyRotatedAt: new Date() }, { transaction: chain.transaction });
    await chain.append(auditOf(actor, 'camera_key_rotated', { code }));
  });
  return { apiKey };
}
