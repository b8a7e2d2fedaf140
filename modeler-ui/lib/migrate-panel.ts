/**
 * 迁移运行中的案件 (issue 18): after a version is deployed, the running instances of the older versions can move
 * to it. Elements map by the same id in both versions (what Camunda's migration offers first); the preview says
 * per case whether it moves and, if not, why; the batch then runs on the server (persisted, carried on after a
 * restart) and its progress and result per case are shown as they come.
 */
import { api, errorText } from '../../web/shared/api.js';
import { h, replace } from '../../web/shared/dom.js';
import { t } from '../../web/shared/i18n.js';
import { adminApi } from './admin-api.js';

const BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
/** the element types an instance can be waiting in (the engine maps flow nodes, never flows or definitions) */
const FLOW_NODES = new Set([
  'startEvent',
  'endEvent',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'boundaryEvent',
  'task',
  'userTask',
  'serviceTask',
  'sendTask',
  'receiveTask',
  'scriptTask',
  'businessRuleTask',
  'manualTask',
  'callActivity',
  'subProcess',
  'transaction',
  'adHocSubProcess',
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'eventBasedGateway',
  'complexGateway',
]);
const POLL_MS = 500;

interface Target {
  processId: string;
  version: number;
  processDefinitionKey: string;
}
interface OpsProcess {
  bpmnProcessId: string;
  versions: Array<{ version: number; processDefinitionKey: string; runningInstances: number }>;
}
interface Refusal {
  elementId: string | null;
  reason: string;
}
interface PreviewItem {
  processInstanceKey: string;
  caseNo: string | null;
  migratable: boolean;
  moves: number;
  refusals: Refusal[];
}
interface Preview {
  total: number;
  migratable: number;
  refused: number;
  items: PreviewItem[];
}
interface BatchItem {
  processInstanceKey: string;
  caseNo: string | null;
  state: 'pending' | 'done' | 'failed';
  code?: string;
}
interface Batch {
  id: string;
  state: 'running' | 'finished';
  total: number;
  processed: number;
  failed: number;
  items: BatchItem[];
}
interface Plan {
  targetProcessDefinitionKey: string;
  mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>;
}

/** The flow nodes of a diagram: id → name (or id). */
function flowNodes(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const out = new Map<string, string>();
  for (const el of Array.from(doc.getElementsByTagNameNS(BPMN_NS, '*'))) {
    const id = el.getAttribute('id');
    if (id && FLOW_NODES.has(el.localName)) out.set(id, el.getAttribute('name') || id);
  }
  return out;
}

/** The engine's reason for a refusal, said in the page's language (the engine's own words stay in the tooltip). */
export function refusalText(r: Refusal, names: Map<string, string>): string {
  const name = r.elementId ? (names.get(r.elementId) ?? r.elementId) : '';
  const rules: Array<[RegExp, string]> = [
    [/has no mapping instruction/, 'migrate.why.unmapped'],
    [/element type must not change/, 'migrate.why.type'],
    [/waits for a .* and cannot become/, 'migrate.why.eventKind'],
    [/multi-instance|loop characteristics/, 'migrate.why.multiInstance'],
    [/flow scope/, 'migrate.why.scope'],
    [/converging gateway/, 'migrate.why.join'],
    [/event-based gateway/, 'migrate.why.eventGateway'],
    [/boundary event .* cannot be opened/, 'migrate.why.boundary'],
    [/does not exist/, 'migrate.why.missing'],
    [/mapped more than once/, 'migrate.why.twice'],
    [/only active instances migrate/, 'migrate.why.ended'],
    [/no deployed process definition/, 'migrate.why.noTarget'],
  ];
  const key = rules.find(([re]) => re.test(r.reason))?.[1] ?? 'migrate.why.other';
  return t(key, { name });
}

/** Why one instance of the batch did not move, from the API's code. */
function failedText(code: string | undefined): string {
  const key = `migrate.failed.${code ?? 'other'}`;
  const text = t(key);
  return text === key ? t('migrate.failed.other') : text;
}

export class MigratePanel {
  private polling: ReturnType<typeof setTimeout> | null = null;

