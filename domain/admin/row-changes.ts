import { isDeepStrictEqual } from 'node:util';

/**
 * The values of `next` that differ from the stored row `current` (both as the table holds them: JSON as
 * its text). A registry update writes only these and stamps `updatedAt` only when there are any, as the
 * models' `save` did: an update that changes nothing writes nothing.
 */
export function changedValues<R extends object>(current: R, next: Partial<R>): Partial<R> {
  const out: Partial<R> = {};
  for (const key of Object.keys(next) as Array<keyof R>) {
    const value = next[key];
    if (value !== undefined && !isDeepStrictEqual(value, current[key])) out[key] = value;
  }
  return out;
}

export const hasChanges = (changes: object) => Object.keys(changes).length > 0;

/** JSON kept in a TEXT column (written as the models' JSON getters and setters wrote it). */
export const jsonText = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));
export const parseJson = <T>(text: string | null): T | null => (typeof text === 'string' ? (JSON.parse(text) as T) : null);
