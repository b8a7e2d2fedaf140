/**
 * Chinese mode speaks Chinese everywhere: each role opens every page it may (the admin also the registry's
 * tabs, a task in the modeler with its properties panel, the form editor with a field selected and its
 * preview, an ajv refusal of a registry form, a task form's validation errors), and the rendered text
 * (innerText, title, placeholder, aria-label) may hold no Latin word outside the allow-list below: codes,
 * units and proper names. Identifiers (with digits, `_`, `.`, `-`, inner capitals: case-generic,
 * StartEvent_1, v3) are data, not wording, and are not counted; nor is what a page marks translate="no" (usernames,
 * codes) or the bpmn.io licence notice ("Powered by bpmn.io", which must stay as it is).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Cases, Grids } from '../support/tables.js';
import { JOB_TYPES, type JobTypeContract } from '../../processes/contract.js';
import { openTaskOf } from './support/fixtures.js';
import { settlePage as settle } from './support/settle-page.js';
import { openWebWorld, type WebWorld } from './support/web-world.js';

/** Codes, units and proper names a Chinese page may show as they are. */
const ALLOWED = new Set([
  // codes and standards
  'BPMN',
  'DMN',
  'FEEL',
  'ID',
  'URL',
  'CSV',
  'API',
  'JSON',
  'XML',
  'HTML',
  'SQL',
  'GPS',
  'SLA',
  'PDF',
  'PNG',
  'JPEG',
  'JPG',
  'WEBP',
  'HTTP',
  'HTTPS',
  'UTC',
  'GMT',
  'OK',
  'AI',
  'QR',
  'SSE',
  'IP',
  'JS',
  'SVG',
  'TF',
  'IDF',
  'CPU',
  'Markdown',
  'Tab',
  'Alt',
  'Ctrl',
  'Shift',
  'Enter',
  'Esc',
  'Unicode',
  'YYYY',
  'MM',
  'DD',
  'HH',
  'E',
  'N',
  'S',
  'W',
  // units
  'ms',
  's',
  'min',
  'h',
  'KB',
  'MB',
  'GB',
  'B',
  'km',
  'm',
  'px',
  'kg',
  // proper names
  'Camunda',
  'Zeebe',
  'bpmn',
  'io',
  'js',
  'English',
  'ECharts',
  'Modeler',
  'Mocha',
]);

const processesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'processes');

/**
 * The process contract's codes, which the modeler's element templates show beside their Chinese names: header
 * keys and values (`阶段 stage`, `已受理 accepted`) and the variables a worker reads and writes.
 */
const CONTRACT_CODES = new Set(
  (JOB_TYPES as readonly JobTypeContract[]).flatMap((j) => [
    ...j.headers.flatMap((h) => [h.key, ...(h.choices ?? []).map((c) => c.value)]),
    ...[...j.reads, ...j.writes].flatMap((v) => v.name.split(/[<>]/)),
  ]),
);

/** The shipped processes' element ids: the panel names an element `名称 (id)`. */
const ELEMENT_IDS = new Set(
  readdirSync(processesDir)
    .filter((f) => f.endsWith('.bpmn'))
    .flatMap((f) => [...readFileSync(join(processesDir, f), 'utf8').matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!)),
);

