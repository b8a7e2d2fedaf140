import type { Dialect, SqlDriver } from './driver.js';

/**
 * The engine's tables (prefix `eng_`). Live state is rows: a finished element instance is deleted
 * from eng_element and lives on in eng_history. All instants are epoch milliseconds; all keys are
 * decimal strings (Zeebe-style 64-bit keys).
 */
type ColumnType = 'key' | 'name' | 'text' | 'int' | 'ms' | 'autoinc';
interface Table {
  name: string;
  columns: Array<[string, ColumnType, 'null'?]>;
  primaryKey: string[];
  indexes: Array<[string, string[], 'unique'?]>;
}

/**
 * Bumped when tables are added. Tables are created with CREATE TABLE IF NOT EXISTS at every open, so an
 * older database gains the new (empty) tables and its recorded version is raised; an engine older than
 * the database refuses to open it. 2: DMN (eng_drg, eng_decision, eng_definition_decision). 3: call activities
 * bound by deployment (eng_definition_process).
 */
export const SCHEMA_VERSION = 3;

const TABLES: Table[] = [
  {
    name: 'eng_meta',
    columns: [
      ['name', 'name'],
      ['value', 'text'],
    ],
    primaryKey: ['name'],
    indexes: [],
  },
  {
    name: 'eng_definition',
    columns: [
      ['def_key', 'key'],
      ['process_id', 'name'],
      ['version', 'int'],
      ['resource', 'name'],
      ['checksum', 'name'],
      ['xml', 'text'],
      ['deployed_at', 'ms'],
    ],
    primaryKey: ['def_key'],
    indexes: [['eng_definition_pid_ver', ['process_id', 'version'], 'unique']],
  },
  {
    name: 'eng_form',
    columns: [
      ['form_key', 'key'],
      ['form_id', 'name'],
      ['version', 'int'],
      ['resource', 'name'],
      ['checksum', 'name'],
      ['content', 'text'],
      ['deployed_at', 'ms'],
    ],
    primaryKey: ['form_key'],
    indexes: [['eng_form_id_ver', ['form_id', 'version'], 'unique']],
  },
  {
    // one deployed `.dmn` file (decision requirements graph), versioned per DRG id
    name: 'eng_drg',
    columns: [
      ['drg_key', 'key'],
      ['drg_id', 'name'],
      ['version', 'int'],
      ['resource', 'name'],
      ['checksum', 'name'],
      ['xml', 'text'],
      ['deployed_at', 'ms'],
    ],
    primaryKey: ['drg_key'],
    indexes: [['eng_drg_id_ver', ['drg_id', 'version'], 'unique']],
  },
  {
    // each decision of a deployed DRG, versioned per decision id (what a business-rule task binds to)
    name: 'eng_decision',
    columns: [
      ['decision_key', 'key'],
      ['decision_id', 'name'],
      ['version', 'int'],
      ['version_tag', 'name', 'null'],
      ['name', 'name', 'null'],
      ['drg_key', 'key'],
      ['deployed_at', 'ms'],
    ],
    primaryKey: ['decision_key'],
    indexes: [['eng_decision_id_ver', ['decision_id', 'version'], 'unique']],
  },
  {
    // bindingType="deployment": the decisions deployed together with a process version
    name: 'eng_definition_decision',
    columns: [
      ['def_key', 'key'],
      ['decision_id', 'name'],
      ['decision_key', 'key'],
    ],
    primaryKey: ['def_key', 'decision_id'],
    indexes: [],
  },
  {
    // call activities with bindingType="deployment": the process versions deployed together with a process version
    name: 'eng_definition_process',
    columns: [
      ['def_key', 'key'],
      ['process_id', 'name'],
      ['called_def_key', 'key'],
    ],
    primaryKey: ['def_key', 'process_id'],
    indexes: [],
  },
  {
    name: 'eng_instance',
    columns: [
      ['instance_key', 'key'],
      ['def_key', 'key'],
      ['process_id', 'name'],
      ['version', 'int'],
      ['state', 'name'],
      ['parent_instance_key', 'key', 'null'],
      ['parent_element_key', 'key', 'null'],
      ['start_correlation_key', 'name', 'null'],
      ['started_at', 'ms'],
      ['ended_at', 'ms', 'null'],
    ],
    primaryKey: ['instance_key'],
    indexes: [
      ['eng_instance_state', ['state', 'process_id']],
      ['eng_instance_start_ck', ['process_id', 'start_correlation_key', 'state']],
      ['eng_instance_parent', ['parent_element_key']],
      // retention: finished root instances by end time (parent NULL), and an instance's called instances
      ['eng_instance_parent_ended', ['parent_instance_key', 'ended_at', 'instance_key']],
    ],
  },
  {
    name: 'eng_element',
    columns: [
      ['element_key', 'key'],
      ['instance_key', 'key'],
      ['element_id', 'name'],
      ['element_type', 'name'],
      ['scope_key', 'key', 'null'],
      ['state', 'name'],
      ['data', 'text', 'null'],
    ],
    primaryKey: ['element_key'],
    indexes: [
      ['eng_element_instance', ['instance_key']],
      ['eng_element_scope', ['scope_key']],
    ],
  },
  {
    name: 'eng_variable',
    columns: [
      ['scope_key', 'key'],
      ['name', 'name'],
      ['instance_key', 'key'],
      ['value', 'text'],
    ],
    primaryKey: ['scope_key', 'name'],
    indexes: [['eng_variable_instance', ['instance_key']]],
  },
  {
    name: 'eng_job',
    columns: [
      ['job_key', 'key'],
      ['type', 'name'],
      ['state', 'name'],
      ['instance_key', 'key'],
      ['element_key', 'key'],
      ['element_id', 'name'],
      ['process_id', 'name'],
      ['def_key', 'key'],
      ['retries', 'int'],
      ['retry_at', 'ms'],
      ['deadline', 'ms', 'null'],
      ['worker', 'name', 'null'],
      ['headers', 'text'],
      ['error_message', 'text', 'null'],
      ['created_at', 'ms'],
    ],
    primaryKey: ['job_key'],
    indexes: [
      ['eng_job_activatable', ['type', 'state', 'retry_at']],
      ['eng_job_deadline', ['state', 'deadline']],
      ['eng_job_element', ['element_key']],
      ['eng_job_retry', ['retry_at']],
    ],
  },
  {
    name: 'eng_user_task',
    columns: [
      ['task_key', 'key'],
      ['state', 'name'],
      ['instance_key', 'key'],
      ['element_key', 'key'],
      ['element_id', 'name'],
      ['process_id', 'name'],
      ['def_key', 'key'],
      ['name', 'name', 'null'],
      ['assignee', 'name', 'null'],
      ['candidate_groups', 'text'],
      ['candidate_users', 'text'],
      ['due_date', 'name', 'null'],
      ['follow_up_date', 'name', 'null'],
      ['form_id', 'name', 'null'],
      ['form_key', 'name', 'null'],
      ['priority', 'int'],
      ['created_at', 'ms'],
      ['ended_at', 'ms', 'null'],
    ],
    primaryKey: ['task_key'],
    indexes: [
      ['eng_user_task_state', ['state', 'created_at']],
      ['eng_user_task_assignee', ['assignee', 'state']],
      ['eng_user_task_element', ['element_key']],
      ['eng_user_task_due', ['state', 'due_date']],
      ['eng_user_task_instance', ['instance_key']],
    ],
  },
  {
    name: 'eng_timer',
    columns: [
      ['timer_key', 'key'],
      ['due_at', 'ms'],
      ['instance_key', 'key', 'null'],
      ['element_key', 'key', 'null'],
      ['element_id', 'name'],
      ['def_key', 'key'],
      ['repetitions', 'int'],
      ['spec', 'text', 'null'],
    ],
    primaryKey: ['timer_key'],
    indexes: [
      ['eng_timer_due', ['due_at']],
      ['eng_timer_element', ['element_key']],
      ['eng_timer_def', ['def_key']],
    ],
  },
  {
    name: 'eng_subscription',
    columns: [
      ['sub_key', 'key'],
      ['kind', 'name'],
      ['name', 'name'],
      ['correlation_key', 'name', 'null'],
      ['instance_key', 'key'],
      ['element_key', 'key'],
      ['element_id', 'name'],
      ['process_id', 'name'],
      ['created_at', 'ms'],
    ],
    primaryKey: ['sub_key'],
    indexes: [
      ['eng_subscription_match', ['kind', 'name', 'correlation_key']],
      ['eng_subscription_element', ['element_key']],
    ],
  },
  {
    name: 'eng_start_subscription',
    columns: [
      ['def_key', 'key'],
      ['element_id', 'name'],
      ['kind', 'name'],
      ['name', 'name'],
      ['process_id', 'name'],
    ],
    primaryKey: ['def_key', 'element_id'],
    indexes: [['eng_start_subscription_name', ['kind', 'name']]],
  },
  {
    name: 'eng_message',
    columns: [
      ['message_key', 'key'],
      ['name', 'name'],
      ['correlation_key', 'name'],
      ['message_id', 'name', 'null'],
      ['variables', 'text'],
      ['expires_at', 'ms'],
      ['published_at', 'ms'],
    ],
    primaryKey: ['message_key'],
    indexes: [
      ['eng_message_match', ['name', 'correlation_key']],
      ['eng_message_expiry', ['expires_at']],
    ],
  },
  {
    name: 'eng_message_correlation',
    columns: [
      ['message_key', 'key'],
      ['process_id', 'name'],
    ],
    primaryKey: ['message_key', 'process_id'],
    indexes: [],
  },
  {
    name: 'eng_incident',
    columns: [
      ['incident_key', 'key'],
      ['state', 'name'],
      ['instance_key', 'key'],
      ['element_key', 'key'],
      ['element_id', 'name'],
      ['process_id', 'name'],
      ['job_key', 'key', 'null'],
      ['error_type', 'name'],
      ['error_message', 'text'],
      ['created_at', 'ms'],
      ['resolved_at', 'ms', 'null'],
    ],
    primaryKey: ['incident_key'],
    indexes: [
      ['eng_incident_state', ['state', 'created_at']],
      ['eng_incident_instance', ['instance_key']],
      ['eng_incident_element', ['element_key']],
    ],
  },
  {
    name: 'eng_history',
    columns: [
      ['position', 'autoinc'],
      ['instance_key', 'key', 'null'],
      ['process_id', 'name', 'null'],
      ['element_key', 'key', 'null'],
      ['element_id', 'name', 'null'],
      ['element_type', 'name', 'null'],
      ['intent', 'name'],
      ['at', 'ms'],
      ['payload', 'text', 'null'],
    ],
    primaryKey: ['position'],
    indexes: [['eng_history_instance', ['instance_key', 'position']]],
  },
];

