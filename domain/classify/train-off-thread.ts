import { Worker } from 'node:worker_threads';
import type { ClassifierEntry } from './keyword-classifier.js';
import type { Algorithm, LabelledText, ModelMetrics } from './text-classifier.js';

export interface TrainInput {
  examples: LabelledText[];
  catalogue: ClassifierEntry[];
  placeNames: string[];
  algorithm: Algorithm;
  folds?: number;
}

export interface TrainOutput {
  /** the trained model as JSON (ModelState), as classify_models.state stores it */
  state: string;
  algorithm: Algorithm;
  metrics: ModelMetrics;
}

/**
 * Trains (k-fold evaluation and the final fit) in a worker thread. Segmenting ~2,000 reports and
 * fitting five folds is 1–2 s of CPU: on the main thread it would hold intake, the job workers and the
 * engine's timers that long. The worker gets the examples and gives back the serialized model; the
 * caller only waits. Each call has its own worker, ended when it answers.
 */
export function trainOffThread(input: TrainInput): Promise<TrainOutput> {
  return new Promise((resolve, reject) => {
    // compiled (npm start runs dist/server/…/*.js): the worker's own .js starts as it is; under tsx (tests,
    // CLIs) a boot file registers tsx's loader in the worker first
    const compiled = import.meta.url.endsWith('.js');
    const worker = compiled
      ? new Worker(new URL('./train-worker.js', import.meta.url), { workerData: { input } })
      : new Worker(new URL('./train-worker-boot.mjs', import.meta.url), {
          workerData: { entry: new URL('./train-worker.ts', import.meta.url).href, input },
        });
    let answered = false;
    worker.once('message', (output: TrainOutput) => {
      answered = true;
      resolve(output);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      answered = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the training worker stopped (exit code ${code}) without a model`));
    });
  });
}
