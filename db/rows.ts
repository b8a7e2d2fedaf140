import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { dateText } from './sql/values.js';

/**
 * Plain-SQL writes for the few paths that run for every report, event and audit record (intake, the
 * audit chain, the case history, camera ingest). A model's `create` builds, validates and clones an
 * instance, and `update` walks its hooks: measured on SQLite, Case.create took 400 µs of CPU where the
 * same INSERT through `sequelize.query` took 55 µs, and at 300 reports/s that was most of what
 * separated intake from its target. The callers pass values already checked (the API validates its
 * input) and in the columns' own names; the statement texts depend only on the column names, so each
 * is prepared once. Everything else keeps using the models.
 */
export type RowValue = string | number | boolean | Date | null;
export type Row = Record<string, RowValue>;

/** Sequelize's DATE text for the dialect (UTC, as db/connection.ts sets the connection up), so raw rows read back as model rows do. */
export function sqlDate(sequelize: Sequelize, d: Date): string {
  return dateText(sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql', d);
}

function bound(sequelize: Sequelize, value: RowValue): string | number | null {
  if (value instanceof Date) return sqlDate(sequelize, value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

const quoted = (column: string) => `\`${column}\``;
interface WriteOptions {
  transaction?: Transaction | null;
}

/** Inserts one row and returns its new id (as a string: 64-bit keys never travel as numbers). */
export async function insertRow(sequelize: Sequelize, table: string, row: Row, options: WriteOptions = {}): Promise<string> {
  const columns = Object.keys(row);
  const [id] = await sequelize.query(
    `INSERT INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    { bind: columns.map((c) => bound(sequelize, row[c]!)), type: QueryTypes.INSERT, transaction: options.transaction ?? null },
  );
  return String(id);
}

/** most rows per INSERT: well under both databases' limits on bound values (SQLite 32,766; MySQL 65,535) */
const ROWS_PER_STATEMENT = 250;

/**
 * Inserts rows that all have the same columns, many per statement. `ignoreDuplicates`: a row that
 * would break a unique index is skipped (its first copy stays), as `bulkCreate` does.
 */
export async function insertRows(sequelize: Sequelize, table: string, rows: Row[], options: WriteOptions & { ignoreDuplicates?: boolean } = {}): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!);
  const verb = !options.ignoreDuplicates ? 'INSERT' : sequelize.getDialect() === 'sqlite' ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
  for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(from, from + ROWS_PER_STATEMENT);
    const bind: Array<string | number | null> = [];
    const tuples = chunk.map(
      (row) =>
        `(${columns
          .map((c) => {
            bind.push(bound(sequelize, row[c] ?? null));
            return `$${bind.length}`;
          })
          .join(', ')})`,
    );
    await sequelize.query(`${verb} INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) VALUES ${tuples.join(', ')}`, {
      bind,
      type: QueryTypes.INSERT,
      transaction: options.transaction ?? null,
    });
  }
}

/**
 * `UPDATE table SET … WHERE …` with equality conditions (a null condition means IS NULL); returns the
 * rows changed.
 */
export async function updateRows(sequelize: Sequelize, table: string, set: Row, where: Row, options: WriteOptions = {}): Promise<number> {
  const bind: Array<string | number | null> = [];
  const assignments = Object.entries(set).map(([c, v]) => {
    bind.push(bound(sequelize, v));
    return `${quoted(c)} = $${bind.length}`;
  });
  const [, changed] = await sequelize.query(`UPDATE ${quoted(table)} SET ${assignments.join(', ')} WHERE ${conditions(sequelize, where, bind)}`, {
    bind,
    type: QueryTypes.UPDATE,
    transaction: options.transaction ?? null,
  });
  return Number(changed ?? 0);
}

/** `DELETE FROM table WHERE …` with equality conditions (used to undo an insert). */
export async function deleteRows(sequelize: Sequelize, table: string, where: Row, options: WriteOptions = {}): Promise<void> {
  const bind: Array<string | number | null> = [];
  await sequelize.query(`DELETE FROM ${quoted(table)} WHERE ${conditions(sequelize, where, bind)}`, {
    bind,
    type: QueryTypes.DELETE,
    transaction: options.transaction ?? null,
  });
}

/** equality conditions joined by AND, their values appended to `bind`; a null value means IS NULL */
function conditions(sequelize: Sequelize, where: Row, bind: Array<string | number | null>): string {
  const terms = Object.entries(where).map(([c, v]) => {
    if (v === null) return `${quoted(c)} IS NULL`;
    bind.push(bound(sequelize, v));
    return `${quoted(c)} = $${bind.length}`;
  });
  if (!terms.length) throw new Error('rows: a write without conditions would touch every row');
  return terms.join(' AND ');
}
