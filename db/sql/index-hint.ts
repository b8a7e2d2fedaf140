import { AliasNode, RawNode, TableNode } from 'kysely';
import type { Tables } from './schema.js';
import type { Dialect } from './values.js';

/**
 * `selectFrom(through(dialect, 'cases', 'cases_created_at_idx'))`: read `table` through `index` on
 * MySQL/MariaDB (`FROM cases AS cases FORCE INDEX (…)`); SQLite ignores hints and picks the index by
 * itself, so there it is the plain table. For the newest-first keyset pages, where InnoDB otherwise may
 * walk an index's equality part row by row (domain/shared/paging.ts, `through`). Kysely has no index
 * hints: the hint rides in the alias, so the query still names its table (and its columns convert).
 */
export function through<T extends keyof Tables & string>(dialect: Dialect, table: T, index: string): T {
  if (dialect === 'sqlite') return table;
  const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;
  const hinted = {
    table, alias: table,
    toOperationNode: () => AliasNode.create(TableNode.create(table), RawNode.createWithSql(`${quote(table)} FORCE INDEX (${quote(index)})`)),
  };
  return hinted as unknown as T; // selectFrom takes it as the aliased table it stands for
}
