/** Classification (分类) of free text onto the event-type catalogue: a trained model, keyword rules as fallback. */
export { KeywordClassifier, confidenceOf, normaliseText, type Classification, type ClassifierEntry } from './keyword-classifier.js';
export { findActiveEventType, loadCatalogueClassifier } from './catalogue-classifier.js';
export {
  classifyExamplesCsv,
  csvCell,
  examplesAfter,
  examplesPage,
  findExample,
  ImportError,
  importExamplesCsv,
  removeExample,
  type ClassifyExampleRow,
  type ExampleFilter,
} from './examples.js';
export { filesItself, type SmartClassification } from './smart-classifier.js';
export { listModels, recordCaseDecision, recordDecision, retrain, retrainIfNewDecisions, rollback, RollbackError, type ModelSummary } from './model-store.js';
export { NOT_DISPATCHABLE, isNotDispatchable } from './labels.js';
/** Below this a person decides the type in 受理 (CLASSIFY_MIN_CONFIDENCE). */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
