/**
 * The contract between the BPMN processes (processes/*.bpmn), the job workers (workers/), the forms (forms/)
 * and the API: every job type with its headers and the variables it reads and writes, every message, every
 * escalation and error code, every form id. This file is the one source:
 * - workers/registry.ts builds exactly one handler per job type declared here (the compiler checks it);
 * - the modeler's element templates (domain/processes/element-templates.ts) are generated from it;
 * - the admin API lists the job types from it;
 * - the "Job types" table of processes/README.md is rendered from it (`npm run contract:readme` writes it);
 * - test/processes/contract.test.ts reads every .bpmn and form and fails on a job type, header value, message,
 *   escalation, error or form id that is not declared here, and on a README table that differs.
 * Change a job type here first, then the BPMN and the worker.
 */

/** A custom header of a job type (`zeebe:taskHeaders`), as the worker reads it. */
export interface HeaderContract {
  key: string;
  /** label in the modeler (element template) */
  label: string;
  /** help text in the modeler */
  description: string;
  /** the only values the worker accepts; without it any text (e.g. an extra stage's name) */
  choices?: ReadonlyArray<{ value: string; name: string }>;
  /** the worker runs without it */
  optional?: boolean;
  /** for the README: what the reader needs to know beyond the values */
  note?: string;
}

/** A process variable a worker reads or writes. */
export interface VariableContract {
  /** the name; `<stage>` stands for the value of the `stage` header */
  name: string;
  /** for the README: when or in what form, e.g. "for `extend`" */
  note?: string;
}

export interface JobTypeContract {
  type: string;
  /** short Chinese name, shown in the modeler */
  title: string;
  /** what the worker does, in Chinese, shown in the modeler */
  summary: string;
  /** what the worker does, for the README */
  does: string;
  headers: readonly HeaderContract[];
  reads: readonly VariableContract[];
  writes: readonly VariableContract[];
}

const STAGES = [
  { value: 'accept', name: '受理 accept' },
  { value: 'dispatch', name: '派遣 dispatch' },
  { value: 'handle', name: '处置 handle' },
  { value: 'verify', name: '核查 verify' },
  { value: 'extend', name: '延期 extend' },
  { value: 'extra', name: '专项阶段 extra' },
] as const;

const caseId: VariableContract = { name: 'caseId' };

