import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { query } from '../support/tables.js';
import { CamelCasePlugin, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, DummyDriver } from 'kysely';
import { schemaSource } from '../../db/sql/generate-schema.js';
import { COLUMN_KINDS, type Tables } from '../../db/sql/schema.js';
import { freshDatabase, isMysql } from '../support/database.js';

/** db/sql/schema.ts is generated from the migrations (`npm run db:schema`): these fail when it is behind. */
describe('application SQL schema (db/sql/schema.ts)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());

  const source = readFileSync(new URL('../../db/sql/schema.ts', import.meta.url), 'utf8');
  const declared = (table: string) => {
    const pascal = table.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
    const body = new RegExp(`export interface ${pascal}Table \\{([^}]*)\\}`).exec(source)?.[1];
    return body === undefined ? null : [...body.matchAll(/^\s+(\w+):/gm)].map((m) => m[1]!);
  };

  it('given the migrated database, when its tables and columns are listed, then schema.ts declares each of them (camelCase)', async () => {
    const columns = isMysql(db.url)
      ? await query<{ t: string; c: string }>('SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE()')
      : await query<{ t: string; c: string }>(
          "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        );
    const missing = columns.filter(
      ({ t, c }) => t !== 'schema_migrations' && !declared(t)?.includes(c.replace(/_([a-z0-9])/g, (_, x: string) => x.toUpperCase())),
    );
    expect(missing, 'run `npm run db:schema`').to.deep.equal([]);
  });

  it("given every declared column, when Kysely writes it in SQL, then the name is the table's own (camelCase maps back to snake_case)", () => {
    const q = new Kysely<Tables>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createQueryCompiler: () => new SqliteQueryCompiler(),
        createIntrospector: (k) => new SqliteIntrospector(k),
      },
      plugins: [new CamelCasePlugin()],
    });
    for (const [table, kinds] of Object.entries(COLUMN_KINDS)) {
      for (const column of Object.keys(kinds)) {
        const camel = column.replace(/_([a-z0-9])/g, (_, x: string) => x.toUpperCase());
        const compiled = q
          .selectFrom(table as keyof Tables)
          .select(camel as never)
          .compile();
        expect(compiled.sql).to.equal(`select "${column}" from "${table}"`);
      }
    }
  });

  it('given MariaDB, when the schema is generated afresh from the migrations, then it equals the file', async function () {
    if (!isMysql(db.url)) this.skip(); // generated from MySQL's information_schema (SQLite reports BIGINT keys as INTEGER)
    this.timeout(120_000);
    const server = db.url.replace(/\/[^/]*$/, '');
    expect(await schemaSource(server)).to.equal(source);
  });
});
