/**
 * Camunda 8 element templates for the product's job workers: one per job type, so a new service task in the
 * modeler is one click and carries the right `zeebe:taskDefinition` type, retries and headers. The job types
 * come from the worker registry (the caller passes them); what each one reads, writes and takes as headers is
 * the contract of processes/README.md, repeated here as data the modeler can show.
 */

export const ELEMENT_TEMPLATE_SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';

interface HeaderSpec {
  key: string;
  label: string;
  description: string;
  /** a fixed set of values (a dropdown); without it a free text */
  choices?: Array<{ name: string; value: string }>;
  /** left out of the XML when empty */
  optional?: boolean;
}

interface JobTypeSpec {
  name: string;
  description: string;
  headers?: HeaderSpec[];
  reads: string[];
  writes: string[];
}

const STAGES = [
  { name: '受理 accept', value: 'accept' }, { name: '派遣 dispatch', value: 'dispatch' }, { name: '处置 handle', value: 'handle' },
  { name: '核查 verify', value: 'verify' }, { name: '延期 extend', value: 'extend' }, { name: '专项阶段 extra', value: 'extra' },
];

/** The contract of each job type (processes/README.md, "Job types"). */
export const JOB_TYPE_SPECS: Readonly<Record<string, JobTypeSpec>> = {
  'case-classify': { name: '智能分类', description: '按描述匹配事件类型（目录关键词）；置信度低时由受理人员判定', reads: ['caseId', 'description', 'eventTypeCode'], writes: ['eventTypeCode', 'category', 'classifyConfidence', 'needsManualAccept'] },
  'case-dedup': { name: '并单查重', description: '同类型、同区域、时间窗内的未结案卷合并（计数 +1）', reads: ['caseId'], writes: ['duplicateOfCaseId'] },
  'case-deadline': {
    name: '计算时限', description: '按事件类型时限与工作日历计算到期、预警（80%）、督办（150%）时间', reads: ['caseId', 'extensionHours'], writes: ['<stage>DueAt', '<stage>WarnAt', '<stage>SuperviseAt', 'stageDueAt', 'stageWarnAt', 'stageSuperviseAt', 'extraStage'],
    headers: [
      { key: 'stage', label: '阶段 stage', description: '计时的环节；extra 为事件类型的专项阶段', choices: STAGES },
      { key: 'extraStage', label: '专项阶段 extraStage', description: 'stage = extra 时的阶段名称，如 停工、处罚、拆除、首次调解', optional: true },
    ],
  },
  'case-route': { name: '智能派遣', description: '事件先属地后属主，部件先属主后属地：确定承办单位', reads: ['caseId', 'assistUnits'], writes: ['unitCode', 'routeSure', 'routeReason', 'assistUnits'] },
  'case-notify-reporter': {
    name: '通知报告人', description: '向报告人发送进度消息（发件箱）', reads: ['caseId'], writes: [],
    headers: [{ key: 'event', label: '事件 event', description: '通知的进度', choices: [
      { name: '已受理 accepted', value: 'accepted' }, { name: '不予受理 rejected', value: 'rejected' }, { name: '已派遣 dispatched', value: 'dispatched' }, { name: '已结案 closed', value: 'closed' }, { name: '已移交 handedOver', value: 'handedOver' },
    ] }],
  },
  'case-remind': {
    name: '催办', description: '黄灯：提醒承办单位（发件箱与任务）', reads: ['caseId'], writes: [],
    headers: [{ key: 'stage', label: '阶段 stage', description: '催办的环节，如 handle、assist（协办），或专项阶段名称（停工 …）' }],
  },
  'case-escalate': {
    name: '督办', description: '1：红灯督办（单位领导、指挥中心）；2：挂牌督办（区领导）', reads: ['caseId'], writes: ['escalationLevel'],
    headers: [
      { key: 'level', label: '级别 level', description: '督办级别', choices: [{ name: '督办 1', value: '1' }, { name: '挂牌督办 2', value: '2' }] },
      { key: 'stage', label: '阶段 stage', description: '记录的环节（可选）', optional: true },
    ],
  },
  'case-record': {
    name: '记录环节', description: '在案卷与审计日志中记录一个环节（状态、单位、计数）', reads: ['caseId', 'handOverTo', 'handOverNote'], writes: [],
    headers: [{ key: 'action', label: '动作 action', description: '记录的环节', choices: [
      { name: '受理 accepted', value: 'accepted' }, { name: '不予受理 rejected', value: 'rejected' }, { name: '派遣 dispatched', value: 'dispatched' },
      { name: '退单 returned', value: 'returned' }, { name: '延期 extended', value: 'extended' }, { name: '挂账 shelved', value: 'shelved' }, { name: '移交 handedOver', value: 'handedOver' },
    ] }],
  },
  'case-rework': { name: '返工', description: '核查不通过，退回承办单位并计数', reads: ['caseId'], writes: ['reworkCount'] },
  'case-close': { name: '结案', description: '案卷结案，记录结案时间', reads: ['caseId'], writes: [] },
  'case-reopen': { name: '重办', description: '回访不满意，重新办理', reads: ['caseId'], writes: [] },
  'case-evaluate': { name: '评价', description: '计算案卷的考核指标（按期处置、返工、延期、满意 …）', reads: ['caseId'], writes: ['evaluation'] },
};