/** Code-like tokens: identifiers and data, not words (digits, separators, inner capitals). */
const CODE_LIKE = /[\d_.:/@#=-]|[a-z][A-Z]/;

/** The Latin words of a text that are not on the allow-list. */
export function latinWords(text: string): string[] {
  const words: string[] = [];
  for (const token of text.split(/[^A-Za-z0-9_.:/@#=-]+/)) {
    // a leading dot stays: `.form`, `.bpmn` are file types
    const word = token.replace(/^[:/@#=-]+|[.:/@#=-]+$/g, '');
    if (!/[A-Za-z]/.test(word) || CODE_LIKE.test(word) || ALLOWED.has(word) || CONTRACT_CODES.has(word) || ELEMENT_IDS.has(word)) continue;
    words.push(word);
  }
  return words;
}

interface Element {
  getAttribute(name: string): string | null;
}

/**
 * What the page shows: the visible text nodes, the title, and the title/placeholder/aria-label attributes of
 * visible elements. Data the page marks `translate="no"` (usernames, codes, ids) is not wording and is skipped.
 */
async function renderedText(page: Page): Promise<string[]> {
  return page.locator('body').evaluate((body) => {
    interface El {
      tagName: string;
      getAttribute(n: string): string | null;
      checkVisibility(): boolean;
      closest(s: string): El | null;
      parentElement: El | null;
    }
    interface Walker {
      nextNode(): { nodeValue: string | null; parentElement: El | null } | null;
    }
    const doc = (body as unknown as { ownerDocument: { title: string; createTreeWalker(root: unknown, what: number): Walker } }).ownerDocument;
    const parts = [doc.title];
    // no named functions in here: the test runner's transform would wrap them in a helper the page lacks
    const SKIP = '[translate=no], script, style, noscript, .bjs-powered-by, .fjs-powered-by';
    const walker = doc.createTreeWalker(body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      // an <option>'s text shows when its list opens
      const el = n.parentElement?.tagName === 'OPTION' ? n.parentElement.closest('select') : n.parentElement;
      if (n.nodeValue?.trim() && el && el.checkVisibility() && !el.closest(SKIP)) parts.push(n.nodeValue);
    }
    const all = (body as unknown as { querySelectorAll(s: string): ArrayLike<El> }).querySelectorAll('[title], [placeholder], [aria-label]');
    for (let i = 0; i < all.length; i++) {
      const el = all[i]!;
      if (!el.checkVisibility() || el.closest(SKIP)) continue;
      for (const a of ['title', 'placeholder', 'aria-label']) {
        const v = el.getAttribute(a);
        if (v) parts.push(v);
      }
    }
    return parts;
  });
}

/**
 * One element of each kind (its type with its event definition) across the shipped processes:
 * process id → the element ids to select there.
 */
function elementKinds(): Map<string, string[]> {
  const byProcess = new Map<string, string[]>();
  const seen = new Set<string>();
  const dir = processesDir;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.bpmn'))
    .sort()) {
    const xml = readFileSync(join(dir, file), 'utf8');
    const processId = /<bpmn:process id="([^"]+)"/.exec(xml)?.[1];
    if (!processId) continue;
    for (const m of xml.matchAll(/<bpmn:(\w+) id="([^"]+)"[^>]*?(\/?)>/g)) {
      const [tag, type, id, selfClosing] = m;
      if (!/Task$|Event$|Gateway$|^callActivity$|^subProcess$|^sequenceFlow$/.test(type!)) continue;
      // what the element holds (its event definition, its condition): up to its closing tag
      const start = m.index + tag.length;
      const inner = selfClosing ? '' : xml.slice(start, xml.indexOf(`</bpmn:${type}>`, start));
      const kind = `${type}:${/<bpmn:(\w+EventDefinition)/.exec(inner)?.[1] ?? ''}:${/conditionExpression/.test(inner) ? 'conditional' : ''}`;
      if (seen.has(kind)) continue;
      seen.add(kind);
      byProcess.set(processId, [...(byProcess.get(processId) ?? []), id!]);
    }
  }
  return byProcess;
}

describe('web: no English words in Chinese mode', function () {
  this.timeout(600_000);
  let web: WebWorld;
  /** page → the Latin words seen there */
  const found = new Map<string, Set<string>>();

  before(async () => {
    web = await openWebWorld();
  });
  after(() => web?.close());

  /** Each text with a Latin word, under the place it was seen. */
  const record = async (page: Page, where: string) => {
    for (const text of await renderedText(page)) {
      const words = latinWords(text);
      if (!words.length) continue;
      const set = found.get(where) ?? new Set<string>();
      set.add(`«${text.trim().replace(/\s+/g, ' ').slice(0, 160)}» (${words.join(' ')})`);
      found.set(where, set);
    }
  };
  const report = (prefix: string) => {
    const lines = [...found].filter(([w]) => w.startsWith(prefix)).map(([w, set]) => `${w}:\n  ${[...set].join('\n  ')}`);
    expect(lines, `Latin words in Chinese mode:\n${lines.join('\n')}`).to.deep.equal([]);
  };

  /** Waits until the page has drawn and loaded what it shows first (no loading line left). */

  const ROLES: Array<[string, string[]]> = [
    [
      'admin',
      [
        '/',
        '/hotline/',
        '/revisit/',
        '/assign/',
        '/tasks/',
        '/history/',
        '/screen/',
        '/admin/',
        '/operations/',
        '/modeler/',
        '/modeler/forms.html',
        '/modeler/decisions.html',
        '/report/',
      ],
    ],
    ['operator', ['/', '/hotline/', '/revisit/', '/tasks/', '/history/', '/screen/', '/admin/', '/report/']],
    ['clerk', ['/', '/tasks/', '/history/', '/screen/']],
    ['dept_leader', ['/', '/tasks/', '/history/', '/screen/']],
    ['gridworker', ['/', '/field/', '/tasks/', '/history/']],
    ['leader', ['/', '/assign/', '/tasks/', '/history/', '/screen/']],
    ['auditor', ['/', '/tasks/', '/history/', '/screen/', '/admin/', '/operations/', '/modeler/', '/modeler/forms.html']],
  ];

  it('given each role, when it opens every page it may, then no page shows an English word', async () => {
    const anonymous = await web.newPage();
    await anonymous.goto(web.url('/'));
    await settle(anonymous);
    await record(anonymous, 'pages anonymous /');
    await anonymous.goto(web.url('/report/'));
    await settle(anonymous);
    await record(anonymous, 'pages anonymous /report/');
    await anonymous.context().close();
    for (const [user, paths] of ROLES) {
      const page = await web.newPage();
      await web.login(page, user);
      for (const path of paths) {
        await page.goto(web.url(path));
        await settle(page);
        await record(page, `pages ${user} ${path}`);
      }
      await page.context().close();
    }
    report('pages ');
  });

  it('given the registry, when the admin opens each tab and a form the server refuses, then the tabs and the ajv messages are Chinese', async () => {
    const page = await web.newPage();
    await web.login(page, 'admin');
    await page.goto(web.url('/admin/#units'));
    await page.waitForSelector('table.records[data-resource=units]');
    const tabs = await page.locator('[data-tab]').evaluateAll((els) => els.map((e) => (e as unknown as Element).getAttribute('data-tab')!));
    for (const tab of tabs) {
      await page.click(`[data-tab="${tab}"]`);
      await settle(page);
      await record(page, `admin #${tab}`);
    }
    // an ajv refusal (pattern) and a missing field, each beside its field
    await page.goto(web.url('/admin/#units'));
    await page.waitForSelector('table.records[data-resource=units]');
    await page.click('[data-testid=new]');
    await page.fill('#f-code', 'bad code!');
    await page.click('[data-testid=save]');
    await page.waitForSelector('[data-error-for=code] span');
    await record(page, 'admin ajv refusal');
    report('admin ');
  });

  it('given the modeler, when the admin selects each kind of element of the shipped processes, then the properties panel, palette and lint speak Chinese', async () => {
    const page = await web.newPage();
    await web.login(page, 'admin');
    // opening another diagram may ask to drop the last one's unsaved alignment: yes
    page.on('dialog', (d) => void d.accept());
    await page.goto(web.url('/modeler/'));
    for (const [processId, ids] of elementKinds()) {
      await page.click(`li.process[data-process-id=${processId}] [data-testid=process-head]`);
      await page.click(`li.process[data-process-id=${processId}] li.version [data-testid=open-version]`);
      await page.waitForSelector(`[data-testid=editing-title]:has-text("${processId}")`);
      await page.waitForSelector('[data-testid=canvas] .djs-element[data-element-id]');
      await page.waitForSelector('[data-testid=lint-summary]:not([data-state=running]):not(:empty)');
      await record(page, `modeler ${processId}`);
      // the process itself (nothing selected), then one element of each kind, every group of the panel open
      for (const id of [null, ...ids]) {
        if (id) await page.locator(`[data-testid=canvas] .djs-element[data-element-id="${id}"] .djs-hit`).first().click({ force: true });
        await page.waitForSelector('.bio-properties-panel-header');
        for (const header of await page.locator('.bio-properties-panel-group-header:not(.open)').all()) await header.click().catch(() => undefined);
        await record(page, `modeler ${processId} ${id ?? '(process)'}`);
      }
    }
    // a new process; a task appended from a template through the context pad and its menus: lint problems
    await page.reload();
    await page.click('[data-testid=new-process]');
    await page.fill('[data-testid=new-process-id]', 'latin-words-demo');
    await page.fill('[data-testid=new-process-name]', '语言检查演示');
    await page.click('[data-testid=new-process-create]');
    await page.waitForSelector('[data-testid=canvas] [data-element-id=StartEvent_1]');
    await page.click('[data-testid=canvas] [data-element-id=StartEvent_1]');
    await page.locator('.djs-context-pad').first().waitFor();
    await record(page, 'modeler context pad');
    await page.click('.djs-context-pad [data-action=append]');
    await page.waitForSelector('.djs-popup');
    await record(page, 'modeler append menu');
    await page.click('.djs-popup .entry[data-id=append-templates]');
    await record(page, 'modeler template menu');
    await page.click('.djs-popup .entry[data-id="append.template-ywtg.worker.case-notify-reporter"]');
    await page.waitForSelector('.lint-problem');
    await page.waitForSelector('[data-testid=lint-summary]:not([data-state=running]):not(:empty)');
    for (const header of await page.locator('.bio-properties-panel-group-header:not(.open)').all()) await header.click().catch(() => undefined);
    await record(page, 'modeler lint and template task');
    report('modeler ');
  });

  it('given the form editor, when the admin opens a form, selects a field and previews it with a validation error, then everything is Chinese', async () => {
    const page = await web.newPage();
    await web.login(page, 'admin');
    await page.goto(web.url('/modeler/forms.html'));
    await page.click('li.process[data-form-id=case-accept] [data-testid=form-head]');
    await page.click('li.process[data-form-id=case-accept] li.version [data-testid=open-version]');
    await page.waitForSelector('[data-testid=form-editor] .fjs-editor-container .fjs-form-field');
    await settle(page);
    await record(page, 'forms editor');
    for (const field of await page.locator('[data-testid=form-editor] .fjs-editor-container .fjs-form-field').all()) {
      await field.click({ force: true });
      for (const header of await page.locator('.fjs-properties-panel .bio-properties-panel-group-header:not(.open)').all())
        await header.click().catch(() => undefined);
      await record(page, 'forms editor field');
    }
    await page.click('[data-testid=tab-preview]');
    await page.waitForSelector('[data-testid=form-preview] .fjs-form');
    await page.click('[data-testid=preview-submit]');
    await page.waitForSelector('[data-testid=form-preview] .fjs-form-field-error');
    await record(page, 'forms preview');
    report('forms ');
  });

  it('given the decision tables page, when the admin opens the shipped table and its requirements diagram, then the wording is Chinese', async () => {
    const page = await web.newPage();
    await web.login(page, 'admin');
    await page.goto(web.url('/modeler/decisions.html'));
    await page.click('li.process[data-drg-id="revisit-window-drg"] [data-testid=decision-head]');
    await page.click('li.process[data-drg-id="revisit-window-drg"] li.version [data-testid=open-version]');
    await page.waitForSelector('[data-testid=dmn-editor] td[data-row-id=rule_app]');
    await page.waitForSelector('[data-testid=lint-summary][data-state=clean]');
    await settle(page);
    await record(page, 'decisions table');
    await page.click('[data-testid=views] [data-view=drd]');
    await page.waitForSelector('[data-testid=dmn-editor] .djs-container');
    await settle(page);
    await record(page, 'decisions diagram');
    report('decisions ');
  });

  it('given an accept task, when the operator submits its form empty, then the validation errors are Chinese', async () => {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await web.api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '小区门口垃圾堆放多日无人清运', lat: grid.centroidLat, lng: grid.centroidLng, address: '西平街道龙华路 3 号' },
    });
    expect(filed.status).to.equal(201);
    const row = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    await openTaskOf(web.api, 'operator', row.id, ['accept']);
    const page = await web.newPage();
    await web.login(page, 'operator');
    await page.goto(web.url('/tasks/'));
    await page.click(`tr[data-case="${row.caseNo}"]`);
    await page.waitForSelector('[data-testid=task-form] .fjs-form');
    if (await page.locator('[data-testid=claim]').count()) {
      await page.click('[data-testid=claim]');
      await page.waitForSelector('[data-testid=unclaim]');
      await page.waitForSelector('[data-testid=task-form] .fjs-form');
    }
    await settle(page);
    await record(page, 'task form');
    await page.click('[data-testid=task-submit]');
    await page.waitForSelector('[data-testid=task-form] .fjs-form-field-error');
    await record(page, 'task form errors');
    report('task ');
  });
});
