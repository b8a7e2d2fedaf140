import { openApiWorld } from './test/api/support/api-world.js';
import { databaseDigest, tableNames } from './test/api/support/database-checksum.js';
it('probe', async function () {
  this.timeout(120000);
  const api = await openApiWorld();
  const sq = api.world.db.sequelize;
  console.log(sq.getDialect(), (sq as any).options.storage);
  const tables = await tableNames(sq);
  const times: Array<[string, number]> = [];
  for (const t of tables) { const s = process.hrtime.bigint(); await databaseDigest(sq, [t]); times.push([t, Number(process.hrtime.bigint() - s) / 1e6]); }
  console.log(times.sort((a, b) => b[1] - a[1]).slice(0, 8));
  await api.close();
});
