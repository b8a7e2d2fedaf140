import { Op, Sequelize, type WhereOptions } from 'sequelize';

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
 * `?q` as a case-insensitive substring of any of the columns. INSTR rather than LIKE: the text is
 * taken literally (a `%` or `_` in q matches itself) the same way on SQLite and MySQL.
 */
export function textFilter(q: string | undefined, columns: string[]): WhereOptions | null {
  const needle = q?.trim().toLowerCase();
  if (!needle) return null;
  return { [Op.or]: columns.map((c) => Sequelize.where(Sequelize.fn('instr', Sequelize.fn('lower', Sequelize.col(c)), needle), Op.gt, 0)) };
}

/** AND of the filters that apply. */
export function allOf(...filters: Array<WhereOptions | null | undefined>): WhereOptions {
  const used = filters.filter((f): f is WhereOptions => !!f);
  return used.length === 0 ? {} : used.length === 1 ? used[0]! : { [Op.and]: used };
}
