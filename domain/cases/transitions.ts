import { type CaseStatus } from '../../db/vocabulary.js';
import { DomainError } from '../shared/errors.js';

/**
 * Which status may follow which (GB/T 30428 loop plus the exception flows).
 * Notes on the less obvious edges:
 * - dispatched → dispatched and handling → dispatched are 改派 (the centre sends it to another unit);
 * - dispatched/handling → closed: 处置 and 核查 are user tasks the API records; when a process
 *   verifies without either having been recorded, 结案 must still be possible from where the case is;
 * - verifying → handling is 返工, closed → handling is 重办 after an unsatisfied 回访;
 * - shelved (挂账) can come back to handling or dispatch, or be closed when the matter is settled.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  reported: ['accepted', 'rejected', 'merged'],
  accepted: ['dispatched', 'merged', 'shelved'],
  rejected: [],
  dispatched: ['dispatched', 'handling', 'returned', 'verifying', 'shelved', 'closed'],
  handling: ['dispatched', 'returned', 'verifying', 'shelved', 'closed'],
  returned: ['dispatched', 'handling'],
  verifying: ['closed', 'handling'],
  closed: ['handling'],
  shelved: ['handling', 'dispatched', 'closed'],
  merged: [],
};

/** Statuses of a case that still needs work (candidates for 并单, counted as open on the screen). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['reported', 'accepted', 'dispatched', 'handling', 'returned', 'verifying'];

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return ALLOWED_TRANSITIONS[from]?.includes(to) ?? false;
}

export function assertTransition(caseId: string, from: CaseStatus, to: CaseStatus): void {
  if (!canTransition(from, to)) {
    throw new DomainError(
      'INVALID_TRANSITION',
      `case ${caseId} is ${from} and cannot become ${to} (allowed from ${from}: ${ALLOWED_TRANSITIONS[from].join(', ') || 'none'})`,
      { caseId, from, to },
    );
  }
}
