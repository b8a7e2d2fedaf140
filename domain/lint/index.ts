/** BPMN lint: bpmnlint (camunda-compat 8.8 + recommended) and the embedded engine's supported set, one function for API, modeler and tests. */
export {
  CAMUNDA_COMPAT_CONFIG,
  RULES_OFF,
  configuredRules,
  hasErrors,
  lintBpmn,
  lintBpmnDetailed,
  type LintOptions,
  type LintProblem,
  type LintResult,
  type LintSeverity,
  type LintSource,
} from './lint-bpmn.js';
/** DMN lint: the engine's DMN parser (errors) and naming advice (warnings), in the same problem shape. */
export { lintDmn } from './lint-dmn.js';
