/**
 * A form's decision fields: the inputs a person fills in afresh each time the task comes round (受理意见,
 * 退单理由, 审核意见, 审核说明 …). The process keeps one variable per name, so without this a second 退单审核
 * would open with the first round's 同意退单 and its comment, and a clerk whose 退单 was refused would find
 * 申请退单 still selected. A field is a suggestion instead — filled from what the process worked out before
 * the task (the classifier's event type, the router's unit, the hours a unit asked for) — when it says so
 * with the form-js custom property `prefill: "true"` (Camunda Forms "custom properties").
 */
import { inputComponents, type FormComponent, type FormDefinition } from './form-definition.js';

/** The custom property that marks a field the process's value may fill in. */
export const PREFILL_PROPERTY = 'prefill';

export function isPrefilled(c: FormComponent): boolean {
  const props = c.properties as Record<string, unknown> | undefined;
  return !!props && String(props[PREFILL_PROPERTY]) === 'true';
}

/** The keys of the form's decision fields (inputs not marked `prefill`). */
export function decisionKeys(form: FormDefinition): string[] {
  return inputComponents(form)
    .filter((i) => !isPrefilled(i.component))
    .map((i) => i.key);
}

/**
 * What a completion hands the engine: the submitted values, and null for every decision field the person
 * left out (a hidden or optional one), so that a round which says nothing clears the last round's words
 * instead of passing them on as if said again (an old 审核说明 shown to the unit as the new one).
 */
export function roundVariables(form: FormDefinition, data: Record<string, unknown>): Record<string, unknown> {
  const cleared = Object.fromEntries(
    decisionKeys(form)
      .filter((k) => !Object.hasOwn(data, k))
      .map((k) => [k, null]),
  );
  return { ...cleared, ...data };
}
