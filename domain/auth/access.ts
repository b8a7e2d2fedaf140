import { type Role } from '../../db/vocabulary.js';
import type { Actor } from './sessions.js';

/** Roles that may change things; auditors (and district leaders, except 交办) only read. */
export const WRITER_ROLES: readonly Role[] = ['admin', 'operator', 'dept_staff', 'dept_leader', 'grid_worker'];
/** Roles that see every unit's cases and tasks. */
export const ALL_UNITS_ROLES: readonly Role[] = ['admin', 'operator', 'leader', 'auditor'];
/** Roles that work with the reporter and see the full phone number. */
export const PHONE_ROLES: readonly Role[] = ['admin', 'operator'];

export const seesAllUnits = (a: Actor) => ALL_UNITS_ROLES.includes(a.role);
export const isUnitScoped = (a: Actor) => a.role === 'dept_staff' || a.role === 'dept_leader';

/** 13812345678 → 138****5678; short numbers keep only the last two digits. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length >= 8) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return `${'*'.repeat(Math.max(0, phone.length - 2))}${phone.slice(-2)}`;
}

export const phoneFor = (a: Actor, phone: string | null) => (PHONE_ROLES.includes(a.role) ? phone : maskPhone(phone));
