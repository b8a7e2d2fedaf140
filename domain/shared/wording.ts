/**
 * Messages with a key: a refusal names what is wrong by a stable `key` with its `params`, and carries the
 * English `message`; the API words it in the caller's language from the key (api/http/problem-messages.ts),
 * as it does ajv's keywords. Clients act on the key, people read the message.
 */
export type MessageParams = Record<string, string | number>;

/** A message in both languages; `{name}` stands for a parameter, `names` translates a parameter's values into Chinese. */
export interface Wording {
  en: string;
  zh: string;
  names?: Record<string, Record<string, string>>;
}

/** The template with its parameters filled in; an unknown `{name}` stays as written. */
export function fillIn(template: string, params: MessageParams = {}, names: Wording['names'] = {}): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => {
    const value = params[name];
    if (value === undefined) return all;
    return names[name]?.[String(value)] ?? String(value);
  });
}
