import { basename } from 'node:path';
import { isNotDispatchable } from '../../domain/classify/labels.js';
import type { Sql, Tables } from '../sql/index.js';
import { tableWritten } from '../sql/table-writes.js';
import { readCsv, type CsvRow, type ImportProblem } from './csv-file.js';
import {
  CLASSIFY_EXAMPLE_COLUMNS,
  EVENT_TYPE_COLUMNS,
  GRID_COLUMNS,
  ITEM_COLUMNS,
  UNIT_COLUMNS,
  parseExtraStages,
  parsePolygon,
  type ColumnSpec,
} from './columns.js';

export type { ImportProblem };

/** Paths of the files to import; any subset, imported in the order units → grids → event types → items. */
export interface ImportFiles {
  units?: string;
  grids?: string;
  eventTypes?: string;
  items?: string;
  /** labelled reports for the classifier (classify_examples.csv), imported last */
  classifyExamples?: string;
}

export interface ImportSummary {
  units: { created: number; updated: number };
  grids: { created: number; updated: number };
  eventTypes: { created: number; updated: number };
  items: { created: number; updated: number };
  classifyExamples: { created: number; updated: number };
}

export class ImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    const shown = problems.slice(0, 50).map((p) => `${p.file} row ${p.row}${p.column ? ` column ${p.column}` : ''}: ${p.message}`);
    const more = problems.length > 50 ? `\n  … and ${problems.length - 50} more` : '';
    super(`import refused, nothing was imported (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${shown.join('\n  ')}${more}`);
    this.name = 'ImportError';
  }
}

interface Parsed {
  label: string;
  rows: CsvRow[];
}

/** Reads one file and checks each cell against its column spec and codes for uniqueness. */
function parseFile(path: string | undefined, specs: ColumnSpec[], problems: ImportProblem[]): Parsed | null {
  if (!path) return null;
  const label = basename(path);
  const rows = readCsv(
    path,
    label,
    specs.map((s) => s.name),
    problems,
  );
  const seen = new Map<string, number>();
  for (const { row, values } of rows) {
    for (const spec of specs) {
      const value = values[spec.name] ?? '';
      if (value === '') {
        if (spec.required) problems.push({ file: label, row, column: spec.name, message: 'is required' });
        continue;
      }
      const message = spec.check?.(value);
      if (message) problems.push({ file: label, row, column: spec.name, message: `${JSON.stringify(value)} ${message}` });
    }
    const code = values['code'] ?? '';
    if (code && seen.has(code)) {
      problems.push({ file: label, row, column: 'code', message: `duplicate code ${code} (first on row ${seen.get(code)})` });
    } else if (code) seen.set(code, row);
  }
  return { label, rows };
}

/** Code → kind and parent for every unit the import can refer to: the database's, overlaid by the file's. */
async function knownUnits(units: Parsed | null, db: Sql): Promise<Map<string, { kind: string; parent: string | null }>> {
  const known = new Map<string, { kind: string; parent: string | null }>();
  const rows = await db.selectFrom('units as u').leftJoin('units as p', 'p.id', 'u.parentId').select(['u.code', 'u.kind', 'p.code as parentCode']).execute();
  for (const u of rows) known.set(u.code, { kind: u.kind, parent: u.parentCode ?? null });
  for (const { values } of units?.rows ?? []) known.set(values['code']!, { kind: values['kind']!, parent: values['parent_code'] || null });
  return known;
}

