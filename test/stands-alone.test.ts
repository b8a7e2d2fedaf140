import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project stands on its own: no tracked file points a reader at documents a user of the project does not
 * have — a folder beside the repository (a relative path that climbs out of it), a research note, or an
 * absolute path on the machine it was built on. What those documents said lives in docs/.
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SELF = relative(ROOT, fileURLToPath(import.meta.url));

/** Where a text points outside the project, one line each (`file:line: what`). */
function pointersOutside(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    // a relative path that climbs above the repository root (../shared/… from README.md, ../../../x from port/camunda/)
    for (const m of line.matchAll(/(?:\.\.\/)+[\w.-]+/g)) {
      const target = resolve(ROOT, dirname(file), m[0]);
      if (relative(ROOT, target).startsWith('..')) found.push(`${at}: ${m[0]} is outside the project`);
    }
    for (const m of line.matchAll(/\bresearch\/[\w-]+\.md\b/g)) found.push(`${at}: ${m[0]} is a research note the project does not have`);
    for (const m of line.matchAll(/(?<![\w.~-])\/work\/[\w./-]*/g)) found.push(`${at}: ${m[0]} is a path on the build machine`);
  });
  return found;
}

function trackedTextFiles(): string[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  return files.filter((f) => f !== SELF && !/\.(png|jpe?g|gif|webp|ico|woff2?|ttf|sqlite|gz|zip)$/i.test(f));
}

describe('the project stands on its own', () => {
  it('given every tracked file, when read, then none points outside the project (a folder beside it, a research note, a build-machine path)', () => {
    const files = trackedTextFiles();
    expect(files.length, 'git ls-files found the project').to.be.greaterThan(100);
    const found: string[] = [];
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(resolve(ROOT, f), 'utf8');
      } catch {
        continue;
      } // deleted in the work tree
      if (text.includes('\0')) continue; // binary
      found.push(...pointersOutside(f, text));
    }
    expect(found).to.deep.equal([]);
  });

  it('given texts that point outside and texts that stay inside, when checked, then only the outside ones are reported', () => {
    const outside = pointersOutside(
      'port/camunda/x.ts',
      ['See ../../../shared/notes/zeebe.md §1.', 'after research/domain.md §2.5', 'as /work/shared/x recommends'].join('\n'),
    );
    expect(outside).to.have.length(3);
    const inside = pointersOutside(
      'domain/cases/x.ts',
      "import { DomainError } from '../shared/errors.js';\nsee ../../docs/domain.md and https://example.org/work/x",
    );
    expect(inside).to.deep.equal([]);
  });
});
