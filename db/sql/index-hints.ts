import {
  AliasNode,
  RawNode,
  SelectQueryNode,
  TableNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Dialect } from './values.js';

/**
 * `FORCE INDEX (index)` on the first table a SELECT reads from, on MySQL/MariaDB (SQLite takes no hint
 * and picks the index by itself: there the plugin does nothing). Written as `t AS t FORCE INDEX (…)`,
 * the order MySQL wants, and the table keeps its name, so the query's references and the conversion
 * of its values (column-kinds.ts) are unchanged. Use: `q.selectFrom('cases').withPlugin(forceIndex(d, 'x'))`.
 */
export function forceIndex(dialect: Dialect, index: string): KyselyPlugin {
  return dialect === 'sqlite' ? NO_HINT : new ForceIndex(index);
}

const quoted = (name: string) => `\`${name.replace(/`/g, '``')}\``;

const NO_HINT: KyselyPlugin = {
  transformQuery: ({ node }: PluginTransformQueryArgs): RootOperationNode => node,
  transformResult: async ({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => result,
};

class ForceIndex implements KyselyPlugin {
  constructor(private readonly index: string) {}

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (!SelectQueryNode.is(node) || !node.from?.froms.length) return node;
    const [first, ...rest] = node.from.froms;
    if (!first || !TableNode.is(first)) return node;
    const name = first.table.identifier.name;
    const hinted = AliasNode.create(first, RawNode.createWithSql(`${quoted(name)} FORCE INDEX (${quoted(this.index)})`));
    return { ...node, from: { ...node.from, froms: [hinted, ...rest] } } as SelectQueryNode;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}
