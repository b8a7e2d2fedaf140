/** Operations (issue 18): find what is stuck and repair it — instances, incidents, retry, variables, cancel, batches. */
export { caseOfInstance, casesOf, casesOfPage, instancesOfCaseNo, type CaseRef } from './instance-cases.js';
export { listInstances, type InstanceFilter, type InstanceListItem } from './instance-list.js';
export { cancelInstance, openIncident, retryIncident, setVariablesAndResolve, type Operator } from './repair.js';
export { BATCH_MAX, getBatch, listBatches, resumeBatches, startBatch, type Batch, type BatchAction, type BatchItem, type BatchSummary } from './batches.js';
export { actionsOfInstance, OPS_ACTIONS, type OpsAction } from './action-trail.js';
export { migrateInstance, recordMigration, previewBatchMigration, previewInstanceMigration, MIGRATION_BATCH_MAX } from './migration.js';
export { resumeOperationIntents } from './resume-intents.js';
export { stuckCases, type StuckCase, type StuckIncident } from './stuck-cases.js';
