import { appSql } from '../../db/sql/current.js';
import { ATTACHMENT_IDS_PATTERN, parseAttachmentIds, type FieldError } from '../forms/index.js';

interface FormComponent {
  key?: string;
  validate?: { pattern?: string };
  components?: FormComponent[];
}

/** The keys of a form's fields that carry attachment ids: the textfields with the attachment-ids pattern. */
export function attachmentFieldKeys(definition: unknown): string[] {
  const keys: string[] = [];
  const walk = (components: FormComponent[] | undefined) => {
    for (const c of components ?? []) {
      if (c.key && c.validate?.pattern === ATTACHMENT_IDS_PATTERN) keys.push(c.key);
      walk(c.components);
    }
  };
  walk((definition as FormComponent | null)?.components);
  return keys;
}

/**
 * Every attachment id a task form names must be an attachment of the task's own case: ids of another
 * case's photos (or of none) would put someone else's evidence in this case's record.
 */
export async function checkFormAttachments(definition: unknown, data: Record<string, unknown>, caseId: string | null): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const key of attachmentFieldKeys(definition)) {
    const value = data[key];
    if (typeof value !== 'string') continue; // type errors are the form validation's to report
    let ids: string[];
    try {
      ids = parseAttachmentIds(value);
    } catch {
      continue; // the pattern check reports it
    }
    if (!ids.length) continue;
    const found = caseId
      ? Number(
          (
            await appSql()
              .selectFrom('attachments')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('id', 'in', ids)
              .where('caseId', '=', caseId)
              .executeTakeFirstOrThrow()
          ).n,
        )
      : 0;
    if (found !== ids.length) errors.push({ field: key, code: 'attachment', message: '附件编号须为本案卷的附件' });
  }
  return errors;
}
