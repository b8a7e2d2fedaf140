import type { Expression, ExpressionBuilder, Selectable, SqlBool } from 'kysely';
import type { Tables } from '../../db/sql/index.js';
import type { CasesTable } from '../../db/sql/schema.js';

export type CasesEb = ExpressionBuilder<Tables, 'cases'>;

/**
 * A condition on `cases` for the case search: an object of column values (each column equal to its
 * value, null meaning IS NULL; `{}` is no condition), or one built with Kysely's expression builder.
 */
export type CaseCondition = ((eb: CasesEb) => Expression<SqlBool>) | { readonly [K in keyof Selectable<CasesTable>]?: Selectable<CasesTable>[K] };

/** AND of the conditions that apply, as one expression (`1 = 1` when none does). */
export function caseWhere(eb: CasesEb, ...conditions: Array<CaseCondition | null | undefined>): Expression<SqlBool> {
  const terms: Array<Expression<SqlBool>> = [];
  for (const c of conditions) {
    if (!c) continue;
    if (typeof c === 'function') {
      terms.push(c(eb));
      continue;
    }
    for (const [column, value] of Object.entries(c)) {
      if (value === undefined) continue;
      terms.push(value === null ? eb(column as keyof CasesTable, 'is', null) : eb(column as keyof CasesTable, '=', value as never));
    }
  }
  return terms.length === 1 ? terms[0]! : eb.and(terms);
}

/** The conditions together, as one condition. */
export const allCaseConditions =
  (...conditions: Array<CaseCondition | null | undefined>): CaseCondition =>
  (eb) =>
    caseWhere(eb, ...conditions);
