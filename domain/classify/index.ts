/** Classification (分类) of free text onto the event-type catalogue by its keywords. */
export { KeywordClassifier, confidenceOf, normaliseText, type Classification, type ClassifierEntry } from './keyword-classifier.js';
export { findActiveEventType, loadCatalogueClassifier } from './catalogue-classifier.js';
/** Below this a person decides the type in 受理. */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
