import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { configSchema } from '../config/schema.js';

describe('README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('given a newcomer, when they open the README, then the first commands are the install-and-start and the test command', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const commands = firstBlock
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(commands).to.deep.equal(['npm install && npm start', 'npm test']);
  });

  it('given the config schema, when the README is read, then every variable is documented with its default', () => {
    for (const [name, spec] of Object.entries(configSchema.properties)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, `README row for ${name}`).to.not.equal(undefined);
      const value = (spec as { default?: unknown }).default;
      // a variable without a default (e.g. the Camunda address, required only with ENGINE=camunda) shows "—"
      expect(row).to.contain(value === undefined ? ' | — | ' : `\`${String(value)}\``);
    }
  });
});
