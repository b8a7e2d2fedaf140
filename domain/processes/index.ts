/** Process and form administration: versions as deployed, drafts, deploy with lint, diff, element templates. */
export {
  SYSTEM_DEPLOYER,
  deployedProcessIds,
  formVersion,
  formVersions,
  listForms,
  listProcesses,
  processVersion,
  processVersions,
  processXmlOfDefinition,
  recordDeployment,
  recordDeploymentIn,
  sha256,
  type Deployer,
  type FormSummary,
  type ProcessSummary,
  type RecordedDeployment,
  type VersionSummary,
} from './versions.js';
export { deleteDraft, readDraft, saveDraft, type DraftView } from './drafts.js';
export { deployProcess, engineRejection, type ProcessDeployOutcome } from './deploy-process.js';
export { FORM_ID_PATTERN, MAX_FORM_BYTES, checkFormDefinition, deployForm, type FormProblem } from './deploy-form.js';
export { diffProcessXml, type DiffElement, type ProcessDiff } from './diff.js';
export { ELEMENT_TEMPLATE_SCHEMA, elementTemplates, type ElementTemplate } from './element-templates.js';
export { MAX_XML_BYTES, PROCESS_ID_PATTERN, checkXmlInput, readBpmn, singleProcessOf, type BpmnSummary } from './xml-input.js';
export { DRG_ID_PATTERN, deployDecision } from './deploy-decision.js';
export {
  decisionFileVersion,
  decisionFileVersions,
  drgInfo,
  listDecisionFiles,
  recordDecisionsIn,
  type DecisionFileSummary,
  type DecisionVersionRow,
  type DrgInfo,
} from './decision-versions.js';
