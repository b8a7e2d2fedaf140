import { ConfigError, loadConfig } from '../../config/load.js';
import { startDatabase } from '../index.js';
import { ROLLUP_TABLES, rebuildRollups } from '../rollups/index.js';

/**
 * `npm run rollups:rebuild`: recomputes the case rollups (dashboard, trends, hotspots, evaluation) from
 * the cases and recreates the triggers that keep them current. Safe while the server runs; needed only
 * after writing `cases` behind the triggers' back (e.g. restoring a table from a dump).
 */
try {
  const config = loadConfig();
  const db = await startDatabase(config.DATABASE_URL);
  const { ms } = await rebuildRollups(db.sql, config.CALENDAR_UTC_OFFSET_MINUTES);
  const counts: Record<string, number> = {};
  for (const table of ROLLUP_TABLES) {
    const row = await db.sql
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    counts[table] = Number(row?.n ?? 0);
  }
  console.log(
    `rollups rebuilt in ${ms} ms at UTC${config.CALENDAR_UTC_OFFSET_MINUTES >= 0 ? '+' : ''}${config.CALENDAR_UTC_OFFSET_MINUTES / 60} h: ${JSON.stringify(counts)}`,
  );
  await db.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
