import type { Sequelize } from 'sequelize';
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
  for (const model of [Unit, Grid, User, UserGrid, EventType, GovernanceItem, Case, Attachment, InboxTask, AuditRecord, Evaluation, OutboxMessage, CalendarDay, Session, IdempotencyRecord, CaseInstance, Open311Client, Open311Request, CameraDevice, CameraCase, CameraEvent, ProcessVersion, ProcessDraft, FormVersion, CaseEvent, ClassifyExample, ClassifyModel, OperationBatch, OperationBatchItem]) {
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
}
