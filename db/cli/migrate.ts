import { ConfigError, loadConfig } from '../../config/load.js';
import { startDatabase } from '../index.js';

/** `npm run migrate`: apply pending migrations and say which. */
try {
  const config = loadConfig();
  const db = await startDatabase(config.DATABASE_URL);
  console.log(db.appliedMigrations.length ? `applied: ${db.appliedMigrations.join(', ')}` : 'database is up to date');
  await db.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
