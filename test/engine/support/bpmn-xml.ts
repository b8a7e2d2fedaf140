/**
 * Small BPMN documents for scenario tests, written inline: `process(id, body)` wraps flow elements in a Camunda 8.8
 * definitions element; `chain(...)` joins elements by sequence flows (with their incoming/outgoing references).
 */
const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:modeler="http://camunda.org/schema/modeler/1.0" ' +
  'targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0"';

export function definitions(id: string, content: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NS} id="defs_${id}">${content}</bpmn:definitions>`;
}

/** `<bpmn:process>` with the given flow elements; `extensions` goes into its extensionElements. */
export function processElement(id: string, body: string, options: { executable?: boolean; extensions?: string } = {}): string {
  const ext = options.extensions ? `<bpmn:extensionElements>${options.extensions}</bpmn:extensionElements>` : '';
  return `<bpmn:process id="${id}" isExecutable="${options.executable ?? true}">${ext}${body}</bpmn:process>`;
}

export function process(id: string, body: string, options: { extensions?: string } = {}): string {
  return definitions(id, processElement(id, body, options));
}

/** Adds `<bpmn:incoming>` / `<bpmn:outgoing>` to one element's XML (the engine reads a node's flows from them). */
export function link(xml: string, incoming: string[], outgoing: string[]): string {
  const refs = incoming.map((f) => `<bpmn:incoming>${f}</bpmn:incoming>`).join('') + outgoing.map((f) => `<bpmn:outgoing>${f}</bpmn:outgoing>`).join('');
  const selfClosing = /^<(bpmn:\w+)([^>]*?)\/>$/.exec(xml.trim());
  if (selfClosing) return `<${selfClosing[1]}${selfClosing[2]}>${refs}</${selfClosing[1]}>`;
  // after the extension elements (the schema's order), else right after the opening tag
  if (xml.includes('</bpmn:extensionElements>')) return xml.replace('</bpmn:extensionElements>', `</bpmn:extensionElements>${refs}`);
  return xml.replace(/^(<bpmn:\w+[^>]*>)/, `$1${refs}`);
}

/** Elements (each one XML element with an id) joined in order by sequence flows `f_<source id>`. */
export function chain(...elements: string[]): string {
  const ids = elements.map((x) => /\bid="([^"]+)"/.exec(x)![1]!);
  const out: string[] = [];
  const flow = (i: number) => `f_${ids[i]}`; // the flow leaving element i
  elements.forEach((x, i) => out.push(link(x, i > 0 ? [flow(i - 1)] : [], i < elements.length - 1 ? [flow(i)] : [])));
  ids.slice(1).forEach((to, i) => out.push(`<bpmn:sequenceFlow id="${flow(i)}" sourceRef="${ids[i]}" targetRef="${to}" />`));
  return out.join('');
}

/** A process start → the given elements → end. */
export function straight(id: string, middle: string[], options: { extensions?: string } = {}): string {
  return process(id, chain('<bpmn:startEvent id="start" />', ...middle, '<bpmn:endEvent id="end" />'), options);
}