function checkReferences(
  files: { units: Parsed | null; grids: Parsed | null; eventTypes: Parsed | null; items: Parsed | null; classifyExamples: Parsed | null },
  units: Map<string, { kind: string; parent: string | null }>,
  eventTypeCodes: Set<string>,
  problems: ImportProblem[],
): void {
  const refer = (p: Parsed, row: number, column: string, value: string, ok: boolean, what: string) => {
    if (value && !ok) problems.push({ file: p.label, row, column, message: `${value} is not ${what}` });
  };
  const unitExists = (c: string) => units.has(c);
  if (files.units) {
    for (const { row, values } of files.units.rows) {
      const parent = values['parent_code'] ?? '';
      refer(files.units, row, 'parent_code', parent, unitExists(parent) && parent !== values['code'], 'another known unit');
      if (values['kind'] === 'community') {
        refer(files.units, row, 'parent_code', parent || '(empty)', units.get(parent)?.kind === 'township', 'a township (a community belongs to one)');
      }
    }
  }
  if (files.grids) {
    for (const { row, values } of files.grids.rows) {
      const township = values['township_code'] ?? '';
      const community = values['community_code'] ?? '';
      refer(files.grids, row, 'township_code', township, units.get(township)?.kind === 'township', 'a known township');
      refer(
        files.grids,
        row,
        'community_code',
        community,
        units.get(community)?.kind === 'community' && units.get(community)?.parent === township,
        `a known community of ${township}`,
      );
    }
  }
  if (files.eventTypes) {
    for (const { row, values } of files.eventTypes.rows) {
      refer(files.eventTypes, row, 'owner_unit_code', values['owner_unit_code'] ?? '', unitExists(values['owner_unit_code'] ?? ''), 'a known unit');
    }
  }
  if (files.items) {
    for (const { row, values } of files.items.rows) {
      const et = values['event_type_code'] ?? '';
      refer(files.items, row, 'event_type_code', et, eventTypeCodes.has(et), 'a known event type');
      refer(
        files.items,
        row,
        'responsible_unit_code',
        values['responsible_unit_code'] ?? '',
        unitExists(values['responsible_unit_code'] ?? ''),
        'a known unit',
      );
      for (const c of (values['assisting_unit_codes'] ?? '')
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean)) {
        refer(files.items, row, 'assisting_unit_codes', c, unitExists(c), 'a known unit');
      }
    }
  }
  if (files.classifyExamples) {
    for (const { row, values } of files.classifyExamples.rows) {
      const label = values['label'] ?? '';
      refer(
        files.classifyExamples,
        row,
        'label',
        label,
        eventTypeCodes.has(label) || isNotDispatchable(label),
        'a known event type or NONE-CONSULT, NONE-PRAISE, NONE-VAGUE, NONE-SPAM',
      );
    }
  }
}

type CodedTable = 'units' | 'grids' | 'event_types' | 'governance_items' | 'classify_examples';

/** a value as its column keeps it: lists and objects as JSON text, as the readers parse them */
const stored = (v: unknown) => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v);
const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/**
 * Creates rows whose code is new and updates the others where a value differs; returns the counts. The
 * tables' in-memory copies (grids, the catalogue) hear of the change (db/sql/table-writes.ts).
 */
async function upsertByCode(
  db: Sql,
  table: CodedTable,
  records: Array<Record<string, unknown> & { code: string }>,
): Promise<{ created: number; updated: number }> {
  const existing = new Map<string, Record<string, unknown>>();
  for (const row of await db.selectFrom(table).selectAll().execute()) existing.set(String(row.code), row as Record<string, unknown>);
  const now = new Date();
  const fresh = records
    .filter((r) => !existing.has(r.code))
    .map((r) => ({ ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, stored(v)])), createdAt: now, updatedAt: now }));
  for (let from = 0; from < fresh.length; from += 200) {
    await db
      .insertInto(table)
      .values(fresh.slice(from, from + 200) as never)
      .execute();
  }
  let updated = 0;
  for (const r of records) {
    const before = existing.get(r.code);
    if (!before) continue;
    const changed = Object.fromEntries(
      Object.entries(r)
        .map(([k, v]) => [k, stored(v)])
        .filter(([k, v]) => !same(before[k as string], v)),
    );
    if (!Object.keys(changed).length) continue;
    await db
      .updateTable(table)
      .set({ ...changed, updatedAt: now } as never)
      .where('code', '=', r.code)
      .execute();
    updated++;
  }
  if (fresh.length || updated) tableWritten(table as keyof Tables);
  return { created: fresh.length, updated };
}

