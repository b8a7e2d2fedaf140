/** npm run bench -- <engine|timers>: runs one benchmark in a child node with the flags it needs. */
import { spawnSync } from 'node:child_process';

const scripts: Record<string, string> = { engine: 'bench:engine', timers: 'bench:timers', api: 'bench:api', scale: 'bench:scale' };
const name = process.argv[2] ?? '';
const script = scripts[name];
if (!script) {
  console.error(`usage: npm run bench -- <${Object.keys(scripts).join('|')}>`);
  process.exit(2);
}
const r = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' });
process.exit(r.status ?? 1);
