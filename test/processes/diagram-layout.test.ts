import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createModdle } from '../../port/bpmn-model.js';

/**
 * The diagrams open readably in Camunda Modeler and in our modeler: every flow node has a shape and every
 * sequence flow an edge with orthogonal waypoints, no two shapes overlap (a boundary event sits on its host's
 * border; a sub-process contains its children), and the execution platform is Camunda Cloud 8.8.
 */

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Element {
  id: string;
  $type: string;
  attachedToRef?: { id: string };
  flowElements?: Element[];
  sourceRef?: { id: string };
  targetRef?: { id: string };
}
interface DiElement {
  $type: string;
  bpmnElement?: { id: string };
  bounds?: Bounds;
  waypoint?: Array<{ x: number; y: number }>;
}

const PROCESSES_DIR = fileURLToPath(new URL('../../processes/', import.meta.url));
const files = readdirSync(PROCESSES_DIR)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();
const moddle = createModdle();

const overlaps = (a: Bounds, b: Bounds) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const centre = (b: Bounds) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

async function load(file: string) {
  const { rootElement } = await moddle.fromXML(readFileSync(PROCESSES_DIR + file, 'utf8'));
  const definitions = rootElement as unknown as {
    $attrs: Record<string, string>;
    rootElements: Element[];
    diagrams: Array<{ plane: { planeElement: DiElement[] } }>;
  };
  const nodes = new Map<string, { el: Element; parent: string | null }>();
  const flows: Element[] = [];
  const walk = (elements: Element[] | undefined, parent: string | null) => {
    for (const el of elements ?? []) {
      if (el.$type === 'bpmn:SequenceFlow') flows.push(el);
      else {
        nodes.set(el.id, { el, parent });
        if (el.flowElements) walk(el.flowElements, el.id);
      }
    }
  };
  for (const p of definitions.rootElements.filter((r) => r.$type === 'bpmn:Process')) walk(p.flowElements, null);
  const shapes = new Map<string, Bounds>();
  const edges = new Map<string, Array<{ x: number; y: number }>>();
  for (const di of definitions.diagrams[0]!.plane.planeElement) {
    if (di.$type === 'bpmndi:BPMNShape' && di.bpmnElement && di.bounds) shapes.set(di.bpmnElement.id, di.bounds);
    if (di.$type === 'bpmndi:BPMNEdge' && di.bpmnElement && di.waypoint) edges.set(di.bpmnElement.id, di.waypoint);
  }
  return { attrs: definitions.$attrs, nodes, flows, shapes, edges };
}

describe('processes / diagram layout', function () {
  this.timeout(20_000);

  for (const file of files) {
    it(`given ${file}, when its diagram is read, then every element is drawn, nothing overlaps and every flow has orthogonal waypoints`, async () => {
      const { attrs, nodes, flows, shapes, edges } = await load(file);
      expect([attrs['modeler:executionPlatform'], attrs['modeler:executionPlatformVersion']]).to.deep.equal(['Camunda Cloud', '8.8.0']);
      expect(
        [...nodes.keys()].filter((id) => !shapes.has(id)),
        'flow nodes without a shape',
      ).to.deep.equal([]);
      expect(
        flows.map((f) => f.id).filter((id) => !edges.has(id)),
        'flows without an edge',
      ).to.deep.equal([]);

      const problems: string[] = [];
      for (const f of flows) {
        const points = edges.get(f.id)!;
        if (points.length < 2) problems.push(`${f.id}: fewer than two waypoints`);
        for (let i = 1; i < points.length; i++) {
          const [a, b] = [points[i - 1]!, points[i]!];
          if (a.x !== b.x && a.y !== b.y) problems.push(`${f.id}: segment ${i} is diagonal`);
        }
      }
      const ids = [...nodes.keys()];
      const related = (a: string, b: string): boolean => {
        const [na, nb] = [nodes.get(a)!, nodes.get(b)!];
        if (na.el.attachedToRef?.id === b || nb.el.attachedToRef?.id === a) return true; // a boundary on its host
        if (na.parent === b || nb.parent === a) return true; // a node inside its sub-process
        const hostA = na.el.attachedToRef?.id;
        const hostB = nb.el.attachedToRef?.id;
        return (hostA !== undefined && nodes.get(hostA)?.parent === b) || (hostB !== undefined && nodes.get(hostB)?.parent === a);
      };
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          if (!related(ids[i]!, ids[j]!) && overlaps(shapes.get(ids[i]!)!, shapes.get(ids[j]!)!)) problems.push(`${ids[i]} overlaps ${ids[j]}`);
        }
      }
      for (const [id, { el, parent }] of nodes) {
        if (el.attachedToRef) {
          const host = shapes.get(el.attachedToRef.id)!;
          const c = centre(shapes.get(id)!);
          const onBorder =
            c.y === host.y || c.y === host.y + host.height
              ? c.x >= host.x && c.x <= host.x + host.width
              : (c.x === host.x || c.x === host.x + host.width) && c.y >= host.y && c.y <= host.y + host.height;
          if (!onBorder) problems.push(`${id} is not on the border of ${el.attachedToRef.id}`);
        }
        if (parent) {
          const [box, inner] = [shapes.get(parent)!, shapes.get(id)!];
          if (inner.x < box.x || inner.y < box.y || inner.x + inner.width > box.x + box.width || inner.y + inner.height > box.y + box.height)
            problems.push(`${id} is outside its sub-process ${parent}`);
        }
      }
      expect(problems).to.deep.equal([]);
    });
  }
});