export const JOB_TYPES = [
  {
    type: 'case-classify',
    title: '智能分类',
    summary: '按描述匹配事件类型（目录关键词）；置信度低时由受理人员判定',
    does: 'picks the event type from the text when missing (keywords of the catalogue); low confidence → a person decides in 受理',
    headers: [],
    reads: [caseId, { name: 'description' }, { name: 'eventTypeCode' }],
    writes: [{ name: 'eventTypeCode' }, { name: 'category' }, { name: 'classifyConfidence' }, { name: 'needsManualAccept' }],
  },
  {
    type: 'case-dedup',
    title: '并单查重',
    summary: '同类型、同区域、时间窗内的未结案卷合并（计数 +1）',
    does: '并单: an open case of the same type within the distance/time window absorbs this one (count +1); AI-camera repeats of one spot become one case',
    headers: [],
    reads: [caseId],
    writes: [{ name: 'duplicateOfCaseId', note: 'string or null' }],
  },
  {
    type: 'case-deadline',
    title: '计算时限',
    summary: '按事件类型时限与工作日历计算到期、预警（80%）、督办（150%）时间',
    does: "time limits of the event type on the working-day calendar (natural minutes for emergencies): 80 % warn (黄灯/催办), 100 % due (红灯/督办), 150 % supervise (挂牌督办); `extend` moves the handle deadlines; `extra` times a named stage of the catalogue's `extra_stages` (`停工=4h;处罚=7d;拆除=20d`, `首次调解=3d;再次调解=7d`) — a name the event type lacks is an incident",
    headers: [
      { key: 'stage', label: '阶段 stage', description: '计时的环节；extra 为事件类型的专项阶段', choices: STAGES },
      {
        key: 'extraStage',
        label: '专项阶段 extraStage',
        description: 'stage = extra 时的阶段名称，如 停工、处罚、拆除、首次调解',
        optional: true,
        note: '(with `extra`): the name of an extra stage, e.g. `停工`',
      },
    ],
    reads: [caseId, { name: 'extensionHours', note: 'for `extend`' }],
    writes: [
      { name: '<stage>DueAt', note: 'ISO date-time' },
      { name: '<stage>WarnAt' },
      { name: '<stage>SuperviseAt' },
      { name: 'stageDueAt', note: 'for `extra`' },
      { name: 'stageWarnAt', note: 'for `extra`' },
      { name: 'stageSuperviseAt', note: 'for `extra`' },
      { name: 'extraStage', note: 'for `extra`' },
    ],
  },
  {
    type: 'case-task-deadline',
    title: '任务时限',
    summary: '中心任务（派遣、核查、审核）开始时按事件类型时限与工作日历计算到期时间，供任务的到期日使用',
    does: "start execution listener on the centre's own user tasks (派遣, 改派主办单位, 核查, 退单审核, 延期审批, 挂账审核, 移交): the task's due time from its start on the working-day calendar (natural minutes for emergencies) — the event type's verify limit for `verify`, its dispatch limit for every other task (a review is the centre's decision, timed as 派遣); written local to the task for its `dueDate`, the case's own deadlines untouched",
    headers: [],
    reads: [caseId],
    writes: [{ name: 'taskDueAt', note: 'ISO date-time, local to the task' }],
  },
  {
    type: 'case-route',
    title: '智能派遣',
    summary: '事件先属地后属主，部件先属主后属地：确定承办单位',
    does: "事件先属地后属主, 部件先属主后属地: the grid's township or the owner department; `assistUnits` back as given at start (cleaned) or `[]`, so `case-emergency`'s multi-instance always has a list",
    headers: [],
    reads: [caseId, { name: 'assistUnits' }],
    writes: [
      { name: 'unitCode' },
      { name: 'routeSure' },
      { name: 'routeReason' },
      { name: 'routeBasis', note: '`territory` `owner` `assigned` `none`: the rule that chose' },
      { name: 'assistUnits' },
    ],
  },
  {
    type: 'case-notify-reporter',
    title: '通知报告人',
    summary: '向报告人发送进度消息（发件箱）',
    does: 'a message to the reporter in the outbox (`handedOver`: where a dispute went after failed mediation — no request to rate)',
    headers: [
      {
        key: 'event',
        label: '事件 event',
        description: '通知的进度',
        choices: [
          { value: 'accepted', name: '已受理 accepted' },
          { value: 'rejected', name: '不予受理 rejected' },
          { value: 'dispatched', name: '已派遣 dispatched' },
          { value: 'closed', name: '已结案 closed' },
          { value: 'handedOver', name: '已移交 handedOver' },
        ],
      },
    ],
    reads: [
      caseId,
      { name: 'rejectReason', note: 'for `rejected`' },
      { name: 'handOverTo', note: 'for `handedOver`' },
      { name: 'handOverNote', note: 'for `handedOver`' },
    ],
    writes: [],
  },
  {
    type: 'case-remind',
    title: '催办',
    summary: '黄灯：提醒承办单位（发件箱与任务）',
    does: '催办: yellow light, reminder to the unit in the outbox and on the task (`assist`: to the 协办 unit, with its own due time)',
    headers: [
      {
        key: 'stage',
        label: '阶段 stage',
        description: '催办的环节，如 handle、assist（协办），或专项阶段名称（停工 …）',
        note: "(a stage of `case-deadline`; for an extra stage its name, e.g. `停工`: the message names it and reads the case's running due time; `assist`: a 协办 task)",
      },
    ],
    reads: [caseId, { name: 'assistUnit', note: 'for `assist`' }, { name: 'assistDueAt', note: 'for `assist`' }],
    writes: [],
  },
  {
    type: 'case-escalate',
    title: '督办',
    summary: '1：红灯督办（单位领导、指挥中心）；2：挂牌督办（区领导）',
    does: '督办 (1: red light, unit leader and centre notified) / 挂牌督办 (2: district leader)',
    headers: [
      {
        key: 'level',
        label: '级别 level',
        description: '督办级别',
        choices: [
          { value: '1', name: '督办 1' },
          { value: '2', name: '挂牌督办 2' },
        ],
      },
      {
        key: 'stage',
        label: '阶段 stage',
        description: '记录的环节（可选）',
        optional: true,
        note: '(optional, recorded: `handle`, `assist`, an extra stage)',
      },
    ],
    reads: [caseId],
    writes: [{ name: 'escalationLevel' }],
  },
  {
    type: 'case-record',
    title: '记录环节',
    summary: '在案卷与审计日志中记录一个环节（状态、单位、计数）',
    does: 'records a step on the case (status, unit, counters) and in the audit log',
    headers: [
      {
        key: 'action',
        label: '动作 action',
        description: '记录的环节',
        choices: [
          { value: 'accepted', name: '受理 accepted' },
          { value: 'rejected', name: '不予受理 rejected' },
          { value: 'dispatched', name: '派遣 dispatched' },
          { value: 'returned', name: '退单 returned' },
          { value: 'extended', name: '延期 extended' },
          { value: 'shelved', name: '挂账 shelved' },
          { value: 'handedOver', name: '移交 handedOver' },
          { value: 'redispatched', name: '改派 redispatched' },
        ],
      },
    ],
    reads: [
      caseId,
      { name: 'eventTypeCode', note: 'for `accepted`' },
      { name: 'acceptNote', note: 'for `accepted`' },
      { name: 'rejectReason', note: 'for `rejected`' },
      { name: 'unitCode', note: 'for `dispatched`' },
      { name: 'dispatchNote', note: 'for `dispatched`' },
      { name: 'returnReason', note: 'for `returned`' },
      { name: 'extensionHours', note: 'for `extended`' },
      { name: 'extensionReason', note: 'for `extended`' },
      { name: 'shelveReason', note: 'for `shelved`' },
      { name: 'handOverTo', note: 'for `handedOver`' },
      { name: 'handOverNote', note: 'for `handedOver`' },
      { name: 'unitCode', note: 'for `redispatched`: the new unit' },
      { name: 'redispatchReason', note: 'for `redispatched`' },
      { name: 'redispatchBy', note: 'for `redispatched`: the operator' },
    ],
    writes: [],
  },
  {
    type: 'case-rework',
    title: '返工',
    summary: '核查不通过，退回承办单位并计数',
    does: '返工: verification failed, back to the unit, counted',
    headers: [],
    reads: [caseId, { name: 'verifyComment' }],
    writes: [{ name: 'reworkCount' }],
  },
  {
    type: 'case-close',
    title: '结案',
    summary: '案卷结案，记录结案时间',
    does: '结案: status closed, closed time',
    headers: [],
    reads: [caseId, { name: 'verifyComment' }],
    writes: [],
  },
  {
    type: 'case-reopen',
    title: '重办',
    summary: '回访不满意，重新办理',
    does: '重办 after an unsatisfied 回访',
    headers: [],
    reads: [caseId, { name: 'ratingComment' }],
    writes: [],
  },
  {
    type: 'case-evaluate',
    title: '评价',
    summary: '计算案卷的考核指标（按期处置、返工、延期、满意 …）',
    does: "the case's metrics (按期处置, 返工, 延期, 满意 …)",
    headers: [],
    reads: [caseId, { name: 'satisfied' }, { name: 'rating' }, { name: 'ratingComment' }],
    writes: [{ name: 'evaluation' }],
  },
] as const satisfies readonly JobTypeContract[];