export interface ElementTemplate {
  $schema: string;
  name: string;
  id: string;
  version: number;
  description: string;
  appliesTo: string[];
  elementType: { value: string };
  engines: { camunda: string };
  groups: Array<{ id: string; label: string }>;
  properties: Array<Record<string, unknown>>;
  [other: string]: unknown;
}

/** One template per job type; a type without a contract entry still gets its task definition. */
export function elementTemplates(jobTypes: readonly string[]): ElementTemplate[] {
  return jobTypes.map((type) => {
    const spec = JOB_TYPE_SPECS[type] ?? { name: type, description: `job type ${type}`, reads: [], writes: [] };
    const properties: Array<Record<string, unknown>> = [
      { type: 'Hidden', value: type, binding: { type: 'zeebe:taskDefinition', property: 'type' } },
      { label: '重试次数 retries', type: 'String', value: '3', group: 'job', binding: { type: 'zeebe:taskDefinition', property: 'retries' }, constraints: { notEmpty: true, pattern: { value: '^[0-9]+$', message: '须为非负整数' } } },
    ];
    for (const h of spec.headers ?? []) {
      const base = { label: h.label, description: h.description, group: 'headers', binding: { type: 'zeebe:taskHeader', key: h.key } };
      if (h.choices) properties.push({ ...base, type: 'Dropdown', value: h.choices[0]!.value, choices: h.choices });
      else if (h.optional) properties.push({ ...base, type: 'String', optional: true });
      else properties.push({ ...base, type: 'String', constraints: { notEmpty: true } });
    }
    // the workers read and write process variables directly; a mapping here is only for a diagram that renames them
    for (const v of spec.reads) {
      properties.push({ label: `读取 ${v}`, description: `工作者读取变量 ${v}；留空即直接读取同名流程变量`, type: 'String', feel: 'required', optional: true, group: 'inputs', binding: { type: 'zeebe:input', name: v } });
    }
    for (const v of spec.writes) {
      if (v.includes('<')) continue; // names built from a header value: no fixed mapping to offer
      properties.push({ label: `写回 ${v}`, description: `工作者写回变量 ${v}；留空即写回同名流程变量，填写则改写到该变量`, type: 'String', optional: true, group: 'outputs', binding: { type: 'zeebe:output', source: `=${v}` } });
    }
    const writes = spec.writes.length ? spec.writes.join(', ') : '—';
    return {
      $schema: ELEMENT_TEMPLATE_SCHEMA,
      name: `${spec.name} (${type})`,
      id: `ywtg.worker.${type}`,
      version: 1,
      description: `${spec.description}。读取：${spec.reads.join(', ') || '—'}；写回：${writes}`,
      appliesTo: ['bpmn:Task'],
      elementType: { value: 'bpmn:ServiceTask' },
      engines: { camunda: '^8.8' },
      keywords: ['一网统管', type],
      groups: [
        { id: 'job', label: '任务 Job' },
        ...(spec.headers?.length ? [{ id: 'headers', label: '任务头 Headers' }] : []),
        ...(spec.reads.length ? [{ id: 'inputs', label: '输入变量 Inputs' }] : []),
        ...(spec.writes.some((v) => !v.includes('<')) ? [{ id: 'outputs', label: '输出变量 Outputs' }] : []),
      ],
      properties,
    };
  });
}
