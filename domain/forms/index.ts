/** User-task forms (form-js `.form` files): definitions, server-side submission schemas, photo ids. */
export {
  allComponents,
  inputComponents,
  parseFormDefinition,
  INPUT_TYPES,
  PRESENTATION_TYPES,
  CONTAINER_TYPES,
  type FormComponent,
  type FormDefinition,
  type FormOption,
  type FormValidate,
  type InputComponent,
} from './form-definition.js';
export {
  compileForm,
  deriveSchema,
  validateSubmission,
  FormSchemaError,
  type JsonSchema,
  type DerivedField,
  type DerivedFormSchema,
  type FieldError,
  type SubmissionResult,
} from './derive-schema.js';
export { checkHideCondition, HideConditionError, isHidden, type ConditionField } from './hide-conditions.js';
export { ATTACHMENT_IDS_PATTERN, parseAttachmentIds } from './attachment-ids.js';
export { FORMS_DIR, loadFormDirectory, type LoadedForm } from './load-forms.js';
export { taskForm } from './deployed-forms.js';
export { decisionKeys, isPrefilled, roundVariables, PREFILL_PROPERTY } from './decision-fields.js';