/** The name of a job type of the contract. */
export type JobType = (typeof JOB_TYPES)[number]['type'];

const byType = new Map<string, JobTypeContract>(JOB_TYPES.map((j) => [j.type, j]));

/** The contract of a job type, or undefined for a type the contract does not declare. */
export function jobTypeContract(type: string): JobTypeContract | undefined {
  return byType.get(type);
}

export const JOB_TYPE_NAMES: readonly JobType[] = JOB_TYPES.map((j) => j.type);

/** Messages the processes wait for; the API publishes them. */
export const MESSAGES = {
  /** 回访: the reporter's rating, correlated by the case id; received by `revisit` in case-followup */
  caseRating: { name: 'case-rating', correlationKey: '= caseId', variables: ['satisfied', 'rating', 'ratingComment'] },
  /**
   * 改派 by the centre while a unit handles the case: caught by the interrupting boundary `redispatchOrdered` on the
   * `handling` call activity (the unit's open task ends), recorded, then handling starts again at the new unit
   */
  caseRedispatch: { name: 'case-redispatch', correlationKey: '= caseId', variables: ['unitCode', 'redispatchReason', 'redispatchBy'] },
} as const;

/**
 * The processes whose `handling` call activity carries the interrupting message boundary `redispatchOrdered`
 * (`case-redispatch`): the centre may 改派 while a unit handles. The others (专项 stages, mediation, 应急) have no
 * such boundary yet: the API refuses 改派 there (test/processes/contract.test.ts checks the diagrams agree).
 */
