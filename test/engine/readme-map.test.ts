import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const engineDir = new URL('../../engine/', import.meta.url).pathname;
const readme = readFileSync(join(engineDir, 'README.md'), 'utf8');
const mapSection = readme.slice(readme.indexOf('## Where things are'), readme.indexOf('## Durability model'));

describe('engine / README map: behaviour → file', () => {
  it('given the map in engine/README.md, when each file it names is looked up, then it exists', () => {
    const named = [...mapSection.matchAll(/`((?:behaviours|runtime|commands|store|model|feel)\/[a-z-]+\.ts|[a-z-]+\.ts)`/g)].map((m) => m[1]!);
    expect(named.length).to.be.greaterThan(40);
    const missing = named.filter((f) => !existsSync(join(engineDir, f)) && !existsSync(join(engineDir, 'runtime', f)));
    expect(missing).to.deep.equal([]);
  });

  it('given the behaviour, runtime and command modules, when the map is read, then each of them is in it', () => {
    const modules = ['behaviours', 'runtime', 'commands'].flatMap((dir) =>
      readdirSync(join(engineDir, dir))
        .filter((f) => f.endsWith('.ts') && f !== 'context.ts' && f !== 'rows.ts')
        .map((f) => `${dir}/${f}`),
    );
    const unmapped = modules.filter((m) => !mapSection.includes(`\`${m}\``) && !mapSection.includes(`\`${m.split('/')[1]}\``));
    expect(unmapped).to.deep.equal([]);
  });
});
