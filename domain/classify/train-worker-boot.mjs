// Starts a TypeScript worker module under tsx, the way this project runs (`tsx …`, `node --import tsx`):
// Node loads a worker's entry file before any --import hook of the parent is registered in the worker,
// so the .ts entry is imported here, after registering tsx's loader.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
