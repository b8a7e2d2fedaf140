import { createHash } from 'node:crypto';
import { createModdle, extensionOf, flowElements, processesOf, type ModdleElement } from '../../../port/camunda/bpmn-xml.js';
import { Problem } from './http.js';

export interface ListenerSpec {
  eventType: string;
  type: string;
  retries: number;
}

export interface ElementListeners {
  execution: ListenerSpec[];
  task: ListenerSpec[];
}

/** processId → elementId (the process id for the process itself) → its listeners. */
export type ListenerCatalogue = Map<string, Map<string, ElementListeners>>;

function specs(holder: ModdleElement | undefined, where: string): ListenerSpec[] {
  return ((holder?.['listeners'] as ModdleElement[] | undefined) ?? []).map((l) => {
    const type = String(l['type'] ?? '');
    if (!type || type.startsWith('='))
      throw new Problem(400, 'INVALID_ARGUMENT', `${where}: the simulation only runs listeners with a static job type, not '${type}'`);
    return { eventType: String(l['eventType'] ?? ''), type, retries: Number(l['retries'] ?? 3) || 3 };
  });
}

/**
 * The embedded engine refuses listeners at deploy (it would have to wait for them), so the simulation
 * takes them out of the XML before the engine sees it and keeps them here; listener-jobs.ts then creates
 * the listener jobs a cluster would create, from the engine's history. The original XML is kept for
 * `GET /v2/process-definitions/{key}/xml`.
 *
 * The stripped XML carries a comment with the original's hash, so two originals that differ only in
 * their listeners still become two engine versions, as on a cluster.
 */
export async function stripListeners(resource: string, xml: string): Promise<{ xml: string; catalogue: ListenerCatalogue }> {
  const moddle = createModdle();
  let rootElement: ModdleElement;
  const reject = (message: string) =>
    new Problem(
      400,
      'INVALID_ARGUMENT',
      `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to deploy new resources, but encountered the following errors:\n'${resource}': ${message}`,
    );
  try {
    const read = await moddle.fromXML(xml);
    rootElement = read.rootElement;
    // what bpmn-moddle only warns about (broken markup, dangling references) a cluster refuses; the
    // round trip through toXML would otherwise repair it
    if (read.warnings.length) throw new Error(read.warnings.map((w) => w.message.split('\n')[0]).join('; '));
  } catch (err) {
    throw reject((err as Error).message);
  }
  const catalogue: ListenerCatalogue = new Map();
  for (const process of processesOf(rootElement)) {
    const elements = new Map<string, ElementListeners>();
    for (const el of [process, ...flowElements(process)]) {
      const exec = extensionOf(el, 'zeebe:ExecutionListeners');
      const task = extensionOf(el, 'zeebe:TaskListeners');
      if (!exec && !task) continue;
      elements.set(String(el.id), { execution: specs(exec, `${resource} [${el.id}]`), task: specs(task, `${resource} [${el.id}]`) });
      const values = el['extensionElements']['values'] as ModdleElement[];
      el['extensionElements']['values'] = values.filter((v) => v !== exec && v !== task);
    }
    catalogue.set(String(process.id), elements);
  }
  const stripped = (await moddle.toXML(rootElement, { format: true })).xml;
  const hash = createHash('sha256').update(xml).digest('hex');
  return { xml: `${stripped}\n<!-- camunda-sim: listeners removed from original sha256 ${hash} -->\n`, catalogue };
}
