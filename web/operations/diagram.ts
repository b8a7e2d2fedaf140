/**
 * The process diagram with Operate's per-element figures: a blue badge for the element instances running
 * there, a red one (and a red outline) for the open incidents on it. bpmn-js NavigatedViewer, read-only;
 * the bpmn.io watermark stays visible as its licence asks. Clicking an element filters the list by it.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';

export interface ElementStatistics {
  elementId: string;
  active: number;
  incidents: number;
}

interface Canvas {
  addMarker(id: string, cls: string): void;
  removeMarker(id: string, cls: string): void;
  zoom(level: string, center?: string): void;
}
interface DiElement {
  id: string;
  type: string;
  labelTarget?: DiElement;
}
interface ElementRegistry {
  get(id: string): DiElement | undefined;
}
interface Overlays {
  add(id: string, type: string, o: { position: Record<string, number>; html: HTMLElement }): void;
}
interface EventBus {
  on(event: string, cb: (e: { element: DiElement }) => void): void;
}

function badge(cls: string, n: number): HTMLSpanElement {
  const b = document.createElement('span');
  b.className = `op-badge ${cls}`;
  b.textContent = String(n);
  return b;
}

export async function showStatistics(container: HTMLElement, xml: string, stats: ElementStatistics[], onSelect: (elementId: string | null) => void) {
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas') as Canvas;
  const registry = viewer.get('elementRegistry') as ElementRegistry;
  const overlays = viewer.get('overlays') as Overlays;
  canvas.zoom('fit-viewport', 'auto');
  for (const s of stats) {
    if (!registry.get(s.elementId)) continue; // an element of another version's drawing
    if (s.active) {
      const b = badge('op-badge-active', s.active);
      b.dataset['testid'] = `active-${s.elementId}`;
      overlays.add(s.elementId, 'op-active', { position: { bottom: 9, left: -6 }, html: b });
    }
    if (s.incidents) {
      const b = badge('op-badge-incidents', s.incidents);
      b.dataset['testid'] = `incidents-${s.elementId}`;
      overlays.add(s.elementId, 'op-incidents', { position: { bottom: 9, right: 6 }, html: b });
      canvas.addMarker(s.elementId, 'op-incident');
    }
  }
  let selected: string | null = null;
  (viewer.get('eventBus') as EventBus).on('element.click', ({ element: clicked }) => {
    const element = clicked.labelTarget ?? clicked;
    if (selected) canvas.removeMarker(selected, 'op-selected');
    const isFlowNode = !/^bpmn:(Process|Collaboration|SequenceFlow)$/.test(element.type) && element.type !== 'label';
    selected = isFlowNode && selected !== element.id ? element.id : null;
    if (selected) canvas.addMarker(selected, 'op-selected');
    onSelect(selected);
  });
  return { destroy: () => viewer.destroy() };
}
