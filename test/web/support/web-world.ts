import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureWebBuilt } from '../../../web/build.js';
import { openApiWorld, PASSWORD, type ApiWorld } from '../../api/support/api-world.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RESULTS_DIR = join(root, 'test-results');

/** Debian's chromium, headless, with nothing phoning home. */
export const CHROMIUM = {
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export interface WebWorld {
  /** the API harness behind the pages: prepare data through it (`api.login`, `api.call`) */
  api: ApiWorld;
  browser: Browser;
  /** http://127.0.0.1:<port> */
  origin: string;
  url(path: string): string;
  /** a page in a fresh browser context (its own sessionStorage), with its errors collected */
  newPage(options?: { mobile?: boolean; geolocation?: { latitude: number; longitude: number } }): Promise<Page>;
  /** logs in through the home page's form and waits for the header to show the user */
  login(page: Page, username: string, password?: string): Promise<void>;
  /** test-results/<name>.png, the whole page */
  screenshot(page: Page, name: string): Promise<string>;
  /** the page errors and console errors seen so far on a page */
  errorsOf(page: Page): string[];
  /** fails with every page error and console error of the page (except those matching `allow`) */
  expectNoErrors(page: Page, allow?: RegExp[]): void;
  close(): Promise<void>;
}

/**
 * The real system for browser tests: dist/web built if a source changed, the API harness (SQLite demo
 * district, embedded engine, workers, inbox sync, uploads in a temp DATA_DIR) serving the pages, and
 * headless chromium.
 */
export async function openWebWorld(): Promise<WebWorld> {
  const built = await ensureWebBuilt({ ifStale: true });
  // another page that does not build (work in progress elsewhere) is reported, not fatal: its own test fails
  for (const f of built?.failed ?? []) console.warn(`web build: ${f.page} failed: ${f.error}`);
  // browser tests always run on a fresh SQLite file, whatever database the rest of the suite uses
  const saved = process.env['DATABASE_URL'];
  delete process.env['DATABASE_URL'];
  const dataDir = mkdtempSync(join(tmpdir(), 'ywtg-web-'));
  let api: ApiWorld;
  try {
    api = await openApiWorld({ dataDir });
  } finally {
    if (saved !== undefined) process.env['DATABASE_URL'] = saved;
  }
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM.executablePath, args: CHROMIUM.args, headless: true });
  } catch (err) {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const origin = api.base.replace(/\/api$/, '');
  const errors = new WeakMap<Page, string[]>();
  const world: WebWorld = {
    api,
    browser,
    origin,
    url: (path) => `${origin}${path}`,
    async newPage(options = {}) {
      const context = await browser.newContext({
        locale: 'zh-CN',
        viewport: options.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
        ...(options.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
        ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const seen: string[] = [];
      errors.set(page, seen);
      page.on('pageerror', (err) => seen.push(`page error: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') seen.push(`console error: ${msg.text()} (${msg.location().url})`);
      });
      return page;
    },
    async login(page, username, password = PASSWORD) {
      await page.goto(world.url('/'));
      await page.fill('#username', username);
      await page.fill('#password', password);
      await page.click('[data-testid=login-submit]');
      await page.waitForSelector('[data-testid=current-user]');
    },
    async screenshot(page, name) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      const path = join(RESULTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    errorsOf: (page) => [...(errors.get(page) ?? [])],
    expectNoErrors(page, allow = []) {
      const left = world.errorsOf(page).filter((e) => !allow.some((re) => re.test(e)));
      if (left.length) throw new Error(`the page reported errors:\n${left.join('\n')}`);
    },
    async close() {
      await browser.close().catch(() => undefined);
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}
