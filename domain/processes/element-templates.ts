/**
 * Camunda 8 element templates for the product's job workers: one per job type, so a new service task in the
 * modeler is one click and carries the right `zeebe:taskDefinition` type, retries and headers. Everything a
 * template shows (the header choices, the variables read and written) is generated from the process contract
 * (processes/contract.ts), the same source the worker registry and the processes README are built from.
 */
import { JOB_TYPES, type JobTypeContract } from '../../processes/contract.js';

export const ELEMENT_TEMPLATE_SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';

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

/** One template per job type of the contract. */
export function elementTemplates(jobTypes: readonly JobTypeContract[] = JOB_TYPES): ElementTemplate[] {
  return jobTypes.map((spec) => {
    const type = spec.type;
    const properties: Array<Record<string, unknown>> = [
      { type: 'Hidden', value: type, binding: { type: 'zeebe:taskDefinition', property: 'type' } },
      {
        label: '重试次数',
        type: 'String',
        value: '3',
        group: 'job',
        binding: { type: 'zeebe:taskDefinition', property: 'retries' },
        constraints: { notEmpty: true, pattern: { value: '^[0-9]+$', message: '须为非负整数' } },
      },
    ];
    for (const h of spec.headers) {
      const base = { label: h.label, description: h.description, group: 'headers', binding: { type: 'zeebe:taskHeader', key: h.key } };
      if (h.choices) properties.push({ ...base, type: 'Dropdown', value: h.choices[0]!.value, choices: h.choices });
      else if (h.optional) properties.push({ ...base, type: 'String', optional: true });
      else properties.push({ ...base, type: 'String', constraints: { notEmpty: true } });
    }
    // the workers read and write process variables directly; a mapping here is only for a diagram that renames them
    for (const { name: v } of spec.reads) {
      properties.push({
        label: `读取 ${v}`,
        description: `工作者读取变量 ${v}；留空即直接读取同名流程变量`,
        type: 'String',
        feel: 'required',
        optional: true,
        group: 'inputs',
        binding: { type: 'zeebe:input', name: v },
      });
    }
    for (const { name: v } of spec.writes) {
      if (v.includes('<')) continue; // names built from a header value: no fixed mapping to offer
      properties.push({
        label: `写回 ${v}`,
        description: `工作者写回变量 ${v}；留空即写回同名流程变量，填写则改写到该变量`,
        type: 'String',
        optional: true,
        group: 'outputs',
        binding: { type: 'zeebe:output', source: `=${v}` },
      });
    }
    const writes = spec.writes.length ? spec.writes.map((v) => v.name).join(', ') : '—';
    return {
      $schema: ELEMENT_TEMPLATE_SCHEMA,
      name: `${spec.title} (${type})`,
      id: `ywtg.worker.${type}`,
      version: 1,
      description: `${spec.summary}。读取：${spec.reads.map((v) => v.name).join(', ') || '—'}；写回：${writes}`,
      appliesTo: ['bpmn:Task'],
      elementType: { value: 'bpmn:ServiceTask' },
      engines: { camunda: '^8.8' },
      keywords: ['一网统管', type],
      groups: [
        { id: 'job', label: '作业' },
        ...(spec.headers.length ? [{ id: 'headers', label: '任务头' }] : []),
        ...(spec.reads.length ? [{ id: 'inputs', label: '输入变量' }] : []),
        ...(spec.writes.some((v) => !v.name.includes('<')) ? [{ id: 'outputs', label: '输出变量' }] : []),
      ],
      properties,
    };
  });
}
