import { sql, type Expression, type SqlBool } from 'kysely';

export interface PageQuery {
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 50;

/** limit/offset of a 1-based page. */
export function pageWindow(query: PageQuery): { page: number; pageSize: number; limit: number; offset: number } {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

/**
 * `?q` as a case-insensitive substring of any of the columns (camelCase names). INSTR rather than LIKE:
 * the text is taken literally (a `%` or `_` in q matches itself) the same way on SQLite and MySQL.
 */
export function textFilter(q: string | undefined, columns: string[]): Expression<SqlBool> | null {
  const needle = q?.trim().toLowerCase();
  if (!needle) return null;
  return sql<SqlBool>`(${sql.join(
    columns.map((c) => sql`instr(lower(${sql.ref(c)}), ${needle}) > 0`),
    sql` or `,
  )})`;
}