function columnSql(dialect: Dialect, [name, type, nullable]: [string, ColumnType, 'null'?]): string {
  const sqlType = {
    key: 'VARCHAR(20)',
    name: dialect === 'mysql' ? 'VARCHAR(255)' : 'TEXT',
    text: dialect === 'mysql' ? 'LONGTEXT' : 'TEXT',
    int: 'INTEGER',
    ms: 'BIGINT',
    autoinc: dialect === 'mysql' ? 'BIGINT NOT NULL AUTO_INCREMENT' : 'INTEGER PRIMARY KEY AUTOINCREMENT',
  }[type];
  return type === 'autoinc' ? `${name} ${sqlType}` : `${name} ${sqlType}${nullable ? '' : ' NOT NULL'}`;
}

export function schemaStatements(dialect: Dialect): string[] {
  const statements: string[] = [];
  for (const t of TABLES) {
    const cols = t.columns.map((c) => columnSql(dialect, c));
    const auto = t.columns.some(([, type]) => type === 'autoinc');
    if (!(auto && dialect === 'sqlite')) cols.push(`PRIMARY KEY (${t.primaryKey.join(', ')})`);
    if (dialect === 'mysql') {
      for (const [name, columns, unique] of t.indexes) cols.push(`${unique ? 'UNIQUE ' : ''}INDEX ${name} (${columns.join(', ')})`);
      statements.push(`CREATE TABLE IF NOT EXISTS ${t.name} (${cols.join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    } else {
      statements.push(`CREATE TABLE IF NOT EXISTS ${t.name} (${cols.join(', ')})`);
      for (const [name, columns, unique] of t.indexes)
        statements.push(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${name} ON ${t.name} (${columns.join(', ')})`);
    }
  }
  return statements;
}

