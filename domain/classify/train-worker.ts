import { parentPort, workerData } from 'node:worker_threads';
import { FeatureExtractor } from './features.js';
import { trainModel } from './text-classifier.js';
import type { TrainInput, TrainOutput } from './train-off-thread.js';

/**
 * The worker's side of trainOffThread: segments every example, runs the k-fold evaluation and fits
 * the final model, then hands back the model serialized (the JSON stored in classify_models.state).
 */
const input = (workerData as { input: TrainInput }).input;
const features = new FeatureExtractor(input.catalogue, input.placeNames);
const { state, metrics } = trainModel(input.examples, features, input.catalogue, input.algorithm, input.folds);
const output: TrainOutput = { state: JSON.stringify(state), algorithm: state.algorithm, metrics };
parentPort!.postMessage(output);
