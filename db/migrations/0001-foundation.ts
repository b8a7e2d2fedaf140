import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from '../migrator.js';

/**
 * The foundation tables. Frozen once released: later changes go into new migrations.
 * Engine keys (64-bit in Zeebe) are strings, never numbers.
 */
const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const bigId = { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false };
const ref = (table: string, allowNull = true, onDelete = 'RESTRICT') => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
  onUpdate: 'CASCADE',
});
const bigRef = (table: string, onDelete = 'CASCADE') => ({
  type: DataTypes.BIGINT,
  allowNull: true,
  references: { model: table, key: 'id' },
  onDelete,
  onUpdate: 'CASCADE',
});
const engineKey = { type: DataTypes.STRING(32), allowNull: true };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};
const str = (n: number, allowNull = false) => ({ type: DataTypes.STRING(n), allowNull });
const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });

async function index(qi: QueryInterface, table: string, fields: string[], unique = false): Promise<void> {
  await qi.addIndex(table, fields, { name: `${table}_${fields.join('_')}${unique ? '_uq' : '_idx'}`, unique });
}

export const up: MigrationFn = async ({ context: qi }) => {
  await qi.createTable('units', {
    id,
    code: str(32),
    name: str(100),
    short_name: str(50, true),
    kind: str(16),
    parent_id: ref('units'),
    contact_person: str(50, true),
    contact_phone: str(20, true),
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestamps,
  });
  await index(qi, 'units', ['code'], true);
  await index(qi, 'units', ['kind']);
  await index(qi, 'units', ['parent_id']);

  await qi.createTable('grids', {
    id,
    code: str(32),
    name: str(100),
    township_id: ref('units', false),
    community_id: ref('units', false),
    centroid_lng: { type: DataTypes.DOUBLE, allowNull: false },
    centroid_lat: { type: DataTypes.DOUBLE, allowNull: false },
    polygon: text(),
    grid_kind: { type: DataTypes.STRING(8), allowNull: false, defaultValue: '综合' },
    ...timestamps,
  });
  await index(qi, 'grids', ['code'], true);
  await index(qi, 'grids', ['township_id']);
  await index(qi, 'grids', ['community_id']);

  await qi.createTable('users', {
    id,
    username: str(64),
    display_name: str(64),
    role: str(24),
    unit_id: ref('units'),
    phone: str(20, true),
    password_hash: str(255),
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestamps,
  });
  await index(qi, 'users', ['username'], true);
  await index(qi, 'users', ['unit_id']);

  await qi.createTable('user_grids', {
    user_id: { ...ref('users', false, 'CASCADE'), primaryKey: true },
    grid_id: { ...ref('grids', false, 'CASCADE'), primaryKey: true },
  });

  await qi.createTable('event_types', {
    id,
    code: str(32),
    name: str(64),
    kind: str(4),
    major: str(64),
    category: str(16),
    filing_condition: text(false),
    closing_condition: text(false),
    routing_rule: str(4),
    owner_unit_id: ref('units', false),
    clock: str(8),
    accept_limit: str(16),
    dispatch_limit: str(16),
    handle_limit: str(16),
    verify_limit: str(16),
    extra_stages: text(),
    emergency: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    keywords: text(),
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestamps,
  });
  await index(qi, 'event_types', ['code'], true);
  await index(qi, 'event_types', ['category']);

  await qi.createTable('governance_items', {
    id,
    code: str(32),
    name: str(200),
    category: str(16),
    event_type_id: ref('event_types'),
    responsible_unit_id: ref('units', false),
    assisting_unit_codes: text(),
    basis: text(),
    ...timestamps,
  });
  await index(qi, 'governance_items', ['code'], true);
  await index(qi, 'governance_items', ['event_type_id']);
  await index(qi, 'governance_items', ['responsible_unit_id']);

  await qi.createTable('cases', {
    id: bigId,
    case_no: str(32),
    channel: str(16),
    reporter_name: str(64, true),
    reporter_phone: str(20, true),
    reporter_user_id: ref('users'),
    tracking_token: str(64),
    description: text(false),
    event_type_id: ref('event_types'),
    category: str(16, true),
    lng: { type: DataTypes.DOUBLE, allowNull: true },
    lat: { type: DataTypes.DOUBLE, allowNull: true },
    address: str(255, true),
    grid_id: ref('grids'),
    township_id: ref('units'),
    status: str(16),
    priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 50 },
    unit_id: ref('units'),
    accept_due_at: { type: DataTypes.DATE, allowNull: true },
    dispatch_due_at: { type: DataTypes.DATE, allowNull: true },
    handle_due_at: { type: DataTypes.DATE, allowNull: true },
    verify_due_at: { type: DataTypes.DATE, allowNull: true },
    due_at: { type: DataTypes.DATE, allowNull: true },
    escalation_level: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    warning_light: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'green' },
    process_instance_key: engineKey,
    process_id: str(64, true),
    merged_into_id: bigRef('cases', 'SET NULL'),
    duplicate_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    rework_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    extension_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    return_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    satisfaction: str(16, true),
    accepted_at: { type: DataTypes.DATE, allowNull: true },
    dispatched_at: { type: DataTypes.DATE, allowNull: true },
    handled_at: { type: DataTypes.DATE, allowNull: true },
    closed_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await index(qi, 'cases', ['case_no'], true);
  await index(qi, 'cases', ['tracking_token'], true);
  await index(qi, 'cases', ['status', 'created_at']);
  await index(qi, 'cases', ['unit_id', 'status']);
  await index(qi, 'cases', ['due_at']);
  await index(qi, 'cases', ['category', 'created_at']);
  await index(qi, 'cases', ['created_at']);
  await index(qi, 'cases', ['township_id', 'created_at']);
  await index(qi, 'cases', ['grid_id', 'event_type_id', 'created_at']);
  await index(qi, 'cases', ['process_instance_key']);
  await index(qi, 'cases', ['merged_into_id']);

  await qi.createTable('attachments', {
    id: bigId,
    case_id: bigRef('cases'),
    kind: str(16),
    file_name: str(255),
    mime_type: str(100),
    size_bytes: { type: DataTypes.INTEGER, allowNull: false },
    sha256: str(64),
    storage_path: str(255),
    uploaded_by: ref('users', true, 'SET NULL'),
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await index(qi, 'attachments', ['case_id']);

  await qi.createTable('inbox_tasks', {
    id: bigId,
    user_task_key: str(32),
    case_id: bigRef('cases'),
    process_instance_key: engineKey,
    element_id: str(64),
    name: str(100),
    form_id: str(64, true),
    unit_id: ref('units'),
    assignee: str(64, true),
    candidate_groups: text(),
    state: str(16),
    priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 50 },
    due_at: { type: DataTypes.DATE, allowNull: true },
    follow_up_at: { type: DataTypes.DATE, allowNull: true },
    warning_light: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'green' },
    completed_at: { type: DataTypes.DATE, allowNull: true },
    completed_by: str(64, true),
    ...timestamps,
  });
  await index(qi, 'inbox_tasks', ['user_task_key'], true);
  await index(qi, 'inbox_tasks', ['unit_id', 'state', 'due_at']);
  await index(qi, 'inbox_tasks', ['assignee', 'state']);
  await index(qi, 'inbox_tasks', ['state', 'due_at']);
  await index(qi, 'inbox_tasks', ['case_id']);

  await qi.createTable('audit_log', {
    id: bigId,
    case_id: { type: DataTypes.BIGINT, allowNull: true },
    actor: str(64),
    actor_role: str(24, true),
    action: str(64),
    detail: text(),
    prev_hash: str(64),
    hash: str(64),
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await index(qi, 'audit_log', ['case_id', 'id']);
  await index(qi, 'audit_log', ['created_at']);
  await index(qi, 'audit_log', ['hash'], true);

  await qi.createTable('evaluations', {
    id: bigId,
    scope: str(16),
    case_id: bigRef('cases'),
    unit_id: ref('units'),
    period_start: { type: DataTypes.DATE, allowNull: true },
    period_end: { type: DataTypes.DATE, allowNull: true },
    metrics: text(false),
    score: { type: DataTypes.DOUBLE, allowNull: true },
    ...timestamps,
  });
  await index(qi, 'evaluations', ['scope', 'period_start']);
  await index(qi, 'evaluations', ['unit_id', 'period_start']);
  await index(qi, 'evaluations', ['case_id']);

  await qi.createTable('notification_outbox', {
    id: bigId,
    dedup_key: str(128),
    kind: str(24),
    channel: str(16),
    recipient: str(128),
    case_id: bigRef('cases'),
    subject: str(200, true),
    body: text(false),
    status: str(16),
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    next_attempt_at: { type: DataTypes.DATE, allowNull: false },
    last_error: text(),
    sent_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await index(qi, 'notification_outbox', ['dedup_key'], true);
  await index(qi, 'notification_outbox', ['status', 'next_attempt_at']);

  await qi.createTable('calendar_days', {
    date: { type: DataTypes.STRING(10), primaryKey: true, allowNull: false },
    working: { type: DataTypes.BOOLEAN, allowNull: false },
    note: str(100, true),
    ...timestamps,
  });
};

export const down: MigrationFn = async ({ context: qi }) => {
  for (const table of [
    'calendar_days', 'notification_outbox', 'evaluations', 'audit_log', 'inbox_tasks', 'attachments',
    'cases', 'governance_items', 'event_types', 'user_grids', 'users', 'grids', 'units',
  ]) {
    await qi.dropTable(table);
  }
};
