import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPageSpec, renderPage, SHELL_FILE } from '../../build/page-shell.js';
import { distDir, ensureWebBuilt, findPages, specOf } from '../../web/build.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shell's head with the page's parts taken out: what every built page must carry word for word. */
const headOf = (html: string) =>
  /<head>[\s\S]*<\/head>/
    .exec(html)![0]
    .replace(/<title>[^<]*<\/title>/, '<title></title>')
    .replace(/\s*<link rel="stylesheet"[^>]*>/, '')
    .replace(/src="\.\/[^"]+"/, 'src=""');

describe('web: one HTML shell for every page (build/page-shell.ts)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'page-shell-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const spec = (name: string, text: string) => {
    const path = join(dir, `${name}.page.json`);
    writeFileSync(path, text);
    return () => readPageSpec(path, name);
  };

  it('given a page spec, when rendered, then the shell carries its title, hashed script and stylesheet, the title escaped', () => {
    const page = spec('index', '{ "title": "待办 <任务>", "script": "main" }')();
    expect(page).to.deep.equal({ file: 'index.html', title: '待办 <任务>', script: 'main' });
    const html = renderPage(page, { js: 'main-ABCD1234.js', css: 'main-EFGH5678.css' });
    expect(html).to.contain('<title>待办 &lt;任务&gt; · 一网统管</title>');
    expect(html).to.contain('<script type="module" src="./main-ABCD1234.js"></script>');
    expect(html).to.contain('<link rel="stylesheet" href="./main-EFGH5678.css">');
    expect(html).not.to.contain('{{');
  });

  it('given a page without title or CSS, when rendered, then the tab reads the platform name and no stylesheet is linked', () => {
    const html = renderPage(spec('forms', '{ "script": "forms" }')(), { js: 'forms-ABCD1234.js', css: null });
    expect(html).to.contain('<title>一网统管</title>');
    expect(html).not.to.contain('stylesheet');
    expect(html).to.contain('src="./forms-ABCD1234.js"');
  });

  it('given a broken page spec, when read, then the build is told which file and what is wrong', () => {
    expect(spec('a', '{ "title": "x" }')).to.throw(/a: "script" names the entry/);
    expect(spec('b', '{ "script": "../main" }')).to.throw(/b: "script"/);
    expect(spec('c', '{ "script": "main", "style": "x.css" }')).to.throw(/c: an object with "title" and "script" only/);
    expect(spec('d', '{ "script": "main", "title": "" }')).to.throw(/d: "title" is a non-empty text/);
    expect(spec('e', '<html>')).to.throw(/e: not JSON/);
  });

  it('given the page folders, then none keeps an HTML file of its own: every page is the shell', () => {
    const html = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'web/*.html', 'modeler-ui/*.html'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f && existsSync(join(root, f)));
    expect(html).to.deep.equal(['web/shared/page-shell.html']);
  });

  it("given the build, when every page's HTML is read, then each has the shell's head with its own title, script and stylesheet", async () => {
    await ensureWebBuilt({ ifStale: true });
    const shellHead = headOf(readFileSync(SHELL_FILE, 'utf8'));
    const pages = findPages().flatMap((page) => page.html.map((file) => ({ page, file })));
    expect(pages.length).to.be.greaterThan(10);
    for (const { page, file } of pages) {
      const where = `${page.outDir}/${file}`;
      const built = readFileSync(join(distDir, page.outDir, file), 'utf8');
      expect(headOf(built), where).to.equal(shellHead);
      const { title, script } = readPageSpec(specOf(page, file), where);
      expect(built, where).to.contain(`<title>${title ? `${title} · ` : ''}一网统管</title>`);
      expect(built, where).to.match(new RegExp(`<script type="module" src="\\./${script}-[A-Z0-9]{8}\\.js"></script>`));
      for (const css of [...built.matchAll(/<link rel="stylesheet" href="\.\/([^"]+)">/g)].map((m) => m[1]!))
        expect(() => readFileSync(join(distDir, page.outDir, css)), `${where}: ${css}`).not.to.throw();
    }
  });
});
