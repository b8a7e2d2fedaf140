/**
 * What a refused write broke, read from the error a query threw, the same on both databases — so
 * domain code can answer a lost race (a unique key taken meanwhile, a row still referred to) without
 * knowing the driver's errors: those of better-sqlite3 and mysql2 (SQLITE_CONSTRAINT_UNIQUE / ER_DUP_ENTRY, SQLITE_CONSTRAINT_FOREIGNKEY / ER_ROW_IS_REFERENCED…).
 */
export interface UniqueViolation {
  /** the column whose value was taken, as the database names it (may be the index's name on MySQL) */
  column: string | null;
  value: string | null;
}

const driverCode = (err: unknown) => (err instanceof Error ? String((err as Error & { code?: unknown }).code ?? '') : '');

export function uniqueViolation(err: unknown): UniqueViolation | null {
  const code = driverCode(err);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: units.code"
    const column = /failed: (?:\w+\.)?(\w+)/.exec((err as Error).message)?.[1] ?? null;
    return { column, value: null };
  }
  if (code === 'ER_DUP_ENTRY') {
    // "Duplicate entry 'SQL-U1' for key 'units_code_uq'"
    const m = /Duplicate entry '(.*)' for key '(?:[^']*\.)?([^']*)'/.exec((err as Error).message);
    return { column: m?.[2] ?? null, value: m?.[1] ?? null };
  }
  return null;
}

export interface ForeignKeyViolation {
  /** the table whose rows still refer (or are referred to), when the database says */
  table: string | null;
}

export function foreignKeyViolation(err: unknown): ForeignKeyViolation | null {
  const code = driverCode(err);
  // SQLite does not say which table; a RESTRICT action reports itself as a trigger's
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || (code === 'SQLITE_CONSTRAINT_TRIGGER' && /FOREIGN KEY/.test((err as Error).message))) return { table: null };
  if (code.startsWith('ER_ROW_IS_REFERENCED') || code.startsWith('ER_NO_REFERENCED_ROW')) {
    // "… a foreign key constraint fails (`db`.`units`, CONSTRAINT …"
    return { table: /fails \(`[^`]*`\.`([^`]*)`/.exec((err as Error).message)?.[1] ?? null };
  }
  return null;
}
