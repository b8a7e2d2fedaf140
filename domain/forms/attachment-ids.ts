/**
 * Photos on the case forms are lists of attachment ids typed into a textfield (form-js 1.x core has
 * no upload component): the task page uploads the file (`attachments` row) and writes its id.
 * The same pattern is in every photo field's `validate.pattern` in `forms/*.form`.
 */
export const ATTACHMENT_IDS_PATTERN = '^\\s*(\\d{1,19}(\\s*[,，]\\s*\\d{1,19})*)?\\s*$';

const PATTERN = new RegExp(ATTACHMENT_IDS_PATTERN, 'u');

/** `"101, 102，103"` → `['101', '102', '103']` (BIGINT ids as strings, duplicates dropped, order kept); `''`/null → `[]`. */
export function parseAttachmentIds(text: string | null | undefined): string[] {
  if (text === null || text === undefined) return [];
  if (!PATTERN.test(text)) throw new Error(`not a list of attachment ids: ${JSON.stringify(text)}`);
  const ids = text
    .split(/[,，]/u)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.replace(/^0+(?=\d)/u, ''));
  return [...new Set(ids)];
}
