import { sql } from 'kysely';
import { Umzug, type MigrationFn as UmzugMigrationFn, type UmzugStorage } from 'umzug';
import { sqlDialect, type Sql } from './sql/index.js';
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
import * as decisionVersions from './migrations/0015-decision-versions.js';
import * as outboxCaseIndex from './migrations/0016-outbox-case-index.js';
import * as intakeIntent from './migrations/0017-intake-intent.js';
import * as classifyExamples from './migrations/0021-classify-examples.js';
import * as classifyModels from './migrations/0022-classify-models.js';
import * as hotlineCalls from './migrations/0024-hotline-calls.js';
import * as caseAssignments from './migrations/0025-case-assignments.js';
import * as operationBatches from './migrations/0027-operation-batches.js';
import * as operationIntents from './migrations/0028-operation-intents.js';

/** Statements for each database: a migration says the same change in the SQL each of them takes. */
export type Statements = Readonly<Record<'sqlite' | 'mysql', readonly string[]>>;

/**
 * What a migration works with: the DDL of its change per database (`run`), and the application's SQL
 * (`sql`, Kysely) for the rows a change must carry over. The DDL texts are the ones the Sequelize
 * migrations of earlier releases sent, kept word for word, so a database made by either is the same.
 */
export interface MigrationContext {
  readonly sql: Sql;
  readonly dialect: 'sqlite' | 'mysql';
  run(statements: Statements): Promise<void>;
}

export type MigrationFn = UmzugMigrationFn<MigrationContext>;

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
  { name: '0015-decision-versions', ...decisionVersions },
  { name: '0016-outbox-case-index', ...outboxCaseIndex },
  { name: '0017-intake-intent', ...intakeIntent },
  { name: '0021-classify-examples', ...classifyExamples },
  { name: '0022-classify-models', ...classifyModels },
  { name: '0024-hotline-calls', ...hotlineCalls },
  { name: '0025-case-assignments', ...caseAssignments },
  { name: '0027-operation-batches', ...operationBatches },
  { name: '0028-operation-intents', ...operationIntents },
];

/**
 * Which migrations ran, in the `schema_migrations` table (one `name` per migration, as earlier releases
 * kept it): read and written through the application's SQL.
 */
class SchemaMigrationsTable implements UmzugStorage<MigrationContext> {
  constructor(private readonly db: Sql) {}

  private async ensure(): Promise<void> {
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR(255) NOT NULL PRIMARY KEY)`.execute(this.db);
  }

  async executed(): Promise<string[]> {
    await this.ensure();
    const { rows } = await sql<{ name: string }>`SELECT name FROM schema_migrations ORDER BY name`.execute(this.db);
    return rows.map((r) => r.name);
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    await this.ensure();
    await sql`INSERT INTO schema_migrations (name) VALUES (${name})`.execute(this.db);
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.ensure();
    await sql`DELETE FROM schema_migrations WHERE name = ${name}`.execute(this.db);
  }
}

export function createMigrator(db: Sql): Umzug<MigrationContext> {
  const dialect = sqlDialect(db);
  const context: MigrationContext = {
    sql: db,
    dialect,
    async run(statements) {
      for (const statement of statements[dialect]) await sql.raw(statement).execute(db);
    },
  };
  return new Umzug({ migrations, context, storage: new SchemaMigrationsTable(db), logger: undefined });
}

/** Applies pending migrations; returns the names applied (none on a second run). */
export async function migrate(db: Sql): Promise<string[]> {
  if (sqlDialect(db) !== 'mysql') return (await createMigrator(db).up()).map((m) => m.name); // SQLite: one file, one process
  // The app and separate worker processes may start together against one MySQL: a named lock, held
  // on one pinned connection, lets one of them migrate while the others wait.
  return db.connection().execute(async (pinned) => {
    const { rows } = await sql<{ got: unknown }>`SELECT GET_LOCK('ywtg_migrate', 120) AS got`.execute(pinned);
    if (Number(rows[0]?.got) !== 1) throw new Error('could not take the migration lock');
    try {
      return (await createMigrator(pinned).up()).map((m) => m.name);
    } finally {
      await sql`SELECT RELEASE_LOCK('ywtg_migrate')`.execute(pinned);
    }
  });
}
