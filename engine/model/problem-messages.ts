/**
 * Why a deployment is refused, by key: every problem the parser and the deploy command report names one of
 * these keys with its parameters, and its English message is the template filled in. Callers that speak
 * another language word the problem from the key (the product: domain/lint/engine-messages.ts); the
 * engine itself speaks English only.
 */
import type { DeployProblem } from './types.js';

export const DEPLOY_PROBLEMS = {
  feel_syntax: '{what}: {error}',
  mapping_feel_syntax: "{what} mapping '{target}': {error}",
  mapping_without_target: '{what} mapping without a target',
  multiple_event_definitions: 'an event with more than one event definition (multiple event) is not supported',
  timer_without_time: 'timer event without timeDuration, timeDate or timeCycle',
  // the timer's own check words these (runtime/timer-spec.ts); `text` is the value refused
  timer_duration: '{detail}',
  timer_date: '{detail}',
  timer_cycle: '{detail}',
  message_without_name: 'message event without a message name',
  signal_without_name: 'signal event without a signal name',
  link_without_name: 'link event without a link name',
  event_definition_unsupported: '{type} is not supported',
  restricted_header: "task header '{header}' is restricted: Zeebe sets it itself",
  job_without_type: 'zeebe:taskDefinition without a job type',
  standard_loop: 'standard loop characteristics are not supported; use multi-instance',
  multi_instance_without_collection: 'multi-instance without zeebe:loopCharacteristics inputCollection',
  call_without_process: 'call activity without zeebe:calledElement processId',
  called_element_binding: "zeebe:calledElement bindingType '{binding}' is not one of latest, deployment, versionTag",
  called_element_version_tag: 'zeebe:calledElement with bindingType="versionTag" needs a versionTag',
  decision_without_id: 'zeebe:calledDecision without a decisionId',
  decision_without_result: 'zeebe:calledDecision without a resultVariable',
  called_decision_binding: "zeebe:calledDecision bindingType '{binding}' is not one of latest, deployment, versionTag",
  called_decision_version_tag: 'zeebe:calledDecision with bindingType="versionTag" needs a versionTag',
  listener_without_type: '{what} without a job type',
  listener_twice: "{what}s must have unique combinations of eventType and type: '{eventType}' and '{type}' appear twice",
  execution_listener_event: "execution listener event type '{eventType}' is not one of start, end",
  start_listener_unsupported: "Execution listeners of type 'start' are not supported by {label}s",
  end_listener_unsupported: "Execution listeners of type 'end' are not supported by {label}s",
  end_listener_error_end: "Execution listeners of type 'end' are not supported by error end events",
  task_listener_place: 'task listeners are only supported on Camunda user tasks (zeebe:userTask)',
  task_listener_event: "task listener event type '{eventType}' is not one of creating, assigning, updating, completing, canceling",
  task_listener_canceling: "task listeners of event type 'canceling' are not supported by the embedded engine",
  ad_hoc_start_end: 'an ad-hoc sub-process must not have start or end events',
  ad_hoc_empty: 'an ad-hoc sub-process must have at least one activity',
  ad_hoc_output: 'an ad-hoc sub-process with an output collection needs an output element',
  task_without_job: '{type} needs a zeebe:taskDefinition with a job type',
  script_without_result: 'script task without a result variable',
  script_without_implementation: 'script task needs a zeebe:script expression or a zeebe:taskDefinition',
  receive_without_message: 'receive task without a message',
  message_throw_without_job: 'message throw events are job-based: add a zeebe:taskDefinition',
  flow_without_ends: 'sequence flow without a source or a target',
  element_unsupported: '{type} is not supported by the embedded engine',
  duplicate_id: 'duplicate element id',
  boundary_without_host: 'boundary event not attached to an activity',
  boundary_unsupported: '{kind} boundary events are not supported',
  sub_process_start: 'an embedded sub-process needs exactly one none start event',
  event_sub_process_start_count: 'an event sub-process needs exactly one start event',
  event_sub_process_start_kind: 'event sub-process start events must be timer, message, error, escalation or signal (found {kind})',
  error_start_interrupting: 'error start events must be interrupting',
  message_catch_without_key: 'message catch events need a correlation key (zeebe:subscription correlationKey)',
  catch_event_kind: 'intermediate catch events must be timer, message, signal or link (found {kind})',
  throw_event_kind: 'intermediate throw events must be none, escalation, signal, link, message or compensation (found {kind})',
  error_end_without_code: 'error end event without an error code',
  escalation_end_without_code: 'escalation end event without an escalation code',
  escalation_throw_without_code: 'escalation throw event without an escalation code',
  process_start_kind: 'process start events must be none, timer, message or signal (found {kind})',
  event_gateway_targets: 'an event-based gateway must lead only to timer, message or signal catch events or receive tasks',
  event_gateway_outgoing: 'an event-based gateway needs at least two outgoing flows',
  flow_without_condition: 'outgoing flow of {gateway} needs a condition (or be the default flow)',
  flow_unknown_end: 'sequence flow points at an unknown element ({id})',
  flow_crosses_scope: 'sequence flow crosses a sub-process boundary',
  flow_enters_start: 'a sequence flow cannot enter a {type}',
  link_catch_twice: "duplicate link catch event '{name}' in one scope",
  link_catch_missing: "no link catch event '{name}' in the same scope",
  catch_code_expression: 'a catching {kind} event needs a static {kind} code, not an expression',
  code_caught_twice: '{kind} code {code} is caught twice in {owner} (also by {first})',
  compensation_handler_flows: 'a compensation handler must not have incoming or outgoing sequence flows',
  compensation_without_handler: 'a compensation boundary event needs an association to a compensation handler (an activity marked isForCompensation)',
  compensation_boundary_outgoing: 'a compensation boundary event must not have outgoing sequence flows',
  compensation_boundary_twice: 'activity {activity} has more than one compensation boundary event',
  compensation_start: 'compensation start events are not supported by Camunda 8.8',
  compensation_activity_ref: "the compensation activityRef '{ref}' must name an activity of the same scope with a compensation boundary event",
  none_start_twice: 'a process can have only one none start event',
  process_without_start: 'process without a start event',
  xml_unknown_content: '{detail}',
  not_bpmn: 'not a BPMN 2.0 XML document: {detail}',
  no_process: 'no process in the resource',
  no_executable_process: 'no executable process in the resource: every process has isExecutable="false"',
  process_twice: 'the same process id is deployed twice in one deployment',
  form_twice: 'the same form id is deployed twice in one deployment',
  form_not_json: 'not valid JSON: {detail}',
  form_without_id: 'a form needs a string "id"',
  form_without_components: 'a form needs a "components" list',
  decision_not_in_deployment: 'called decision \'{id}\' is not in this deployment (bindingType "deployment")',
  process_not_in_deployment: 'Expected to find process with id \'{id}\' in this deployment (bindingType "deployment"), but not found',
  drg_twice: 'the same decision requirements graph id is deployed twice in one deployment',
  decision_twice: 'the same decision id is deployed twice in one deployment',
  dmn_without_id: 'the DMN definitions element needs an id',
} as const;

export type DeployProblemKey = keyof typeof DEPLOY_PROBLEMS;
export type DeployProblemParams = Record<string, string>;

/** The English of a problem: its template with the parameters filled in. */
export function deployProblemText(key: DeployProblemKey, params: DeployProblemParams = {}): string {
  return DEPLOY_PROBLEMS[key].replace(/\{(\w+)\}/g, (all, name: string) => params[name] ?? all);
}

/** A problem of `resource` (at `elementId`, or the document as a whole), keyed and worded in English. */
export function deployProblem(resource: string, elementId: string | null, key: DeployProblemKey, params?: DeployProblemParams): DeployProblem {
  return { resource, elementId, message: deployProblemText(key, params), key, ...(params ? { params } : {}) };
}
