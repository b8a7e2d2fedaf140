/** 并单: duplicates of one problem, by type, distance and time; AI-camera repeats of one spot. */
export { DEFAULT_DEDUP, findDuplicate, type DedupOptions, type DuplicateMatch } from './find-duplicate.js';
export { boundingBox, haversineMetres } from './haversine.js';
