/**
 * Two versions side by side in navigated viewers: the older one with removed elements marked, the newer one
 * with added, changed and moved elements marked, and the list of changes below (a click shows the element).
 */
import NavigatedViewer from 'camunda-bpmn-js/lib/camunda-cloud/NavigatedViewer';
import 'camunda-bpmn-js/dist/assets/camunda-cloud-navigated-viewer.css';
import { h, replace } from '../../web/shared/dom.js';
import { t } from '../../web/shared/i18n.js';
import type { DiffEntry, ProcessDiff } from './admin-api.js';
import { describeChanges, typeName } from './diff-describe.js';

type Kind = 'added' | 'removed' | 'changed' | 'layoutChanged';
const KINDS: Kind[] = ['added', 'removed', 'changed', 'layoutChanged'];
const SIGN: Record<Kind, string> = { added: '+', removed: '−', changed: '✎', layoutChanged: '↔' };

interface Viewer {
  importXML(xml: string): Promise<unknown>;
  get(name: 'canvas'): {
    addMarker(id: string, m: string): void;
    zoom(m: string, center?: string): void;
    scrollToElement(e: unknown): void;
    getRootElement(): { id: string };
  };
  get(name: 'overlays'): { add(id: string, type: string, o: { position: Record<string, number>; html: HTMLElement }): string };
  get(name: 'elementRegistry'): { get(id: string): unknown };
  destroy(): void;
}

export interface DiffInput {
  processId: string;
  from: number;
  to: number;
  fromXml: string;
  toXml: string;
  diff: ProcessDiff;
}

export class DiffView {
  private viewers: Viewer[] = [];

  constructor(private readonly root: HTMLElement) {}

  async show(input: DiffInput): Promise<void> {
    this.clear();
    const before = h('div', { class: 'diff-canvas', 'data-testid': 'diff-before' });
    const after = h('div', { class: 'diff-canvas', 'data-testid': 'diff-after' });
    const list = h('div', { class: 'diff-list' });
    replace(
      this.root,
      h('h3', null, t('modeler.diff.heading', { processId: input.processId, from: input.from, to: input.to })),
      h('div', { class: 'diff-legend' }, ...KINDS.map((k) => h('span', { class: `legend legend-${k}` }, `${SIGN[k]} ${t(`modeler.diff.${k}`)}`))),
      h(
        'div',
        { class: 'diff-canvases' },
        h('section', null, h('h4', null, t('modeler.diff.before', { version: input.from })), before),
        h('section', null, h('h4', null, t('modeler.diff.after', { version: input.to })), after),
      ),
      list,
    );
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

  /**
   * The changes in words, element by element: what was added and removed by name and type, and for each
   * changed element the properties that differ (old → new); elements only moved are counted, listed on demand.
   */
  private renderList(list: HTMLElement, diff: ProcessDiff, from: Viewer, to: Viewer): void {
    const rows = KINDS.flatMap((kind) => diff[kind].map((entry) => ({ kind, entry })));
    if (!rows.length) {
      replace(list, h('p', { class: 'empty' }, t('modeler.diff.none')));
      return;
    }
    const counts = KINDS.map((k) => (diff[k].length ? t(`modeler.diff.count.${k}`, { n: diff[k].length }) : null))
      .filter(Boolean)
      .join('，');
    const row = (kind: Kind, entry: DiffEntry) => {
      const viewer = kind === 'removed' ? from : to;
      const changes = kind === 'changed' ? describeChanges(entry.attrs) : [];
      return h(
        'li',
        {
          class: `diff-row diff-row-${kind}`,
          'data-kind': kind,
          'data-element-id': entry.id,
          tabindex: 0,
          onclick: () => reveal(viewer, entry.id),
          onkeydown: (e: Event) => {
            if ((e as KeyboardEvent).key === 'Enter') reveal(viewer, entry.id);
          },
        },
        h('span', { class: `legend legend-${kind}` }, `${SIGN[kind]} ${t(`modeler.diff.${kind}`)}`),
        ' ',
        h('span', { class: 'diff-type' }, typeName(entry.type ?? typeOf(viewer, entry.id))),
        ' ',
        h('strong', { class: 'diff-name', 'data-testid': 'diff-element-name' }, labelOf(viewer, entry)),
        h('span', { class: 'diff-id' }, ` (${entry.id})`),
        changes.length
          ? h(
              'table',
              { class: 'diff-props' },
              h(
                'thead',
                null,
                h('tr', null, h('th', null, t('modeler.diff.property')), h('th', null, t('modeler.diff.old')), h('th', null, t('modeler.diff.new'))),
              ),
              h(
                'tbody',
                null,
                ...changes.map((c) =>
                  h(
                    'tr',
                    { class: 'diff-prop', 'data-property': c.property },
                    h('td', null, c.property),
                    h('td', { class: c.oldValue === null ? 'none' : 'old' }, c.oldValue === null ? t('modeler.diff.nothing') : nameOf(from, c.oldValue)),
                    h('td', { class: c.newValue === null ? 'none' : 'new' }, c.newValue === null ? t('modeler.diff.nothing') : nameOf(to, c.newValue)),
                  ),
                ),
              ),
            )
          : null,
      );
    };
    const moved = diff.layoutChanged;
    replace(
      list,
      h('p', { class: 'diff-summary', 'data-testid': 'diff-summary' }, counts),
      h('ul', { class: 'diff-changes' }, ...rows.filter((r) => r.kind !== 'layoutChanged').map((r) => row(r.kind, r.entry))),
      moved.length
        ? h(
            'details',
            { class: 'diff-moved' },
            h('summary', null, t('modeler.diff.count.layoutChanged', { n: moved.length })),
            h('ul', { class: 'diff-changes' }, ...moved.map((e) => row('layoutChanged', e))),
          )
        : null,
    );
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
    overlays.add(e.id, 'diff', {
      position: { top: -12, left: -12 },
      html: h('span', { class: `diff-badge diff-badge-${kind}`, title: t(`modeler.diff.${kind}`) }, SIGN[kind]),
    });
  }
}

function reveal(viewer: Viewer, id: string): void {
  const el = viewer.get('elementRegistry').get(id);
  if (el && id !== viewer.get('canvas').getRootElement().id) viewer.get('canvas').scrollToElement(el);
}

/** An element's name as the diagram shows it; a nameless flow by its ends (「受理」→「派遣」), else its id. */
function labelOf(viewer: Viewer, entry: DiffEntry): string {
  if (entry.name) return entry.name;
  const bo = (
    viewer.get('elementRegistry').get(entry.id) as
      { businessObject?: { name?: string; sourceRef?: { name?: string; id: string }; targetRef?: { name?: string; id: string } } } | undefined
  )?.businessObject;
  if (bo?.name) return bo.name;
  if (bo?.sourceRef && bo.targetRef) return `「${bo.sourceRef.name ?? bo.sourceRef.id}」→「${bo.targetRef.name ?? bo.targetRef.id}」`;
  return entry.id;
}

/** A value that is an element's id (a flow's ends, a default flow, a boundary event's host) shown by the element's name. */
function nameOf(viewer: Viewer, value: string): string {
  const name = (viewer.get('elementRegistry').get(value) as { businessObject?: { name?: string } } | undefined)?.businessObject?.name;
  return name ? `${name}（${value}）` : value;
}

function typeOf(viewer: Viewer, id: string): string {
  return (viewer.get('elementRegistry').get(id) as { businessObject?: { $type?: string } } | undefined)?.businessObject?.$type ?? '';
}
