/**
 * The one HTML shell of every page (web/shared/page-shell.html). A page folder holds no HTML of its own but
 * a `<name>.page.json` per page — `{ "title": "待办任务", "script": "main" }` — and the build writes
 * `<name>.html` from the shell: the title (with the platform's name), the page's hashed script and, when the
 * script imports CSS, its hashed stylesheet. So the head (charset, viewport, language, module script: what the
 * CSP allows) is written once.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHELL_FILE = join(root, 'web', 'shared', 'page-shell.html');
export const PAGE_SUFFIX = '.page.json';
const APP_NAME = '一网统管';

export interface PageSpec {
  /** the HTML file written: `index.page.json` → `index.html` */
  file: string;
  /** the browser tab's title before the script sets it in the user's language; none: the platform's name */
  title: string | null;
  /** the entry: `main` is main.ts beside it, loaded as ./main-<hash>.js */
  script: string;
}

const NAME = /^[A-Za-z0-9_-]+$/;

/** Reads and checks one `<name>.page.json`; `where` names it in the error. */
export function readPageSpec(path: string, where: string): PageSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${where}: not JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const spec = (raw ?? {}) as { title?: unknown; script?: unknown };
  const extra = Object.keys(spec).filter((k) => k !== 'title' && k !== 'script');
  if (typeof raw !== 'object' || Array.isArray(raw) || extra.length) throw new Error(`${where}: an object with "title" and "script" only`);
  if (typeof spec.script !== 'string' || !NAME.test(spec.script)) throw new Error(`${where}: "script" names the entry beside it, e.g. "main"`);
  if (spec.title !== undefined && (typeof spec.title !== 'string' || !spec.title.trim())) throw new Error(`${where}: "title" is a non-empty text`);
  const file = `${path.slice(path.lastIndexOf('/') + 1, -PAGE_SUFFIX.length)}.html`;
  return { file, title: spec.title ?? null, script: spec.script };
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The page's HTML: the shell with its title, script and (when its entry has CSS) stylesheet, file names as built. */
export function renderPage(spec: PageSpec, built: { js: string; css: string | null }, shell = readFileSync(SHELL_FILE, 'utf8')): string {
  const fill: Record<string, string> = {
    title: escapeHtml(spec.title ? `${spec.title} · ${APP_NAME}` : APP_NAME),
    script: escapeHtml(built.js),
    stylesheet: escapeHtml(built.css ?? ''),
  };
  return shell
    .split('\n')
    .filter((line) => built.css !== null || !line.includes('{{stylesheet}}'))
    .join('\n')
    .replace(/\{\{(\w+)\}\}/g, (m, name: string) => fill[name] ?? m);
}
