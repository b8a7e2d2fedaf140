/**
 * The process diagram of a case: bpmn-js NavigatedViewer (pan and zoom, read-only) with the executed path
 * marked — completed elements, active ones, incidents (marker + badge) and the sequence flows taken, the
 * flows also stroked in colour through their DI so the arrow heads follow. The bpmn.io watermark that
 * bpmn-js draws stays as it is (its licence requires it visible): nothing is placed over the canvas corner.
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import type { Highlights } from './types.js';

export const MARKER = {
  completed: 'hist-completed',
  active: 'hist-active',
  incident: 'hist-incident',
  taken: 'hist-taken',
  selected: 'hist-selected',
} as const;
const TAKEN_STROKE = '#2e7d32';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Canvas {
  addMarker(id: string, cls: string): void;
  removeMarker(id: string, cls: string): void;
  zoom(level?: string | number, center?: string): number;
  viewbox(box?: Box): Box & { scale: number; inner: Box };
}

/**
 * Below this scale the labels are too small to read: a long process fitted into the canvas is shown at
 * this scale from its start instead, and the reader pans (drag) or zooms (Ctrl + wheel) to the rest.
 */
export const MIN_READABLE_SCALE = 0.7;
interface DiElement {
  id: string;
  type: string;
  di?: { set(name: string, value: unknown): void };
  waypoints?: unknown;
  labelTarget?: DiElement;
}
interface ElementRegistry {
  get(id: string): DiElement | undefined;
  getGraphics(el: DiElement): SVGElement;
}
interface Overlays {
  add(id: string, type: string, o: { position: Record<string, number>; html: HTMLElement }): void;
}
interface GraphicsFactory {
  update(type: string, el: DiElement, gfx: SVGElement): void;
}
interface EventBus {
  on(event: string, cb: (e: { element: DiElement }) => void): void;
}

export interface DiagramView {
  /** the ids of the elements and flows each marker went on (what is actually drawn) */
  marked: Record<keyof Highlights, string[]>;
  select(elementId: string | null): void;
  destroy(): void;
}

/** Draws `xml` into `container` and marks `highlights`; `onSelect` gets the id of a clicked element. */
export async function showDiagram(
  container: HTMLElement,
  xml: string,
  highlights: Highlights,
  onSelect: (elementId: string, type: string) => void,
): Promise<DiagramView> {
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas') as Canvas;
  const registry = viewer.get('elementRegistry') as ElementRegistry;
  const overlays = viewer.get('overlays') as Overlays;
  const graphics = viewer.get('graphicsFactory') as GraphicsFactory;
  canvas.zoom('fit-viewport', 'auto');
  const fitted = canvas.viewbox();
  if (fitted.scale < MIN_READABLE_SCALE) {
    const width = container.clientWidth / MIN_READABLE_SCALE;
    const height = container.clientHeight / MIN_READABLE_SCALE;
    canvas.viewbox({ x: fitted.inner.x - 20, y: fitted.inner.y + fitted.inner.height / 2 - height / 2, width, height });
  }
  container.dataset['scale'] = canvas.viewbox().scale.toFixed(2);
  // a definition that drifted from the events (an id no longer in it) is skipped rather than failing the page
  const present = (ids: string[]) => ids.filter((id) => registry.get(id));
  const marked: DiagramView['marked'] = {
    completed: present(highlights.completed),
    active: present(highlights.active),
    incidents: present(highlights.incidents),
    takenFlows: present(highlights.takenFlows),
  };
  for (const id of marked.completed) canvas.addMarker(id, MARKER.completed);
  for (const id of marked.active) canvas.addMarker(id, MARKER.active);
  for (const id of marked.incidents) {
    canvas.addMarker(id, MARKER.incident);
    overlays.add(id, 'hist-incident', {
      position: { top: -12, right: 12 },
      html: Object.assign(document.createElement('div'), { className: 'hist-badge', textContent: '!' }),
    });
  }
  for (const id of marked.takenFlows) {
    const flow = registry.get(id)!;
    canvas.addMarker(id, MARKER.taken);
    if (flow.di && flow.waypoints) {
      flow.di.set('color:border-color', TAKEN_STROKE);
      graphics.update('connection', flow, registry.getGraphics(flow));
    }
  }
  let selected: string | null = null;
  const select = (id: string | null) => {
    if (selected && registry.get(selected)) canvas.removeMarker(selected, MARKER.selected);
    selected = id && registry.get(id) ? id : null;
    if (selected) canvas.addMarker(selected, MARKER.selected);
  };
  (viewer.get('eventBus') as EventBus).on('element.click', ({ element: clicked }) => {
    // a click on an element's external label means the element
    const element = clicked.labelTarget ?? clicked;
    if (element.type === 'bpmn:Process' || element.type === 'label' || element.type === 'bpmn:Collaboration') return;
    select(element.id);
    onSelect(element.id, element.type);
  });
  return { marked, select, destroy: () => viewer.destroy() };
}
