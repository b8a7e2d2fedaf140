import { COUNT_CAP, MAX_OFFSET } from '../../domain/shared/paging.js';

/**
 * The keyset paging contract in JSON Schema, shared by the list routes (ajv) and the OpenAPI document.
 * A malformed `after` passes the schema on purpose: the domain decodes it and answers 400 `bad_cursor`,
 * one code for every way a cursor can be wrong.
 */
type Schema = Record<string, unknown>;

export const afterParam: Schema = {
  type: 'string',
  description: 'opaque cursor: the page after the row it names — pass `next` of the previous answer. A malformed one is 400 `bad_cursor`.',
};

export const keysetPageSize = (defaultSize: number, max = 200): Schema => ({
  type: 'integer',
  minimum: 1,
  maximum: max,
  default: defaultSize,
  description: `rows per page (default ${defaultSize}, at most ${max})`,
});

/** Offset paging parameters kept for compatibility: refused with `after`, and past MAX_OFFSET rows. */
export const offsetNote = `compatibility paging: only within the first ${MAX_OFFSET} rows (offset + page size), else 400 \`page_too_deep\`; not together with \`after\``;

/** The paging fields of a list answer, besides its items. */
export const pagingFields: Record<string, Schema> = {
  next: {
    type: 'string',
    nullable: true,
    description: 'cursor of the following page (send it as `after`); null on the last page. A page may hold fewer rows than asked while `next` is not null',
  },
  total: { type: 'integer', description: `first pages only (no \`after\`): the number of matching rows, counted up to ${COUNT_CAP}` },
  totalCapped: {
    type: 'boolean',
    description: `first pages only: true when \`total\` is a lower bound (more than ${COUNT_CAP} rows, or too many to count) — at least \`total\` rows match`,
  },
};

export const pagingErrors = '400: invalid filter (`invalid_input`), malformed cursor (`bad_cursor`), offset paging too deep (`page_too_deep`)';
