import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dependency rules of docs/architecture.md ("Folders", "Dependency rules"), checked on every import of
 * the product's code: which top-level folder may import which. An import the rules forbid fails here unless
 * it is one of the KNOWN exceptions below, each with the reason it is still there; an exception that no
 * longer occurs fails too, so the list only shrinks.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Folder = string;
/** folder → the folders it may import (its own always allowed). `system/` is the composition root. */
const MAY_IMPORT: Record<Folder, Folder[] | '*'> = {
  engine: [],
  processes: [],
  forms: [],
  config: [],
  port: ['engine', 'config'],
  db: ['config'],
  domain: ['db', 'port', 'config', 'processes'],
  workers: ['port', 'processes', 'domain'],
  api: ['domain', 'port', 'config', 'processes', 'db/vocabulary.ts'],
  system: '*',
  build: ['web'],
  web: ['modeler-ui', 'build'],
  'modeler-ui': ['web'],
};
/** Pages may share types with the server: a type-only import is erased from the bundle. */
const TYPE_ONLY_ALLOWED: Record<Folder, Folder[]> = { web: ['domain', 'api'], 'modeler-ui': ['domain', 'api'] };

/** file → imported path (both from the repository root) still allowed, and why. */
const KNOWN: Record<string, string> = {
  'domain/audit/audit-log.ts → engine/index.ts': 'group commit is shared with the engine; it belongs in a neutral package both import',
  'domain/history/retention.ts → engine/index.ts': "the embedded engine's prune options and result types; they belong in the port",
  'web/history/instances.ts → domain/history/highlights.ts':
    "the page computes a called instance's highlights exactly as the server does; a pure function with no imports",
  'api/app.ts → db/sql/index.ts': 'the type of the SQL handle the composition root hands the health check',
  'api/health/health-route.ts → db/sql/index.ts': 'type of the SQL handle the health check pings',
  'api/field/field-report-routes.ts → db/sql/current.ts': 'the field-report list query belongs in domain/field',
  'workers/case-record/handler.ts → db/sql/current.ts': 'the case-record update belongs in domain/cases',
  'db/import/importer.ts → domain/classify/labels.ts': 'the label vocabulary belongs in db/vocabulary.ts',
  'db/import/columns.ts → domain/calendar/duration.ts': 'the duration grammar the CSV columns accept; a leaf module',
  'db/sql/sqlite-driver.ts → engine/store/wal-durability.ts':
    "the application's SQLite commits become durable off the event loop as the engine's do; it belongs in a neutral package",
  'db/sql/sqlite-driver.ts → engine/activity-trace.ts':
    'slow statements show in the loop-stall trace; the trace is a diagnostics leaf that belongs in a neutral package',
  'db/demo/load-demo.ts → domain/auth/password.ts': 'demo accounts are hashed as real ones; the demo loader belongs in system/',
};

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: root, encoding: 'utf8' }).split('\n');
  return listed.filter((f) => f && !f.endsWith('.test.ts') && !f.endsWith('.d.ts') && !/^(test|bench)\//.test(f) && f.includes('/'));
}

function importsOf(file: string): Edge[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: Edge[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const m of text.matchAll(pattern)) {
    const spec = m[3] ?? m[4]!;
    const to = normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts');
    out.push({ from: file, to: relative('.', to), typeOnly: Boolean(m[2]) });
  }
  return out;
}

const top = (path: string) => path.split('/')[0]!;

function allowed(e: Edge): boolean {
  const from = top(e.from);
  const to = top(e.to);
  if (from === to) return true;
  const rule = MAY_IMPORT[from];
  if (rule === undefined) return false;
  if (rule === '*') return true;
  if (rule.includes(to) || rule.includes(e.to)) return true;
  return e.typeOnly && (TYPE_ONLY_ALLOWED[from] ?? []).includes(to);
}

describe('import direction (docs/architecture.md)', () => {
  const files = sourceFiles();
  const edges = files.flatMap(importsOf);

  it("given the product's sources, when read, then every file sits in a folder the rules name", () => {
    const unknown = [...new Set(files.map(top))].filter((f) => MAY_IMPORT[f] === undefined);
    expect(unknown).to.deep.equal([]);
  });

  it('given every import, when checked against the rules, then only the known exceptions break them', () => {
    const broken = [...new Set(edges.filter((e) => !allowed(e)).map((e) => `${e.from} → ${e.to}`))].sort();
    expect(
      broken.filter((b) => !(b in KNOWN)),
      'imports the rules forbid',
    ).to.deep.equal([]);
    expect(
      Object.keys(KNOWN)
        .filter((k) => !broken.includes(k))
        .sort(),
      'exceptions that no longer occur: remove them from KNOWN',
    ).to.deep.equal([]);
  });

  it('given the engine, when its imports are read, then it imports nothing outside engine/ but packages', () => {
    expect(edges.filter((e) => top(e.from) === 'engine' && top(e.to) !== 'engine')).to.deep.equal([]);
  });

  // the check itself: a forbidden import is seen, a type-only one from a page is not
  it('given made-up imports, when checked, then the rules tell them apart', () => {
    const cases: Array<[Edge, boolean]> = [
      [{ from: 'engine/x.ts', to: 'domain/y.ts', typeOnly: false }, false],
      [{ from: 'port/x.ts', to: 'domain/y.ts', typeOnly: false }, false],
      [{ from: 'api/x.ts', to: 'workers/y.ts', typeOnly: false }, false],
      [{ from: 'api/x.ts', to: 'db/sql/current.ts', typeOnly: false }, false],
      [{ from: 'api/x.ts', to: 'db/vocabulary.ts', typeOnly: false }, true],
      [{ from: 'domain/x.ts', to: 'db/sql/current.ts', typeOnly: false }, true],
      [{ from: 'web/x.ts', to: 'domain/y.ts', typeOnly: true }, true],
      [{ from: 'web/x.ts', to: 'domain/y.ts', typeOnly: false }, false],
      [{ from: 'system/x.ts', to: 'workers/y.ts', typeOnly: false }, true],
    ];
    for (const [edge, ok] of cases) expect(allowed(edge), `${edge.from} → ${edge.to}`).to.equal(ok);
    expect(importsOf('system/main.ts').map((e) => e.to)).to.include('system/start-system.ts');
  });
});
