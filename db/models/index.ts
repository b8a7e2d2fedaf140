import type { ModelStatic, Sequelize, Transaction } from 'sequelize';
import { tableWritten } from '../sql/table-writes.js';
import type { Tables } from '../sql/schema.js';
import { CaseInstance, IdempotencyRecord, Session } from './api-state.js';
import { Attachment } from './attachments.js';
import { AuditRecord } from './audit.js';
import { CalendarDay } from './calendar-days.js';
import { CameraCase, CameraDevice, CameraEvent } from './cameras.js';
import { CaseEvent } from './case-events.js';
import { Case } from './cases.js';
import { ClassifyExample, ClassifyModel } from './classify.js';
import { EventType, GovernanceItem } from './catalogue.js';
import { Evaluation } from './evaluations.js';
import { Grid } from './grids.js';
import { InboxTask } from './inbox.js';
import { OperationBatch, OperationBatchItem } from './operation-batches.js';
import { OutboxMessage } from './outbox.js';
import { Open311Client, Open311Request } from './open311.js';
import { FormVersion, ProcessDraft, ProcessVersion } from './process-versions.js';
import { Unit } from './units.js';
import { User, UserGrid } from './users.js';

export { CaseInstance, IdempotencyRecord, Session };
export { Open311Client, Open311Request };
export { CameraCase, CameraDevice, CameraEvent };
export { FormVersion, ProcessDraft, ProcessVersion };
export { CaseEvent };
export { ClassifyExample, ClassifyModel };
export { OperationBatch, OperationBatchItem };
export { Attachment, AuditRecord, CalendarDay, Case, EventType, Evaluation, GovernanceItem, Grid, InboxTask, OutboxMessage, Unit, User, UserGrid };

/**
 * Binds every model to one connection. Sequelize models are classes bound to a single
 * Sequelize instance, so a process uses one database at a time (tests re-bind per suite).
 */
export function initModels(sequelize: Sequelize): void {
  for (const model of [
    Unit,
    Grid,
    User,
    UserGrid,
    EventType,
    GovernanceItem,
    Case,
    Attachment,
    InboxTask,
    AuditRecord,
    Evaluation,
    OutboxMessage,
    CalendarDay,
    Session,
    IdempotencyRecord,
    CaseInstance,
    Open311Client,
    Open311Request,
    CameraDevice,
    CameraCase,
    CameraEvent,
    ProcessVersion,
    ProcessDraft,
    FormVersion,
    CaseEvent,
    ClassifyExample,
    ClassifyModel,
    OperationBatch,
    OperationBatchItem,
  ]) {
    model.initModel(sequelize);
  }
  Unit.belongsTo(Unit, { as: 'parent', foreignKey: 'parentId' });
  Grid.belongsTo(Unit, { as: 'township', foreignKey: 'townshipId' });
  Grid.belongsTo(Unit, { as: 'community', foreignKey: 'communityId' });
  User.belongsTo(Unit, { as: 'unit', foreignKey: 'unitId' });
  EventType.belongsTo(Unit, { as: 'ownerUnit', foreignKey: 'ownerUnitId' });
  GovernanceItem.belongsTo(EventType, { as: 'eventType', foreignKey: 'eventTypeId' });
  GovernanceItem.belongsTo(Unit, { as: 'responsibleUnit', foreignKey: 'responsibleUnitId' });
  Case.belongsTo(EventType, { as: 'eventType', foreignKey: 'eventTypeId' });
  Case.belongsTo(Unit, { as: 'unit', foreignKey: 'unitId' });
  Case.belongsTo(Grid, { as: 'grid', foreignKey: 'gridId' });
  Case.hasMany(Attachment, { as: 'attachments', foreignKey: 'caseId' });
  announceWrites(sequelize);
}

type WriteOptions = { model?: ModelStatic<never>; transaction?: Transaction | null };

/**
 * Every write through a model says so in db/sql/table-writes.ts, as a write through Kysely does, so an
 * in-memory copy that listens by table name hears both while the two kinds of code share the tables
 * (tests still write their fixtures through the models).
 */
function announceWrites(sequelize: Sequelize): void {
  const written = (model: { tableName?: string } | undefined, options?: WriteOptions) => {
    if (model?.tableName) tableWritten(model.tableName as keyof Tables, options?.transaction ?? null);
  };
  const ofRow = (row: object, options: WriteOptions) => written(row.constructor as { tableName?: string }, options);
  sequelize.addHook('afterSave', 'table-writes', ofRow);
  sequelize.addHook('afterDestroy', 'table-writes', ofRow);
  sequelize.addHook('afterBulkUpdate', 'table-writes', (options: WriteOptions) => written(options.model, options));
  sequelize.addHook('afterBulkDestroy', 'table-writes', (options: WriteOptions) => written(options.model, options));
  sequelize.addHook('afterBulkCreate', 'table-writes', (rows: readonly object[], options: WriteOptions) =>
    written(options.model ?? (rows[0]?.constructor as { tableName?: string } | undefined), options),
  );
  sequelize.addHook('afterUpsert', 'table-writes', (_result: unknown, options: WriteOptions) => written(options.model, options));
}
