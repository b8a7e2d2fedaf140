import type { FlowNode } from '../model/types.js';
import { latestForm } from '../store/definitions.js';
import type { Prepared } from '../runtime/activation.js';
import type { ElementRow } from '../runtime/rows.js';
import { Incident, type Run, type Vars } from '../runtime/run.js';
import { prepareJob } from './service-task.js';
import { evaluateAssignment } from './user-task.js';

/**
 * Job-worker user task (a `bpmn:userTask` without `zeebe:userTask`; deprecated since Camunda 8.6, still executed
 * by 8.8): a job of type `io.camunda.zeebe:userTask` with one retry, whose completion completes the task like a
 * service task's (service-task.ts). As Zeebe does, the evaluated assignment goes into the job's headers:
 * `io.camunda.zeebe:assignee`, `…:candidateGroups` and `…:candidateUsers` (JSON lists), `…:dueDate`,
 * `…:followUpDate`, and `…:formKey` (the static `formKey`, or the key of the latest form deployed with `formId`).
 */
export async function prepareJobWorkerUserTask(run: Run, el: ElementRow, node: FlowNode, context: Vars): Promise<Prepared> {
  const a = await evaluateAssignment(run, el, node, context);
  const headers: Record<string, string> = {};
  if (a.assignee) headers['io.camunda.zeebe:assignee'] = a.assignee;
  if (a.candidateGroups.length) headers['io.camunda.zeebe:candidateGroups'] = JSON.stringify(a.candidateGroups);
  if (a.candidateUsers.length) headers['io.camunda.zeebe:candidateUsers'] = JSON.stringify(a.candidateUsers);
  if (a.dueDate) headers['io.camunda.zeebe:dueDate'] = a.dueDate;
  if (a.followUpDate) headers['io.camunda.zeebe:followUpDate'] = a.followUpDate;
  const formId = node.userTask!.formId;
  if (formId) {
    const form = await latestForm(run.db, formId);
    if (!form) {
      throw new Incident(
        'FORM_NOT_FOUND',
        `Expected to find a form with id '${formId}', but no form with this id is found, at least a form with this id should be available. To resolve the incident, deploy a form with the same id`,
      );
    }
    headers['io.camunda.zeebe:formKey'] = form.form_key;
  }
  return prepareJob(run, el, node, context, headers);
}
