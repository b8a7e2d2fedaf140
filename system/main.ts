import { ConfigError, loadConfig } from '../config/load.js';
import { startSystem } from './start-system.js';

/** `npm start`: validate the configuration, start everything, print where to go and who to log in as. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const system = await startSystem(config);
  const lines = ['', `一网统管 is running at ${system.url}  (health: ${system.url}/api/health)`, `database: ${system.db.dialect}   engine: ${config.ENGINE}`];
  if (system.demo?.accounts.length) {
    lines.push(`demo accounts (password: ${config.DEMO_PASSWORD}):`);
    for (const a of system.demo.accounts) lines.push(`  ${a.username.padEnd(12)} ${a.role.padEnd(12)} ${a.displayName}${a.unit ? ` · ${a.unit}` : ''}`);
  }
  console.log(lines.join('\n') + '\n');
  const shutdown = (signal: string) => {
    system.log.info({ signal }, 'shutting down');
    system.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
