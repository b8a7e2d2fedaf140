import { createModdle, elementTypeOf, extensionOf, flowElements, processesOf } from './bpmn-xml.js';

/** What listener jobs do not carry but the port's events need: an element's type, name and form. */
export interface ElementInfo {
  type: string;
  name: string | null;
  formId: string | null;
  /** a business-rule task calling a DMN decision (`zeebe:calledDecision`): its evaluation is read after the task ends */
  calledDecision?: { resultVariable: string | null };
}

/** processId → elementId → info, read from BPMN XML (the process element itself included, type `process`). */
export type ProcessMetadata = Map<string, Map<string, ElementInfo>>;

export async function readMetadata(xml: string): Promise<ProcessMetadata> {
  const { rootElement } = await createModdle().fromXML(xml);
  const out: ProcessMetadata = new Map();
  for (const process of processesOf(rootElement)) {
    const elements = new Map<string, ElementInfo>();
    elements.set(String(process.id), { type: 'process', name: process.name ?? null, formId: null });
    for (const el of flowElements(process)) {
      if (!el.id) continue;
      const form = extensionOf(el, 'zeebe:FormDefinition');
      const info: ElementInfo = { type: elementTypeOf(el), name: el.name ?? null, formId: (form?.['formId'] as string | undefined) ?? null };
      const decision = extensionOf(el, 'zeebe:CalledDecision');
      if (decision) info.calledDecision = { resultVariable: (decision['resultVariable'] as string | undefined) ?? null };
      elements.set(el.id, info);
    }
    out.set(String(process.id), elements);
  }
  return out;
}

/**
 * Element info per process definition key. Filled at deploy from the XML in hand; for definitions this
 * process did not deploy, read once from the cluster (`GET /v2/process-definitions/{key}/xml`, which is
 * served from secondary storage and may lag a deployment by seconds) and kept.
 */
export class MetadataCache {
  private readonly byDefinition = new Map<string, Promise<Map<string, ElementInfo> | null>>();

  constructor(
    private readonly fetchXml: (processDefinitionKey: string) => Promise<string>,
    private readonly onError: (err: unknown) => void,
  ) {}

  remember(processDefinitionKey: string, elements: Map<string, ElementInfo>): void {
    this.byDefinition.set(processDefinitionKey, Promise.resolve(elements));
  }

  async element(processDefinitionKey: string, bpmnProcessId: string, elementId: string): Promise<ElementInfo | null> {
    let entry = this.byDefinition.get(processDefinitionKey);
    if (!entry) {
      entry = this.fetchXml(processDefinitionKey)
        .then(readMetadata)
        .then((m) => m.get(bpmnProcessId) ?? null)
        .catch((err) => {
          this.byDefinition.delete(processDefinitionKey); // try again with the next event
          this.onError(err);
          return null;
        });
      this.byDefinition.set(processDefinitionKey, entry);
    }
    return (await entry)?.get(elementId) ?? null;
  }
}
