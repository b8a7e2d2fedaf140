/**
 * The whole system in a process of its own, for tests that kill it: configured from the environment
 * like `npm start`, prints `READY <url>` once it listens.
 */
import { loadConfig } from '../../../config/load.js';
import { startSystem } from '../../../system/start-system.js';

const system = await startSystem(loadConfig());
process.stdout.write(`READY ${system.url}\n`);
