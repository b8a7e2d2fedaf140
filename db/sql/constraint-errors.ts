import { ForeignKeyConstraintError, UniqueConstraintError } from 'sequelize';

/**
 * What a refused write broke, read from the error a query threw, the same on both databases — so
 * domain code can answer a lost race (a unique key taken meanwhile, a row still referred to) without
 * knowing the driver's errors. Today the bridge's errors are Sequelize's; the direct drivers that
 * replace it will be read here too (SQLITE_CONSTRAINT_UNIQUE / ER_DUP_ENTRY, …_FOREIGNKEY / ER_ROW_IS_REFERENCED).
 */
export interface UniqueViolation {
  /** the column whose value was taken, as the database names it (may be the index's name on MySQL) */
  column: string | null;
  value: string | null;
}

export function uniqueViolation(err: unknown): UniqueViolation | null {
  if (!(err instanceof UniqueConstraintError)) return null;
  const first = err.errors[0];
  return { column: first?.path ?? null, value: first?.value === undefined || first?.value === null ? null : String(first.value) };
}

export interface ForeignKeyViolation {
  /** the table whose rows still refer (or are referred to), when the database says */
  table: string | null;
}

export function foreignKeyViolation(err: unknown): ForeignKeyViolation | null {
  if (!(err instanceof ForeignKeyConstraintError)) return null;
  return { table: err.table ?? null };
}
