/**
 * Keyed refusals in the caller's language. The domain names each problem by a key (`registry.unknown_unit`,
 * `engine.timer_without_time` …) with its parameters and an English message; a Chinese caller gets the
 * Chinese sentence of the key, as ajv-messages.ts does for ajv's keywords. The key and parameters stay in the
 * answer for clients to act on; a problem without a known key keeps its message as it is.
 */
import { REGISTRY_MESSAGES } from '../../domain/admin/registry-messages.js';
import { FORM_MESSAGES } from '../../domain/forms/form-messages.js';
import { ENGINE_MESSAGES_ZH, LINT_MESSAGES } from '../../domain/lint/engine-messages.js';
import { fillIn, type MessageParams, type Wording } from '../../domain/shared/wording.js';

interface Keyed {
  key?: unknown;
  params?: MessageParams;
  message?: unknown;
}

const CATALOGUES: Record<string, Record<string, Pick<Wording, 'zh' | 'names'>>> = {
  registry: REGISTRY_MESSAGES,
  engine: ENGINE_MESSAGES_ZH,
  lint: LINT_MESSAGES,
  form: FORM_MESSAGES,
};

/** The Chinese of a keyed problem, or null when its key is not known. */
export function problemZh(problem: Keyed): string | null {
  if (typeof problem.key !== 'string') return null;
  const dot = problem.key.indexOf('.');
  const wording = CATALOGUES[problem.key.slice(0, dot)]?.[problem.key.slice(dot + 1)];
  return wording ? fillIn(wording.zh, problem.params, wording.names) : null;
}

/** Problems with their messages in the caller's language (English: as the domain wrote them). */
export function wordProblems<T extends Keyed>(problems: T[], english: boolean): T[] {
  return english ? problems : problems.map((p) => ({ ...p, message: problemZh(p) ?? p.message }));
}

/** An error's details with its `errors` and `problems` lists worded for the caller. */
export function wordDetails(details: unknown, english: boolean): unknown {
  if (english || typeof details !== 'object' || details === null) return details;
  const d = details as { errors?: unknown; problems?: unknown };
  const worded = (list: unknown) => (Array.isArray(list) ? wordProblems(list as Keyed[], false) : list);
  return { ...d, ...(d.errors !== undefined ? { errors: worded(d.errors) } : {}), ...(d.problems !== undefined ? { problems: worded(d.problems) } : {}) };
}
