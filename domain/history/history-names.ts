import { appSql } from '../../db/sql/current.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import type { HistoryNames, TimelineEntry } from './history-types.js';
import { diagramXml } from './process-diagram.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (_m, name: string, dec?: string, hex?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : (ENTITIES[name.toLowerCase()] ?? _m),
  );

/** id → name of every named element of a BPMN document (whitespace in names, line breaks included, folded). */
export function elementNamesOf(xml: string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const tag of xml.matchAll(/<(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*\b([^>]*)>/g)) {
    const attrs = tag[1]!;
    const id = /\bid="([^"]*)"/.exec(attrs)?.[1];
    const name = /\bname="([^"]*)"/.exec(attrs)?.[1];
    if (id && name && !(id in names)) names[id] = unescapeXml(name).replace(/\s+/g, ' ').trim();
  }
  return names;
}

/** The names behind a timeline: its actors, the units it and the case name, and the elements of the definitions its instances ran. */
export async function historyNames(timeline: readonly TimelineEntry[], unitCodes: Array<string | null>, port: WorkflowEngine | null): Promise<HistoryNames> {
  const logins = new Set<string>();
  const codes = new Set(unitCodes.filter((c): c is string => !!c));
  const definitions = new Map<string, string>();
  for (const e of timeline) {
    if (e.kind === 'action') {
      logins.add(e.actor);
      const code = e.detail?.['unitCode'];
      if (typeof code === 'string') codes.add(code);
      const data = e.detail?.['data'] as Record<string, unknown> | undefined;
      if (typeof data?.['unitCode'] === 'string') codes.add(data['unitCode']);
    } else if (e.kind === 'element' && e.elementType === 'process' && e.intent === 'ACTIVATED' && e.bpmnProcessId) {
      const key = e.detail?.['processDefinitionKey'];
      if ((typeof key === 'string' || typeof key === 'number') && !definitions.has(e.bpmnProcessId)) definitions.set(e.bpmnProcessId, String(key));
    }
  }
  const [users, units] = await Promise.all([
    logins.size
      ? appSql()
          .selectFrom('users')
          .select(['username', 'displayName', 'role'])
          .where('username', 'in', [...logins])
          .execute()
      : [],
    codes.size
      ? appSql()
          .selectFrom('units')
          .select(['code', 'name'])
          .where('code', 'in', [...codes])
          .execute()
      : [],
  ]);
  const elements: HistoryNames['elements'] = {};
  if (port) {
    await Promise.all(
      [...definitions].map(async ([processId, key]) => {
        const xml = await diagramXml(port, key).catch(() => null);
        if (xml) elements[processId] = elementNamesOf(xml);
      }),
    );
  }
  return {
    people: Object.fromEntries(users.map((u) => [u.username, { name: u.displayName, role: u.role }])),
    units: Object.fromEntries(units.map((u) => [u.code, u.name])),
    elements,
  };
}
