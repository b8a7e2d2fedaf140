import { ADDITIVE_ROLLUPS, OPEN_CASE_COLUMNS, WATCHED_COLUMNS, isOpenCase, type Additive } from './definition.js';
import type { RollupSql } from './sql-dialect.js';

/** Adds (sign 1) or takes away (sign -1) the row `r`'s contribution to one rollup. */
function contribute(sql: RollupSql, rollup: Additive, r: string, sign: 1 | -1): string {
  const keys = Object.keys(rollup.keys);
  const values = Object.keys(rollup.values);
  const selected = [
    ...keys.map((k) => rollup.keys[k]!(r, sql)),
    ...values.map((v) => (sign > 0 ? rollup.values[v]!(r, sql) : `-(${rollup.values[v]!(r, sql)})`)),
  ];
  // the WHERE is always there: SQLite needs one before an upsert's ON to tell it from a join's
  return `INSERT INTO ${rollup.table} (${[...keys, ...values].join(', ')}) SELECT ${selected.join(', ')} ${sql.noTable} WHERE ${rollup.when(r, sql)} ${sql.addOnConflict(keys, values)}`;
}

function copyOpen(sql: RollupSql, r: string): string {
  return `INSERT INTO open_cases (case_id, ${OPEN_CASE_COLUMNS.join(', ')}) SELECT ${r}.id, ${OPEN_CASE_COLUMNS.map((c) => `${r}.${c}`).join(', ')} ${sql.noTable} WHERE ${isOpenCase(r, sql)}`;
}

const dropOpen = (r: string) => `DELETE FROM open_cases WHERE case_id = ${r}.id`;

export const TRIGGER_NAMES = ['cases_rollups_insert', 'cases_rollups_update', 'cases_rollups_delete'] as const;

/** The statements each trigger runs. */
export function triggerBodies(sql: RollupSql): { insert: string[]; update: string[]; delete: string[] } {
  return {
    insert: [...ADDITIVE_ROLLUPS.map((x) => contribute(sql, x, 'NEW', 1)), copyOpen(sql, 'NEW')],
    update: [
      ...ADDITIVE_ROLLUPS.map((x) => contribute(sql, x, 'OLD', -1)),
      ...ADDITIVE_ROLLUPS.map((x) => contribute(sql, x, 'NEW', 1)),
      dropOpen('OLD'),
      copyOpen(sql, 'NEW'),
    ],
    delete: [...ADDITIVE_ROLLUPS.map((x) => contribute(sql, x, 'OLD', -1)), dropOpen('OLD')],
  };
}

/** CREATE TRIGGER statements (the DROPs are separate: MySQL takes one statement per query). */
export function createTriggers(sql: RollupSql): string[] {
  const bodies = triggerBodies(sql);
  const [insert, update, del] = TRIGGER_NAMES;
  const block = (statements: string[]) => statements.map((s) => `${s};`).join('\n  ');
  if (sql.dialect === 'sqlite') {
    const changed = WATCHED_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
    return [
      `CREATE TRIGGER ${insert} AFTER INSERT ON cases BEGIN\n  ${block(bodies.insert)}\nEND`,
      `CREATE TRIGGER ${update} AFTER UPDATE ON cases WHEN ${changed} BEGIN\n  ${block(bodies.update)}\nEND`,
      `CREATE TRIGGER ${del} AFTER DELETE ON cases BEGIN\n  ${block(bodies.delete)}\nEND`,
    ];
  }
  const same = WATCHED_COLUMNS.map((c) => `OLD.${c} <=> NEW.${c}`).join(' AND ');
  return [
    `CREATE TRIGGER ${insert} AFTER INSERT ON cases FOR EACH ROW BEGIN\n  ${block(bodies.insert)}\nEND`,
    `CREATE TRIGGER ${update} AFTER UPDATE ON cases FOR EACH ROW BEGIN\n  IF NOT (${same}) THEN\n  ${block(bodies.update)}\n  END IF;\nEND`,
    `CREATE TRIGGER ${del} AFTER DELETE ON cases FOR EACH ROW BEGIN\n  ${block(bodies.delete)}\nEND`,
  ];
}

/** Fills the (emptied) rollups from all cases: one GROUP BY per rollup, the same expressions as the triggers. */
export function rebuildStatements(sql: RollupSql): string[] {
  const additive = ADDITIVE_ROLLUPS.map((x) => {
    const keys = Object.keys(x.keys);
    const values = Object.keys(x.values);
    const selected = [...keys.map((k) => x.keys[k]!('c', sql)), ...values.map((v) => `SUM(${x.values[v]!('c', sql)})`)];
    return `INSERT INTO ${x.table} (${[...keys, ...values].join(', ')}) SELECT ${selected.join(', ')} FROM cases c WHERE ${x.when('c', sql)} GROUP BY ${keys.map((_, i) => i + 1).join(', ')} ${sql.addOnConflict(keys, values)}`;
  });
  return [
    ...additive,
    `INSERT INTO open_cases (case_id, ${OPEN_CASE_COLUMNS.join(', ')}) SELECT c.id, ${OPEN_CASE_COLUMNS.map((k) => `c.${k}`).join(', ')} FROM cases c WHERE ${isOpenCase('c', sql)}`,
  ];
}
