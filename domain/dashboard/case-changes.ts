import { EventEmitter } from 'node:events';
import { onCaseAudited } from '../audit/index.js';

/**
 * "Cases changed" for the live dashboard, debounced: a burst of changes (a worker run, an intake
 * burst) becomes one signal after things settle for DEBOUNCE_MS, or at most every MAX_WAIT_MS while
 * they keep coming, so every screen recomputes its summary a few times a second at most.
 */
export const DEBOUNCE_MS = 250;
export const MAX_WAIT_MS = 2000;

const emitter = new EventEmitter();
emitter.setMaxListeners(0);
let timer: NodeJS.Timeout | null = null;
let firstAt = 0;
let generation = 0;

function fire(): void {
  timer = null;
  generation++;
  emitter.emit('changed', generation);
}

/** Something about a case changed (called after commit). */
export function noteCaseChanged(): void {
  const now = Date.now();
  if (timer) {
    clearTimeout(timer);
    if (now - firstAt >= MAX_WAIT_MS) return fire();
  } else {
    firstAt = now;
  }
  timer = setTimeout(fire, DEBOUNCE_MS);
  timer.unref?.();
}

let hooked: (() => void) | null = null;

/** Listens for case changes; the first listener hooks the audit writer. Returns the unsubscribe function. */
export function onCasesChanged(listener: (generation: number) => void): () => void {
  hooked ??= onCaseAudited(noteCaseChanged);
  emitter.on('changed', listener);
  return () => void emitter.off('changed', listener);
}
