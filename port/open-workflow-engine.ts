import { join } from 'node:path';
import type { AppConfig } from '../config/schema.js';
import { CamundaWorkflowEngine } from './camunda/camunda-engine.js';
import { settingsFrom, type CamundaSettings } from './camunda/config.js';
import { EmbeddedWorkflowEngine } from './embedded/embedded-engine.js';
import type { WorkflowEngine } from './workflow-engine.js';

/**
 * Where the embedded engine keeps its `eng_*` tables: for SQLite a file of its own beside the data
 * (`sqlite:<DATA_DIR>/engine.sqlite`, so engine and application never contend for one SQLite writer);
 * for MySQL/MariaDB the application's database itself.
 */
export function engineDatabaseUrl(config: Pick<AppConfig, 'DATABASE_URL' | 'DATA_DIR'>): string {
  return config.DATABASE_URL.startsWith('sqlite:') ? `sqlite:${join(config.DATA_DIR, 'engine.sqlite')}` : config.DATABASE_URL;
}

/** The workflow engine the configuration names: `ENGINE=embedded` (default) or `ENGINE=camunda`. */
export async function openWorkflowEngine(config: AppConfig, overrides: Partial<CamundaSettings> = {}): Promise<WorkflowEngine> {
  if (config.ENGINE === 'camunda') return CamundaWorkflowEngine.open({ ...settingsFrom(config), ...overrides });
  return EmbeddedWorkflowEngine.open(engineDatabaseUrl(config));
}
