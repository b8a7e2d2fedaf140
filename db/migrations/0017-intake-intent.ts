import { DataTypes } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * Crash-consistent intake (issue 16, item 11). Filing writes the `cases` row, starts the process in the
 * engine (its own transaction, on SQLite its own file) and then records the instance and the audit record.
 * `intake_intent` is set with the row and cleared with the instance key: a row that still has it after a
 * crash is a filing to finish, and the recovery step at start finishes it (domain/intake/resume-filings.ts).
 * It holds who filed (JSON), which the audit record needs and the row does not otherwise keep.
 * `intake_key` is a hash of the reporter's Idempotency-Key (with its scope): a retry after a crash finds
 * the first case by it instead of filing a second one.
 */
export const up: MigrationFn = async ({ context: qi }) => {
  await qi.addColumn('cases', 'intake_intent', { type: DataTypes.STRING(255), allowNull: true });
  await qi.addColumn('cases', 'intake_key', { type: DataTypes.STRING(64), allowNull: true });
  await qi.addIndex('cases', ['intake_key'], { name: 'cases_intake_key', unique: true });
  // nearly every row has none: on SQLite a partial index holds only the unfinished filings
  if (qi.sequelize.getDialect() === 'sqlite') await qi.sequelize.query('CREATE INDEX cases_intake_intent ON cases (intake_intent) WHERE intake_intent IS NOT NULL');
  else await qi.addIndex('cases', ['intake_intent'], { name: 'cases_intake_intent' });
};

export const down: MigrationFn = async ({ context: qi }) => {
  await qi.removeIndex('cases', 'cases_intake_intent');
  await qi.removeIndex('cases', 'cases_intake_key');
  // a plain DROP COLUMN: Sequelize's SQLite removeColumn copies the table and loses its indexes and triggers
  await qi.sequelize.query('ALTER TABLE cases DROP COLUMN intake_key');
  await qi.sequelize.query('ALTER TABLE cases DROP COLUMN intake_intent');
};
