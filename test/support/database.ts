import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openSql, startDatabase, type Database } from '../../db/index.js';

/**
 * The database the suite runs on: `DATABASE_URL` when it is set (CI sets MariaDB's), else a
 * fresh SQLite file in a temp folder. MySQL runs start from an empty schema: every table dropped.
 */
export function testDatabaseUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (url && !url.startsWith('sqlite:')) return url;
  const dir = mkdtempSync(join(tmpdir(), 'ywtg-test-'));
  return `sqlite:${join(dir, 'test.sqlite')}`;
}

export function isMysql(url: string): boolean {
  return !url.startsWith('sqlite:');
}

/** Drops every table in the MySQL database of `url` (no-op for a new SQLite file). */
export async function emptyDatabase(url: string): Promise<void> {
  if (!isMysql(url)) return;
  const db = await openSql(url);
  try {
    // one pinned connection, so FOREIGN_KEY_CHECKS=0 applies to the drops
    await db.connection().execute(async (c) => {
      await sql`SET FOREIGN_KEY_CHECKS = 0`.execute(c);
      const { rows } = await sql<Record<string, string>>`SHOW TABLES`.execute(c);
      for (const row of rows) await sql.raw(`DROP TABLE IF EXISTS \`${Object.values(row)[0]}\``).execute(c);
      await sql`SET FOREIGN_KEY_CHECKS = 1`.execute(c);
    });
  } finally {
    await db.destroy();
  }
}

/** A migrated, empty database, bound as the application's. */
export async function freshDatabase(): Promise<Database & { url: string }> {
  const url = testDatabaseUrl();
  await emptyDatabase(url);
  const db = await startDatabase(url);
  const close = db.close;
  return {
    ...db,
    url,
    async close() {
      await close();
      if (!isMysql(url)) rmSync(join(url.slice('sqlite:'.length), '..'), { recursive: true, force: true });
    },
  };
}
