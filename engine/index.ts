/** The embedded BPMN engine: Zeebe semantics, state in SQL. See engine/README.md. */
export { Engine, type ActivatedJob, type DeployResource, type DeployedProcess, type EngineOptions, type Variables } from './engine.js';
export { JobWorker, type JobResult, type JobWorkerOptions } from './worker.js';
export type { Corrections, JobResultOfListener, ListenerUserTask } from './behaviours/user-task-listeners.js';
export { SystemClock, TestClock, type Clock } from './clock.js';
export { EngineError, type EngineErrorCode } from './errors.js';
export { GroupCommit, type GroupCommitOptions } from './group-commit.js';
export { GROUP_LOOP_BUDGET_MS, LoopBudget } from './loop-budget.js';
export { activitySpans, enableActivityTrace, traceActivity, type ActivitySpan } from './activity-trace.js';
export type { DecisionView, HistoryEvent, IncidentView, Job, ProcessInstance, UserTask } from './queries.js';
export { parseBpmn } from './model/parse.js';
export { parseDrg } from './dmn/parse.js';
export { createModdle, type Moddle, type ModdleElement } from './model/moddle.js';
export { ENGINE_TABLES, SCHEMA_VERSION } from './store/schema.js';
export { pruneEngineDatabase } from './retention/prune-database.js';
export type { PruneOptions, PruneResult, PrunedTable } from './retention/prune-finished.js';
// operations views (issue 18), read straight from the engine's driver by the port's embedded adapter
export { countOpenIncidents, definitionSummaries, elementStatistics, incidentsWithJobs, searchInstances, type IncidentWithJob } from './queries.js';
export type { MappingInstruction, MigrationMove, MigrationPlan, MigrationPreview, MigrationRefusal } from './commands/migrate.js';
