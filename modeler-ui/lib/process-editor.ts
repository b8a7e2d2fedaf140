/**
 * The BPMN editor: camunda-bpmn-js's Camunda 8 (Zeebe) modeler with its properties panel, element templates
 * (our workers' job types), problem markers from the lint, and Chinese palette/context pad when zh-CN.
 */
import Modeler from 'camunda-bpmn-js/lib/camunda-cloud/Modeler';
import 'camunda-bpmn-js/dist/assets/camunda-cloud-modeler.css';
import type { LintProblem } from './admin-api.js';
import { translateDom } from '../../web/shared/dom-translate.js';
import { PROPERTIES_PANEL_ZH } from './zh-properties-panel.js';
import { zhTranslateModule } from './zh-translate.js';

interface Shape {
  id: string;
  type: string;
  businessObject: { id: string; name?: string; $type: string };
}
interface Registry {
  get(id: string): Shape | undefined;
}
interface Canvas {
  resized(): void;
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  scrollToElement(e: Shape): void;
  zoom(mode: string, center?: string): void;
  getRootElement(): Shape;
}
interface Overlays {
  add(id: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}
interface Definitions {
  rootElements: Array<{ $type: string; id: string; name?: string; processRef?: { id: string } }>;
  $attrs: Record<string, string>;
  set(k: string, v: unknown): void;
}

const MARKERS = ['lint-error', 'lint-warning'] as const;
const OVERLAY = 'lint-problem';

export class ProcessEditor {
  readonly modeler: Modeler;
  private marked: string[] = [];

  constructor(canvas: HTMLElement, properties: HTMLElement, templates: unknown[], chinese: boolean) {
    this.modeler = new Modeler({
      container: canvas,
      propertiesPanel: { parent: properties },
      elementTemplates: templates,
      additionalModules: chinese ? [zhTranslateModule] : [],
    } as ConstructorParameters<typeof Modeler>[0]);
    // a few parts (group and list tooltips, the FEEL editor, the popup menu's back button) do not ask the
    // translate service: the same words over what is drawn
    if (chinese) {
      translateDom(properties, { exact: PROPERTIES_PANEL_ZH });
      translateDom(canvas, { exact: PROPERTIES_PANEL_ZH });
    }
  }

  private get<T>(name: string): T {
    return (this.modeler as unknown as { get(n: string): T }).get(name);
  }

  /** Opens a diagram; the view fits it. Throws when the XML is not BPMN. */
  async open(xml: string): Promise<void> {
    this.marked = [];
    await this.modeler.importXML(xml);
    // the canvas may have been hidden (no size) since it was made
    this.get<Canvas>('canvas').resized();
    this.get<Canvas>('canvas').zoom('fit-viewport', 'auto');
  }

  async xml(): Promise<string> {
    const { xml } = await this.modeler.saveXML({ format: true });
    return xml ?? '';
  }

  /** The id of the (first) executable process in the diagram: what drafts and deploys are keyed by. */
  processId(): string | null {
    const defs = (this.modeler as unknown as { getDefinitions(): Definitions | undefined }).getDefinitions();
    const process = defs?.rootElements.find((e) => e.$type === 'bpmn:Process');
    return process?.id ?? null;
  }

  /** Calls back after every change of the diagram (edits, undo, redo). */
  onChange(callback: () => void): void {
    (this.modeler as unknown as { on(e: string, cb: () => void): void }).on('commandStack.changed', callback);
  }

  /** An element's label for lists: its name, else its id. */
  label(elementId: string | null): string {
    if (!elementId) return '';
    const el = this.get<Registry>('elementRegistry').get(elementId);
    return el?.businessObject.name ? `${el.businessObject.name} (${elementId})` : elementId;
  }

  /** Problem markers on the canvas: a coloured outline and a badge with the count per element. */
  showProblems(problems: LintProblem[]): void {
    const canvas = this.get<Canvas>('canvas');
    const overlays = this.get<Overlays>('overlays');
    const registry = this.get<Registry>('elementRegistry');
    for (const id of this.marked) for (const m of MARKERS) canvas.removeMarker(id, m);
    overlays.remove({ type: OVERLAY });
    this.marked = [];
    const rootId = canvas.getRootElement().id;
    const byElement = new Map<string, LintProblem[]>();
    for (const p of problems) {
      if (!p.elementId || !registry.get(p.elementId) || p.elementId === rootId) continue;
      byElement.set(p.elementId, [...(byElement.get(p.elementId) ?? []), p]);
    }
    for (const [id, list] of byElement) {
      const error = list.some((p) => p.severity === 'error');
      canvas.addMarker(id, error ? 'lint-error' : 'lint-warning');
      this.marked.push(id);
      const badge = document.createElement('div');
      badge.className = `lint-badge ${error ? 'lint-badge-error' : 'lint-badge-warning'}`;
      badge.textContent = String(list.length);
      badge.title = list.map((p) => p.message).join('\n');
      overlays.add(id, OVERLAY, { position: { top: -8, right: 8 }, html: badge });
    }
  }

  /** Selects an element and scrolls it into view (from a click in the problem list). */
  reveal(elementId: string): boolean {
    const el = this.get<Registry>('elementRegistry').get(elementId);
    if (!el) return false;
    const canvas = this.get<Canvas>('canvas');
    if (el.id !== canvas.getRootElement().id) canvas.scrollToElement(el);
    this.get<{ select(e: Shape): void }>('selection').select(el);
    return true;
  }

  destroy(): void {
    this.modeler.destroy();
  }
}

/** A minimal executable process (start → end) for "new process"; names are XML-escaped. */
export function newProcessXml(processId: string, name: string, startName: string, endName: string): string {
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_${x(processId)}" targetNamespace="http://bpmn.io/schema/bpmn" exporter="ywtg modeler-ui" exporterVersion="0.1.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="${x(processId)}" name="${x(name)}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" name="${x(startName)}">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:endEvent id="EndEvent_1" name="${x(endName)}">
      <bpmn:incoming>Flow_1</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="EndEvent_1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${x(processId)}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36" />
        <bpmndi:BPMNLabel><dc:Bounds x="186" y="203" width="24" height="14" /></bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="EndEvent_1_di" bpmnElement="EndEvent_1">
        <dc:Bounds x="432" y="160" width="36" height="36" />
        <bpmndi:BPMNLabel><dc:Bounds x="438" y="203" width="24" height="14" /></bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1">
        <di:waypoint x="216" y="178" />
        <di:waypoint x="432" y="178" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