export const REDISPATCH_PROCESSES = ['case-generic', 'case-city-appearance', 'case-ecology', 'case-food-safety'] as const;

/** Escalation codes a called process throws for its caller to catch (an uncaught one is dropped, as in Zeebe). */
export const ESCALATIONS = {
  /** 督办 at 100 % of the handling limit */
  supervise: 'supervise',
  /** 挂牌督办 at 150 % */
  superviseListed: 'supervise-listed',
} as const;

/** Error codes a called process ends with for its caller to catch. */
export const ERRORS = {
  /** 回访 unsatisfied: the caller catches it on the call activity and turns it into 重办 */
  revisitUnsatisfied: 'revisit-unsatisfied',
} as const;

/** A user task's form (forms/<id>.form): who may claim it and what it submits. */
export interface FormContract {
  id: string;
  /** `zeebe:assignmentDefinition candidateGroups`: a role, or `= unitCode`-style expressions */
  candidateGroups: readonly string[];
  /** the variables the form submits (its fields' keys) */
  submits: readonly string[];
}

export const FORMS = [
  { id: 'case-accept', candidateGroups: ['operator'], submits: ['filed', 'eventTypeCode', 'rejectReason'] },
  { id: 'case-dispatch', candidateGroups: ['operator'], submits: ['unitCode', 'dispatchNote'] },
  {
    id: 'case-handle',
    candidateGroups: ['= unitCode'],
    submits: ['handleOutcome', 'handleResult', 'photosBefore', 'photosAfter', 'returnReason', 'extensionHours', 'extensionReason', 'shelveReason'],
  },
  { id: 'case-return-review', candidateGroups: ['operator'], submits: ['returnApproved', 'reviewComment'] },
  { id: 'case-shelve-review', candidateGroups: ['operator'], submits: ['shelveApproved', 'reviewComment'] },
  { id: 'case-extension-review', candidateGroups: ['operator'], submits: ['extensionApproved', 'extensionHours'] },
  { id: 'case-verify', candidateGroups: ['grid_worker', 'operator'], submits: ['verified', 'verifyComment', 'photosVerify'] },
  {
    id: 'case-emergency-handle',
    candidateGroups: ['= unitCode'],
    submits: ['handleOutcome', 'handleResult', 'photosBefore', 'photosAfter', 'returnReason', 'extensionHours', 'extensionReason'],
  },
  { id: 'case-assist', candidateGroups: ['= assistUnit'], submits: ['assistResult', 'photosAssist'] },
  { id: 'case-stage', candidateGroups: ['= unitCode'], submits: ['stageResult', 'photosStage'] },
  { id: 'case-mediate', candidateGroups: ['= unitCode'], submits: ['mediationOutcome', 'mediationResult'] },
  { id: 'case-hand-over', candidateGroups: ['operator'], submits: ['handOverTo', 'handOverNote'] },
] as const satisfies readonly FormContract[];

// ── the README table, rendered from the contract ──

const code = (s: string) => `\`${s}\``;
const variable = (v: VariableContract) => code(v.name) + (v.note ? ` (${v.note})` : '');
const headerCell = (h: HeaderContract) => code(h.key) + (h.note ? ` ${h.note}` : '') + (h.choices ? `: ${h.choices.map((c) => code(c.value)).join(' ')}` : '');

/** The "Job types" table of processes/README.md. */
export function renderJobTypeTable(): string {
  const row = (cells: string[]) => `|${cells.map((c) => (c ? ` ${c} ` : ' ')).join('|')}|`;
  const rows = JOB_TYPES.map((j: JobTypeContract) =>
    row([code(j.type), j.headers.map(headerCell).join('; '), j.reads.map(variable).join(', '), j.writes.map(variable).join(', '), j.does]),
  );
  return ['| job type | headers | reads | writes (variables) | what it does |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