  /** `mayMigrate`: administrators start a migration; auditors see the preview only */
  constructor(
    private readonly root: HTMLElement,
    private readonly mayMigrate: () => boolean = () => true,
  ) {}

  /** Shows the older versions with running instances, each with a preview button. */
  async show(target: Target): Promise<void> {
    this.stop();
    this.root.hidden = false;
    replace(this.root, h('h3', null, t('migrate.title', { version: target.version })), h('p', { class: 'muted' }, t('common.loading')));
    let sources: OpsProcess['versions'] = [];
    try {
      const found = (await api<OpsProcess[]>('/operations/processes')).find((p) => p.bpmnProcessId === target.processId);
      sources = (found?.versions ?? []).filter((v) => v.version !== target.version && v.runningInstances > 0).sort((a, b) => a.version - b.version);
    } catch (err) {
      replace(this.root, h('h3', null, t('migrate.title', { version: target.version })), h('p', { class: 'notice error' }, errorText(err)));
      return;
    }
    const detail = h('div', { class: 'migrate-detail' });
    replace(
      this.root,
      h(
        'div',
        { class: 'migrate-head' },
        h('h3', null, t('migrate.title', { version: target.version })),
        h('button', { type: 'button', 'data-testid': 'migrate-close', onclick: () => this.hide() }, t('common.close')),
      ),
      sources.length
        ? h(
            'ul',
            { class: 'migrate-sources' },
            ...sources.map((s) =>
              h(
                'li',
                { 'data-version': s.version },
                t('migrate.source', { version: s.version, count: s.runningInstances }),
                ' ',
                h(
                  'button',
                  { type: 'button', 'data-testid': 'migrate-preview', onclick: () => void this.preview(target, s.version, detail) },
                  t('migrate.preview', { version: target.version }),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted', 'data-testid': 'migrate-nothing' }, t('migrate.nothing')),
      detail,
    );
  }

  hide(): void {
    this.stop();
    this.root.hidden = true;
    this.root.replaceChildren();
  }

  private stop(): void {
    if (this.polling) clearTimeout(this.polling);
    this.polling = null;
  }

  private async preview(target: Target, from: number, into: HTMLElement): Promise<void> {
    this.stop();
    replace(into, h('p', { class: 'muted' }, t('common.loading')));
    const filter = { bpmnProcessId: target.processId, version: from };
    let plan: Plan;
    let names: Map<string, string>;
    let unmapped: string[];
    let preview: Preview;
    try {
      const [sourceXml, targetXml] = await Promise.all([adminApi.versionXml(target.processId, from), adminApi.versionXml(target.processId, target.version)]);
      names = flowNodes(sourceXml);
      const targetIds = flowNodes(targetXml);
      const common = [...names.keys()].filter((id) => targetIds.has(id));
      unmapped = [...names.keys()].filter((id) => !targetIds.has(id)).map((id) => names.get(id)!);
      plan = {
        targetProcessDefinitionKey: target.processDefinitionKey,
        mappingInstructions: common.map((id) => ({ sourceElementId: id, targetElementId: id })),
      };
      preview = await api<Preview>('/operations/migrations/preview', { method: 'POST', body: { plan, filter } });
    } catch (err) {
      replace(into, h('p', { class: 'notice error' }, errorText(err)));
      return;
    }
    const reason = h('input', {
      type: 'text',
      'data-testid': 'migrate-reason',
      maxlength: 500,
      'aria-label': t('migrate.reason'),
      placeholder: t('migrate.reasonHint'),
    });
    const error = h('p', { class: 'notice error', hidden: true });
    const progress = h('div', { class: 'migrate-progress', 'data-testid': 'migrate-progress', 'aria-live': 'polite' });
    const startButton = h(
      'button',
      { type: 'button', class: 'primary', 'data-testid': 'migrate-start', disabled: preview.migratable === 0 },
      t('migrate.start', { count: preview.migratable }),
    );
    startButton.addEventListener('click', () => {
      const why = reason.value.trim();
      if (!why) {
        error.textContent = t('migrate.reasonRequired');
        error.hidden = false;
        reason.focus();
        return;
      }
      error.hidden = true;
      startButton.disabled = true;
      void this.run(plan, filter, why, progress).finally(() => {
        startButton.disabled = false;
      });
    });
    replace(
      into,
      h(
        'p',
        { 'data-testid': 'migrate-summary' },
        t('migrate.summary', { from, to: target.version, total: preview.total, migratable: preview.migratable, refused: preview.refused }),
      ),
      h(
        'p',
        { class: 'muted small' },
        t('migrate.mapping', { count: plan.mappingInstructions.length }),
        unmapped.length ? ` ${t('migrate.unmappedList', { names: unmapped.join('、') })}` : '',
      ),
      h(
        'table',
        { class: 'migrate-table', 'data-testid': 'migrate-preview-table' },
        h('thead', null, h('tr', null, ...['case', 'instance', 'result', 'why'].map((c) => h('th', null, t(`migrate.col.${c}`))))),
        h(
          'tbody',
          null,
          ...preview.items.map((i) =>
            h(
              'tr',
              { 'data-instance': i.processInstanceKey, 'data-migratable': String(i.migratable) },
              h('td', null, i.caseNo ?? '—'),
              h('td', { class: 'mono' }, i.processInstanceKey),
              h(
                'td',
                null,
                h('span', { class: i.migratable ? 'tag ok' : 'tag refused' }, i.migratable ? t('migrate.moves', { count: i.moves }) : t('migrate.cannot')),
              ),
              h('td', null, ...i.refusals.map((r) => h('div', { class: 'refusal', title: r.reason }, refusalText(r, names)))),
            ),
          ),
        ),
      ),
      this.mayMigrate()
        ? h('div', { class: 'migrate-start' }, h('label', null, t('migrate.reason'), reason), startButton)
        : h('p', { class: 'muted', 'data-testid': 'migrate-read-only' }, t('migrate.readOnly')),
      error,
      progress,
    );
  }

  private async run(plan: Plan, filter: Record<string, unknown>, reason: string, into: HTMLElement): Promise<void> {
    let batch: Batch;
    try {
      batch = await api<Batch>('/operations/migrations', { method: 'POST', body: { plan, filter, reason } });
    } catch (err) {
      replace(into, h('p', { class: 'notice error' }, errorText(err)));
      return;
    }
    const bar = h('progress', { max: batch.total, value: batch.processed, 'data-testid': 'migrate-bar' });
    const text = h('span', { 'data-testid': 'migrate-count' });
    const body = h('tbody');
    replace(
      into,
      h('div', { class: 'migrate-bar' }, bar, ' ', text),
      h(
        'table',
        { class: 'migrate-table', 'data-testid': 'migrate-results' },
        h('thead', null, h('tr', null, ...['case', 'instance', 'state'].map((c) => h('th', null, t(`migrate.col.${c}`))))),
        body,
      ),
    );
    const draw = (b: Batch) => {
      bar.value = b.processed;
      text.textContent = t(b.state === 'finished' ? 'migrate.finished' : 'migrate.running', {
        processed: b.processed,
        total: b.total,
        failed: b.failed,
        done: b.processed - b.failed,
      });
      into.dataset['state'] = b.state;
      replace(
        body,
        ...b.items.map((i) =>
          h(
            'tr',
            { 'data-instance': i.processInstanceKey, 'data-state': i.state },
            h('td', null, i.caseNo ?? '—'),
            h('td', { class: 'mono' }, i.processInstanceKey),
            h('td', null, h('span', { class: `tag item-${i.state}` }, i.state === 'failed' ? failedText(i.code) : t(`migrate.item.${i.state}`))),
          ),
        ),
      );
    };
    draw(batch);
    await new Promise<void>((resolve) => {
      const poll = async () => {
        try {
          batch = await api<Batch>(`/operations/batches/${batch.id}`);
          draw(batch);
        } catch (err) {
          text.textContent = errorText(err);
        }
        if (batch.state === 'finished') {
          this.polling = null;
          resolve();
          return;
        }
        this.polling = setTimeout(() => void poll(), POLL_MS);
      };
      this.polling = setTimeout(() => void poll(), POLL_MS);
    });
  }
}
