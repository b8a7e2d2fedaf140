import { DomainError } from '../shared/errors.js';
import { fieldProblem, type FieldProblem } from './registry-messages.js';

export { fieldProblem, type FieldProblem } from './registry-messages.js';

/** 400 invalid_input: values the CSV importer would refuse too. */
export const invalidInput = (errors: FieldProblem[]) => new DomainError('INVALID_ARGUMENT', 'invalid registry input', { apiCode: 'invalid_input', errors });

/** 400 unknown_reference: a code that names no unit / grid / event type (or one of the wrong kind). */
export const unknownReference = (errors: FieldProblem[]) => new DomainError('INVALID_ARGUMENT', 'unknown reference', { apiCode: 'unknown_reference', errors });

/** 409 duplicate: the code (or username, date) is taken. */
export const duplicate = (path: string, value: string) =>
  new DomainError('CONFLICT', `${value} exists`, { apiCode: 'duplicate', errors: [fieldProblem(path, 'taken', { value })] });

/** 409 in_use: other records still refer to it; switch it off (`enabled: false`) where that exists, or (`in_use_kind`) keep its kind. */
export const inUse = (references: Record<string, number>, hint: 'in_use' | 'in_use_account' | 'in_use_kind' = 'in_use') =>
  inUseBecause(
    Object.entries(references)
      .filter(([, n]) => n > 0)
      .map(([what, n]) => fieldProblem('/', hint, { n, what })),
  );

/** 409 in_use found by the database itself: a row of `table` refers to it. */
export const inUseByTable = (table: string) => inUseBecause([fieldProblem('/', 'in_use_table', { table })]);

const inUseBecause = (errors: FieldProblem[]) => new DomainError('CONFLICT', 'in use', { apiCode: 'in_use', errors });

export const notFound = (what: string, key: string) => new DomainError('NOT_FOUND', `no ${what} ${key}`, { apiCode: 'not_found' });

/** 409 self_lockout: an administrator may not disable, demote or delete their own account. */
export const selfLockout = () =>
  new DomainError('CONFLICT', 'own account', {
    apiCode: 'self_lockout',
    errors: [fieldProblem('/', 'self_lockout')],
  });

export function throwIf(problems: FieldProblem[], make: (p: FieldProblem[]) => DomainError = invalidInput): void {
  if (problems.length) throw make(problems);
}
