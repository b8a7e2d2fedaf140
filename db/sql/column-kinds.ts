import type { OperationNode, RootOperationNode, TableNode } from 'kysely';
import { AGREED_COLUMN_KINDS, COLUMN_KINDS, type ColumnKind } from './schema.js';

type Kinds = Readonly<Record<string, ColumnKind>>;

/**
 * Which columns of a query's answer to convert, by the tables the query names: its own table first
 * (its kinds win where a joined table has a column of the same name), then the joined ones. A query
 * written as raw SQL names no table to Kysely: it gets the columns every table that has them agrees on.
 */
const known = new WeakMap<RootOperationNode, Kinds>();

export function kindsOf(node: RootOperationNode): Kinds {
  let kinds = known.get(node);
  if (!kinds) known.set(node, (kinds = computeKinds(node)));
  return kinds;
}

function tableName(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'TableNode') return (node as TableNode).table.identifier.name;
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  return undefined;
}

function tablesOf(node: RootOperationNode): string[] {
  const n = node as unknown as Record<string, unknown>;
  const names: Array<string | undefined> = [];
  switch (node.kind) {
    case 'SelectQueryNode': {
      const from = n.from as { froms: OperationNode[] } | undefined;
      for (const f of from?.froms ?? []) names.push(tableName(f));
      break;
    }
    case 'InsertQueryNode':
      names.push(tableName(n.into as OperationNode));
      break;
    case 'UpdateQueryNode':
      names.push(tableName(n.table as OperationNode));
      break;
    case 'DeleteQueryNode': {
      const from = n.from as { froms: OperationNode[] } | undefined;
      for (const f of from?.froms ?? []) names.push(tableName(f));
      break;
    }
    default:
      return [];
  }
  for (const join of (n.joins as Array<{ table: OperationNode }> | undefined) ?? []) names.push(tableName(join.table));
  return names.filter((t): t is string => t !== undefined);
}

function computeKinds(node: RootOperationNode): Kinds {
  const tables = tablesOf(node);
  if (!tables.length) return AGREED_COLUMN_KINDS;
  const kinds: Record<string, ColumnKind> = {};
  for (const table of [...tables].reverse()) Object.assign(kinds, COLUMN_KINDS[table]);
  return kinds;
}
