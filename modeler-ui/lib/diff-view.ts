/**
 * Two versions side by side in navigated viewers: the older one with removed elements marked, the newer one
 * with added, changed and moved elements marked, and the list of changes below (a click shows the element).
 */
import NavigatedViewer from 'camunda-bpmn-js/lib/camunda-cloud/NavigatedViewer';
import 'camunda-bpmn-js/dist/assets/camunda-cloud-navigated-viewer.css';
import { h, replace } from '../../web/shared/dom.js';
import { t } from '../../web/shared/i18n.js';
import type { DiffEntry, ProcessDiff } from './admin-api.js';

type Kind = 'added' | 'removed' | 'changed' | 'layoutChanged';
const KINDS: Kind[] = ['added', 'removed', 'changed', 'layoutChanged'];
const SIGN: Record<Kind, string> = { added: '+', removed: '−', changed: '✎', layoutChanged: '↔' };

interface Viewer {
  importXML(xml: string): Promise<unknown>;
  get(name: 'canvas'): { addMarker(id: string, m: string): void; zoom(m: string, center?: string): void; scrollToElement(e: unknown): void; getRootElement(): { id: string } };
  get(name: 'overlays'): { add(id: string, type: string, o: { position: Record<string, number>; html: HTMLElement }): string };
  get(name: 'elementRegistry'): { get(id: string): unknown };
  destroy(): void;
}

export interface DiffInput { processId: string; from: number; to: number; fromXml: string; toXml: string; diff: ProcessDiff }

export class DiffView {
  private viewers: Viewer[] = [];

  constructor(private readonly root: HTMLElement) {}

  async show(input: DiffInput): Promise<void> {
    this.clear();
    const before = h('div', { class: 'diff-canvas', 'data-testid': 'diff-before' });
    const after = h('div', { class: 'diff-canvas', 'data-testid': 'diff-after' });
    const list = h('div', { class: 'diff-list' });
    replace(this.root,
      h('h3', null, t('modeler.diff.heading', { processId: input.processId, from: input.from, to: input.to })),
      h('div', { class: 'diff-legend' }, ...KINDS.map((k) => h('span', { class: `legend legend-${k}` }, `${SIGN[k]} ${t(`modeler.diff.${k}`)}`))),
      h('div', { class: 'diff-canvases' },
        h('section', null, h('h4', null, t('modeler.diff.before', { version: input.from })), before),
        h('section', null, h('h4', null, t('modeler.diff.after', { version: input.to })), after)),
      list);
    const from = new NavigatedViewer({ container: before }) as unknown as Viewer;
    const to = new NavigatedViewer({ container: after }) as unknown as Viewer;
    this.viewers = [from, to];
    await from.importXML(input.fromXml);
    await to.importXML(input.toXml);
    for (const v of this.viewers) v.get('canvas').zoom('fit-viewport', 'auto');
    mark(from, input.diff.removed, 'removed');
    mark(to, input.diff.added, 'added');
    mark(to, input.diff.changed, 'changed');
    mark(to, input.diff.layoutChanged, 'layoutChanged');
    this.renderList(list, input.diff, from, to);
  }

  private renderList(list: HTMLElement, diff: ProcessDiff, from: Viewer, to: Viewer): void {
    const rows = KINDS.flatMap((kind) => diff[kind].map((entry) => ({ kind, entry })));
    if (!rows.length) {
      replace(list, h('p', { class: 'empty' }, t('modeler.diff.none')));
      return;
    }
    replace(list, h('table', { class: 'diff-table' },
      h('thead', null, h('tr', null, ...['kind', 'id', 'type', 'name', 'details'].map((c) => h('th', null, t(`modeler.diff.${c}`))))),
      h('tbody', null, ...rows.map(({ kind, entry }) => h('tr', {
        class: `diff-row diff-row-${kind}`, 'data-kind': kind, 'data-element-id': entry.id,
        onclick: () => reveal(kind === 'removed' ? from : to, entry.id),
      },
      h('td', null, h('span', { class: `legend legend-${kind}` }, `${SIGN[kind]} ${t(`modeler.diff.${kind}`)}`)),
      h('td', null, entry.id),
      h('td', null, (entry.type ?? '').replace(/^bpmn:/, '')),
      h('td', null, entry.name ?? ''),
      h('td', { class: 'attrs' }, describeAttrs(entry)))))));
  }

  clear(): void {
    for (const v of this.viewers) v.destroy();
    this.viewers = [];
    this.root.replaceChildren();
  }
}

function mark(viewer: Viewer, entries: DiffEntry[], kind: Kind): void {
  const registry = viewer.get('elementRegistry');
  const overlays = viewer.get('overlays');
  const rootId = viewer.get('canvas').getRootElement().id;
  for (const e of entries) {
    // the process itself can change (name, attributes): no shape to mark, the list shows it
    if (!registry.get(e.id) || e.id === rootId) continue;
    viewer.get('canvas').addMarker(e.id, `diff-${kind}`);
    overlays.add(e.id, 'diff', { position: { top: -12, left: -12 }, html: h('span', { class: `diff-badge diff-badge-${kind}`, title: t(`modeler.diff.${kind}`) }, SIGN[kind]) });
  }
}

function reveal(viewer: Viewer, id: string): void {
  const el = viewer.get('elementRegistry').get(id);
  if (el && id !== viewer.get('canvas').getRootElement().id) viewer.get('canvas').scrollToElement(el);
}

function describeAttrs(entry: DiffEntry): string {
  if (!entry.attrs) return '';
  const show = (v: unknown) => (v === undefined || v === null ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));
  return Object.entries(entry.attrs).map(([k, v]) => `${k}: ${show(v.oldValue)} → ${show(v.newValue)}`).join('; ');
}