async function idsByCode(db: Sql, table: 'units' | 'event_types'): Promise<Map<string, number>> {
  const rows = await db.selectFrom(table).select(['id', 'code']).execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/**
 * Validates every row of every given file, then imports them all in one transaction.
 * Any problem anywhere → ImportError listing every problem, and the database is untouched.
 * Rows are matched by code: a new code is inserted, a known one updated. `sql` is the database's root
 * (not a transaction): the import opens its own.
 */
export async function importCsvFiles(sql: Sql, paths: ImportFiles): Promise<ImportSummary> {
  const problems: ImportProblem[] = [];
  const files = {
    units: parseFile(paths.units, UNIT_COLUMNS, problems),
    grids: parseFile(paths.grids, GRID_COLUMNS, problems),
    eventTypes: parseFile(paths.eventTypes, EVENT_TYPE_COLUMNS, problems),
    items: parseFile(paths.items, ITEM_COLUMNS, problems),
    classifyExamples: parseFile(paths.classifyExamples, CLASSIFY_EXAMPLE_COLUMNS, problems),
  };
  const summary: ImportSummary = {
    units: { created: 0, updated: 0 },
    grids: { created: 0, updated: 0 },
    eventTypes: { created: 0, updated: 0 },
    items: { created: 0, updated: 0 },
    classifyExamples: { created: 0, updated: 0 },
  };

  await sql.transaction().execute(async (db) => {
    const units = await knownUnits(files.units, db);
    const eventTypeCodes = new Set((await db.selectFrom('event_types').select('code').execute()).map((e) => e.code));
    for (const { values } of files.eventTypes?.rows ?? []) eventTypeCodes.add(values['code']!);
    checkReferences(files, units, eventTypeCodes, problems);
    if (problems.length) throw new ImportError(problems);

    if (files.units) {
      const rows = files.units.rows.map(({ values: v }) => ({
        code: v['code']!,
        name: v['name']!,
        shortName: v['short_name'] || null,
        kind: v['kind']!,
        parentId: null,
        contactPerson: v['contact_person'] || null,
        contactPhone: v['contact_phone'] || null,
      }));
      // Parents may come later in the file: create every unit first, then link parents.
      const existingParents = new Map((await db.selectFrom('units').select(['code', 'parentId']).execute()).map((u) => [u.code, u.parentId]));
      summary.units = await upsertByCode(
        db,
        'units',
        rows.map((r) => ({ ...r, parentId: existingParents.get(r.code) ?? null })),
      );
      const ids = await idsByCode(db, 'units');
      for (const { values: v } of files.units.rows) {
        const parentId = v['parent_code'] ? ids.get(v['parent_code'])! : null;
        if (parentId === (existingParents.get(v['code']!) ?? null)) continue;
        await db.updateTable('units').set({ parentId, updatedAt: new Date() }).where('code', '=', v['code']!).execute();
      }
    }
    const unitIds = await idsByCode(db, 'units');
    if (files.grids) {
      summary.grids = await upsertByCode(
        db,
        'grids',
        files.grids.rows.map(({ values: v }) => ({
          code: v['code']!,
          name: v['name']!,
          townshipId: unitIds.get(v['township_code']!)!,
          communityId: unitIds.get(v['community_code']!)!,
          centroidLng: Number(v['centroid_lng']),
          centroidLat: Number(v['centroid_lat']),
          polygon: v['polygon'] ? parsePolygon(v['polygon']) : null,
          gridKind: v['grid_kind'] || '综合',
        })),
      );
    }
    if (files.eventTypes) {
      summary.eventTypes = await upsertByCode(
        db,
        'event_types',
        files.eventTypes.rows.map(({ values: v }) => ({
          code: v['code']!,
          name: v['name']!,
          kind: v['kind'],
          major: v['major']!,
          category: v['category'],
          filingCondition: v['filing_condition']!,
          closingCondition: v['closing_condition']!,
          routingRule: v['routing_rule'],
          ownerUnitId: unitIds.get(v['owner_unit_code']!)!,
          clock: v['clock'],
          acceptLimit: v['accept_limit']!,
          dispatchLimit: v['dispatch_limit']!,
          handleLimit: v['handle_limit']!,
          verifyLimit: v['verify_limit']!,
          extraStages: v['extra_stages'] ? parseExtraStages(v['extra_stages']) : null,
          emergency: v['emergency'] === '1',
          keywords: v['keywords']
            ? v['keywords']
                .split('|')
                .map((k) => k.trim())
                .filter(Boolean)
            : null,
        })),
      );
    }
    if (files.items) {
      const eventTypeIds = await idsByCode(db, 'event_types');
      summary.items = await upsertByCode(
        db,
        'governance_items',
        files.items.rows.map(({ values: v }) => ({
          code: v['code']!,
          name: v['name']!,
          category: v['category'],
          eventTypeId: v['event_type_code'] ? eventTypeIds.get(v['event_type_code'])! : null,
          responsibleUnitId: unitIds.get(v['responsible_unit_code']!)!,
          assistingUnitCodes: v['assisting_unit_codes'] ? v['assisting_unit_codes'].split('|').map((c) => c.trim()) : null,
          basis: v['basis'] || null,
        })),
      );
    }
    if (files.classifyExamples) {
      summary.classifyExamples = await upsertByCode(
        db,
        'classify_examples',
        files.classifyExamples.rows.map(({ values: v }) => ({
          code: v['code']!,
          text: v['text']!,
          label: v['label']!,
          channel: v['channel'] || 'other',
          // caseId is left as it is: an edited or re-imported operator decision keeps the case it came from
          source: v['source'] || 'admin',
        })),
      );
    }
  });
  return summary;
}