export const ENGINE_TABLES = TABLES.map((t) => t.name);

/**
 * MySQL declares indexes inside CREATE TABLE IF NOT EXISTS, so a table made by an older engine lacks
 * the ones added since: create those (SQLite's CREATE INDEX IF NOT EXISTS already runs at every open).
 */
async function addMissingMysqlIndexes(driver: SqlDriver): Promise<void> {
  const present = new Set(
    (
      await driver.all<{ t: string; i: string }>(
        `SELECT DISTINCT TABLE_NAME AS t, INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${TABLES.map(() => '?').join(', ')})`,
        TABLES.map((t) => t.name),
      )
    ).map((r) => `${r.t}.${r.i}`),
  );
  for (const t of TABLES) {
    for (const [name, columns, unique] of t.indexes) {
      if (!present.has(`${t.name}.${name}`)) await driver.exec(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${name} ON ${t.name} (${columns.join(', ')})`);
    }
  }
}

/** Creates the tables (and indexes) if missing and records the schema version; refuses a newer schema it does not know. */
export async function ensureSchema(driver: SqlDriver): Promise<void> {
  for (const statement of schemaStatements(driver.dialect)) await driver.exec(statement);
  if (driver.dialect === 'mysql') await addMissingMysqlIndexes(driver);
  const row = await driver.get<{ value: string }>("SELECT value FROM eng_meta WHERE name = 'schema_version'");
  if (!row) await driver.run("INSERT INTO eng_meta (name, value) VALUES ('schema_version', ?)", [String(SCHEMA_VERSION)]);
  else if (Number(row.value) > SCHEMA_VERSION) throw new Error(`engine schema version ${row.value} is newer than this engine (${SCHEMA_VERSION})`);
  // the statements above added what the newer version has (new tables only, so far): record it
  else if (Number(row.value) < SCHEMA_VERSION) await driver.run("UPDATE eng_meta SET value = ? WHERE name = 'schema_version'", [String(SCHEMA_VERSION)]);
}
