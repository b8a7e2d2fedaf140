import { SequelizeStorage, Umzug, type MigrationFn as UmzugMigrationFn } from 'umzug';
import type { QueryInterface, Sequelize } from 'sequelize';
import * as foundation from './migrations/0001-foundation.js';
import * as auditChain from './migrations/0002-audit-chain.js';
import * as sessions from './migrations/0005-sessions.js';
import * as cameraDevices from './migrations/0006-camera-devices.js';
import * as open311Clients from './migrations/0007-open311-clients.js';
import * as processFormVersions from './migrations/0008-process-form-versions.js';
import * as caseHistory from './migrations/0009-case-history.js';
import * as adminRegistry from './migrations/0010-admin-registry.js';
import * as evaluationCategory from './migrations/0011-evaluation-category.js';
import * as caseRollups from './migrations/0012-case-rollups.js';
import * as keysetIndexes from './migrations/0013-keyset-indexes.js';
import * as auditCheckpoints from './migrations/0014-audit-checkpoints.js';
import * as outboxCaseIndex from './migrations/0016-outbox-case-index.js';
import * as intakeIntent from './migrations/0017-intake-intent.js';
import * as classifyExamples from './migrations/0021-classify-examples.js';
import * as classifyModels from './migrations/0022-classify-models.js';
import * as hotlineCalls from './migrations/0024-hotline-calls.js';
import * as caseAssignments from './migrations/0025-case-assignments.js';
import * as operationBatches from './migrations/0027-operation-batches.js';

export type MigrationFn = UmzugMigrationFn<QueryInterface>;

/**
 * Migrations are listed here, in order, rather than globbed from disk: the list is
 * type-checked and works the same under tsx and a bundler.
 */
const migrations = [
  { name: '0001-foundation', ...foundation },
  { name: '0002-audit-chain', ...auditChain },
  { name: '0005-sessions', ...sessions },
  { name: '0006-camera-devices', ...cameraDevices },
  { name: '0007-open311-clients', ...open311Clients },
  { name: '0008-process-form-versions', ...processFormVersions },
  { name: '0009-case-history', ...caseHistory },
  { name: '0010-admin-registry', ...adminRegistry },
  { name: '0011-evaluation-category', ...evaluationCategory },
  { name: '0012-case-rollups', ...caseRollups },
  { name: '0013-keyset-indexes', ...keysetIndexes },
  { name: '0014-audit-checkpoints', ...auditCheckpoints },
  { name: '0016-outbox-case-index', ...outboxCaseIndex },
  { name: '0017-intake-intent', ...intakeIntent },
  { name: '0021-classify-examples', ...classifyExamples },
  { name: '0022-classify-models', ...classifyModels },
  { name: '0024-hotline-calls', ...hotlineCalls },
  { name: '0025-case-assignments', ...caseAssignments },
  { name: '0027-operation-batches', ...operationBatches },
];

export function createMigrator(sequelize: Sequelize): Umzug<QueryInterface> {
  return new Umzug({
    migrations,
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
}

/** Applies pending migrations; returns the names applied (none on a second run). */
export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const run = async () => (await createMigrator(sequelize).up()).map((m) => m.name);
  if (sequelize.getDialect() !== 'mysql') return run(); // SQLite: one file, one process
  // The app and separate worker processes may start together against one MySQL:
  // a named lock, held on the transaction's pinned connection, lets one of them migrate.
  return sequelize.transaction(async (transaction) => {
    const [rows] = await sequelize.query("SELECT GET_LOCK('ywtg_migrate', 120) AS got", { transaction });
    if (Number((rows as Array<{ got: unknown }>)[0]?.got) !== 1) throw new Error('could not take the migration lock');
    try {
      return await run();
    } finally {
      await sequelize.query("SELECT RELEASE_LOCK('ywtg_migrate')", { transaction });
    }
  });
}
