import { readFileSync } from 'node:fs';
import { CaseInstances, Cases } from '../../support/tables.js';
import { complete, fail, type RunningWorkers, type WorkflowEngine } from '../../../port/workflow-engine.js';
import { createCase } from '../../support/case-fixtures.js';
import { probeProcess } from '../../support/probe-process.js';

/** A service task whose worker fails with no retries left until `fixed` is set: one JOB_NO_RETRIES incident per instance. */
export const JOB_PROBE = 'ops-probe-job';
/** An exclusive gateway on `priority` without a default flow: a CONDITION_ERROR incident while `priority` is missing. */
export const GATEWAY_PROBE = 'fl-exclusive-incident';

export interface Probes {
  fixed: { value: boolean };
  workers: RunningWorkers;
}

export async function deployProbes(port: WorkflowEngine): Promise<Probes> {
  await port.deploy([
    {
      name: `${JOB_PROBE}.bpmn`,
      content: probeProcess({
        processId: JOB_PROBE,
        processName: '运维探针',
        names: { start: '开始', task: '外部接口', end: '结束' },
        taskXml: '<bpmn:extensionElements><zeebe:taskDefinition type="ops-probe" retries="1" /></bpmn:extensionElements>',
      }),
    },
    { name: `${GATEWAY_PROBE}.bpmn`, content: readFileSync(new URL('../../engine/bpmn/fl-exclusive-incident.bpmn', import.meta.url), 'utf8') },
  ]);
  const fixed = { value: false };
  const workers = await port.startWorkers([
    {
      type: 'ops-probe',
      handler: async () => (fixed.value ? complete({ probed: true }) : fail('接口 503：服务不可用', { retries: 0 })),
    },
  ]);
  return { fixed, workers };
}

/** A case in 处置 whose process is this probe instance, as intake maps a case to its instance. */
export async function probeCase(port: WorkflowEngine, processId: string, variables: Record<string, unknown> = {}) {
  const caseRow = await createCase({ status: 'handling' });
  const { processInstanceKey } = await port.createInstance({ bpmnProcessId: processId, variables: { caseId: caseRow.id, ...variables } });
  await Cases.updateRow(caseRow, { processInstanceKey, processId });
  await CaseInstances.create({ processInstanceKey, caseId: caseRow.id });
  return { caseRow, processInstanceKey };
}
