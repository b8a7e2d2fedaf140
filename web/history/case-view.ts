/**
 * One case's history for auditors: the story first (案件经过: who did what when, durations, deadlines met
 * or missed), then the case, the audit chain's state, CSV exports, what people and the system did (处理记录,
 * in words), the process diagram with the executed path (switchable to the processes it called), the
 * element panel (every run of the clicked element with its variables) and — collapsed, on demand — the
 * engine's full timeline of element events, variable changes and notifications. Names stand where the
 * records hold ids (people, units, process elements); times are local.
 */
import { ApiError, api, apiObjectUrl, apiText, type User } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { errorBox, lightBadge, statusBadge } from '../shared/layout.js';
import { decisionView, isDecisionEvaluation } from './decision.js';
import { showDiagram, type DiagramView } from './diagram.js';
import { instancesOf, type InstanceInfo } from './instances.js';
import { storyView, whoText } from './story.js';
import type { CaseHistory, ChainStatus, DecisionEvaluation, ElementEntry, HistoryNames, TimelineEntry, VariablesEntry } from './types.js';

const CHAIN_READERS = ['admin', 'auditor'];

/** Downloads a file behind the bearer token (a plain link cannot send it). */
async function download(path: string, fileName: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const url = await apiObjectUrl(path);
    const a = h('a', { href: url, download: fileName });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    button.after(errorBox(err));
  } finally {
    button.disabled = false;
  }
}

function chainBox(user: User): HTMLElement {
  const box = h('p', { class: 'notice chain', 'data-testid': 'chain-status', 'data-chain': 'checking' }, t('hi.chain.checking'));
  if (!CHAIN_READERS.includes(user.role)) {
    box.dataset['chain'] = 'na';
    box.textContent = t('hi.chain.na');
    return box;
  }
  api<ChainStatus>('/audit/verify').then(
    (s) => {
      box.dataset['chain'] = s.ok ? 'ok' : 'broken';
      box.classList.add(s.ok ? 'ok' : 'error');
      box.textContent = s.ok
        ? t('hi.chain.ok', { n: s.checked })
        : t('hi.chain.broken', { id: s.firstBroken?.id ?? '?', reason: s.firstBroken?.reason ?? '', n: s.checked });
    },
    (err: unknown) => {
      box.dataset['chain'] = 'error';
      box.classList.add('error');
      box.textContent = err instanceof Error ? err.message : String(err);
    },
  );
  return box;
}

function exportsBox(user: User, history: CaseHistory): HTMLElement {
  const caseButton = h('button', { type: 'button', 'data-testid': 'export-case' }, t('hi.export.case'));
  caseButton.addEventListener(
    'click',
    () => void download(`/cases/${encodeURIComponent(history.case.id)}/history.csv`, `case-${history.case.caseNo}-history.csv`, caseButton),
  );
  // the local day the case was reported (the date inputs are local days, as the page's times are)
  const created = new Date(history.case.createdAt);
  const day = `${created.getFullYear()}-${String(created.getMonth() + 1).padStart(2, '0')}-${String(created.getDate()).padStart(2, '0')}`;
  const from = h('input', { type: 'date', id: 'audit-from', value: day });
  const to = h('input', { type: 'date', id: 'audit-to' });
  const auditButton = h('button', { type: 'button', 'data-testid': 'export-audit' }, t('hi.export.audit'));
  auditButton.addEventListener('click', () => {
    const q = new URLSearchParams();
    if (from.value) q.set('from', from.value);
    if (to.value) q.set('to', to.value);
    void download(`/audit/log.csv${q.size ? `?${q.toString()}` : ''}`, 'audit-log.csv', auditButton);
  });
  return h(
    'div',
    { class: 'exports' },
    h('strong', null, t('hi.export')),
    caseButton,
    CHAIN_READERS.includes(user.role)
      ? h(
          'span',
          { class: 'audit-export' },
          h('label', { for: 'audit-from' }, t('hi.export.from')),
          from,
          h('label', { for: 'audit-to' }, t('hi.export.to')),
          to,
          auditButton,
        )
      : null,
  );
}

function caseFacts(history: CaseHistory): HTMLElement {
  const c = history.case;
  const row = (label: string, value: Node | string) => [h('dt', null, label), h('dd', null, value)];
  return h(
    'dl',
    { class: 'fields' },
    row(t('hi.description'), c.description),
    row(t('hi.address'), c.address ?? '—'),
    row(t('hi.eventType'), [c.eventTypeCode, c.category].filter(Boolean).join(' · ') || '—'),
    row(t('hi.unit'), c.unitCode ? (history.names.units[c.unitCode] ?? c.unitCode) : '—'),
    row(t('hi.created'), formatDateTime(c.createdAt)),
    row(t('hi.due'), formatDateTime(c.dueAt)),
    row(t('hi.closed'), formatDateTime(c.closedAt)),
    row(t('hi.escalation'), String(c.escalationLevel)),
  );
}

const json = (v: unknown) => JSON.stringify(v, null, 2);
/** an instant as the engine and the records keep it (UTC); shown in local time like every other time on the page */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function variableValue(v: unknown): HTMLElement {
  if (typeof v === 'string' && ISO_INSTANT.test(v)) return h('time', { datetime: v, title: v }, formatDateTime(v));
  return h('code', null, typeof v === 'string' ? v : json(v));
}

function variablesTable(vars: Record<string, unknown>): HTMLElement {
  return h(
    'table',
    { class: 'vars' },
    h(
      'tbody',
      null,
      Object.entries(vars).map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, variableValue(v)))),
    ),
  );
}

/** An element by its name in the diagram, its id beside it for those who look it up. */
function elementLabel(names: HistoryNames, processId: string | null, elementId: string): Node[] {
  const name = (processId ? names.elements[processId]?.[elementId] : null) ?? null;
  return name ? [document.createTextNode(name), h('span', { class: 'id-hint' }, elementId)] : [document.createTextNode(elementId)];
}

const actionLabel = (code: string) => {
  const text = t(`hi.action.${code}`);
  return text === `hi.action.${code}` ? code : text;
};

/** Every run of one element in one instance: when it started and ended, and the variables it set. */
function elementPanel(box: HTMLElement, history: CaseHistory, instance: InstanceInfo, elementId: string): void {
  const events = history.timeline.filter(
    (e): e is ElementEntry => e.kind === 'element' && e.processInstanceKey === instance.processInstanceKey && e.elementId === elementId,
  );
  const vars = history.timeline.filter(
    (e): e is VariablesEntry => e.kind === 'variables' && e.processInstanceKey === instance.processInstanceKey && e.elementId === elementId,
  );
  const runs = new Map<string, { events: ElementEntry[]; vars: VariablesEntry[] }>();
  for (const e of events) {
    const key = e.elementInstanceKey ?? e.at;
    const run = runs.get(key) ?? { events: [], vars: [] };
    run.events.push(e);
    runs.set(key, run);
  }
  for (const v of vars) {
    const key = v.elementInstanceKey ?? v.at;
    const run = runs.get(key) ?? { events: [], vars: [] };
    run.vars.push(v);
    runs.set(key, run);
  }
  const name = instance.bpmnProcessId ? history.names.elements[instance.bpmnProcessId]?.[elementId] : null;
  replace(
    box,
    h('h3', null, t('hi.element'), ' ', name ? `${name} ` : null, h('code', { 'data-testid': 'element-id' }, elementId)),
    runs.size === 0
      ? h('p', { class: 'muted' }, t('hi.element.none'))
      : [...runs].map(([key, run]) =>
          h(
            'section',
            { class: 'element-run', 'data-element-instance': key },
            h('h4', null, t('hi.element.instance', { key })),
            h(
              'ul',
              { class: 'plain' },
              run.events.map((e) => h('li', null, h('span', { class: 'when' }, formatDateTime(e.at)), ' ', t(`hi.intent.${e.intent}`))),
            ),
            run.events
              .filter((e) => e.intent === 'DECISION_EVALUATED' && isDecisionEvaluation(e.detail))
              .map((e) => decisionView(e.detail as unknown as DecisionEvaluation)),
            h('div', { class: 'muted' }, t('hi.element.vars')),
            run.vars.length
              ? run.vars.map((v) => h('div', { class: 'var-step' }, h('span', { class: 'when' }, formatDateTime(v.at)), variablesTable(v.variables)))
              : h('p', { class: 'muted' }, t('hi.element.novars')),
          ),
        ),
  );
}

function describe(e: TimelineEntry, history: CaseHistory): { what: Node[] | string; who: string | null; detail: unknown } {
  const names = history.names;
  const processOf = (instanceKey: string) =>
    history.timeline.find((x): x is ElementEntry => x.kind === 'element' && x.processInstanceKey === instanceKey)?.bpmnProcessId ?? null;
  switch (e.kind) {
    case 'element': {
      const type = e.elementType ? t(`hi.type.${e.elementType}`) : '';
      return {
        what: [
          ...elementLabel(names, e.bpmnProcessId, e.elementId),
          document.createTextNode(` · ${t(`hi.intent.${e.intent}`)}${type && !type.startsWith('hi.type.') ? `（${type}）` : ''}`),
        ],
        who: e.bpmnProcessId ? (names.elements[e.bpmnProcessId]?.[e.bpmnProcessId] ?? e.bpmnProcessId) : null,
        detail: e.detail,
      };
    }
    case 'variables':
      return { what: elementLabel(names, processOf(e.processInstanceKey), e.elementId), who: null, detail: e.variables };
    case 'action':
      return { what: actionLabel(e.action), who: whoText(names, e.actor, e.actorRole), detail: e.detail };
    case 'notification':
      return {
        what: t('hi.notify', { channel: t(`hi.channel.${e.channel}`), recipient: e.recipient }),
        who: t(`hi.sent.${e.status}`),
        detail: { subject: e.subject, body: e.body, sentAt: e.sentAt },
      };
  }
}

/** 处理记录: what people and the system did, in words, oldest first; each record's detail on demand. */
function actionsView(history: CaseHistory): HTMLElement {
  const actions = history.timeline.filter((e): e is Extract<TimelineEntry, { kind: 'action' }> => e.kind === 'action');
  return h(
    'section',
    { class: 'panel' },
    h('h2', null, t('hi.actions'), ' ', h('span', { class: 'muted' }, t('hi.count.records', { n: actions.length }))),
    h(
      'ol',
      { class: 'timeline actions-list', 'data-testid': 'actions' },
      actions.map((a) => {
        const elementId = typeof a.detail?.['elementId'] === 'string' ? a.detail['elementId'] : null;
        const mainProcess = history.diagram.bpmnProcessId;
        const element = elementId
          ? (Object.values(history.names.elements)
              .map((m) => m[elementId])
              .find(Boolean) ??
            (mainProcess ? history.names.elements[mainProcess]?.[elementId] : null) ??
            elementId)
          : null;
        return h(
          'li',
          { class: 'done', 'data-action': a.action },
          h(
            'div',
            null,
            h('strong', null, actionLabel(a.action)),
            element ? ` · ${element}` : null,
            h('span', { class: 'who' }, ` · ${whoText(history.names, a.actor, a.actorRole)}`),
          ),
          h('div', { class: 'when' }, formatDateTime(a.at)),
          a.detail && Object.keys(a.detail).length ? h('details', null, h('summary', null, t('hi.detail')), variablesTable(a.detail)) : null,
        );
      }),
    ),
  );
}

/** `locate(instanceKey, elementId)`: shows an element of the timeline on the diagram. */
function timelineView(history: CaseHistory, locate: (instanceKey: string, elementId: string) => void): HTMLElement {
  const list = fullTimeline(history, locate);
  // collapsed: engine detail is for those who look for it, drawn only when opened (a long case has hundreds of rows)
  const box = h(
    'details',
    { class: 'panel engine-detail', 'data-testid': 'engine-detail' },
    h('summary', null, t('hi.timeline'), ' ', h('span', { class: 'muted' }, t('hi.count.records', { n: history.timeline.length }))),
  );
  let drawn = false;
  box.addEventListener('toggle', () => {
    if (!box.open || drawn) return;
    drawn = true;
    box.append(...list());
  });
  return box;
}

function fullTimeline(history: CaseHistory, locate: (instanceKey: string, elementId: string) => void): () => HTMLElement[] {
  const kinds = ['element', 'action', 'variables', 'notification'] as const;
  const shown = new Set<string>(kinds);
  const list = h('ol', { class: 'timeline full', 'data-testid': 'timeline' });
  const draw = () =>
    replace(
      list,
      history.timeline
        .filter((e) => shown.has(e.kind))
        .map((e) => {
          const d = describe(e, history);
          const hasDetail = d.detail !== null && d.detail !== undefined && !(typeof d.detail === 'object' && Object.keys(d.detail as object).length === 0);
          return h(
            'li',
            {
              class: `done kind-${e.kind}`,
              'data-kind': e.kind,
              'data-element': e.kind === 'element' || e.kind === 'variables' ? e.elementId : null,
              'data-action': e.kind === 'action' ? e.action : null,
            },
            h(
              'div',
              null,
              h('span', { class: 'kind' }, t(`hi.kind.${e.kind}`)),
              ' ',
              h('strong', null, d.what),
              d.who ? h('span', { class: 'muted' }, ` · ${d.who}`) : null,
              (e.kind === 'element' && e.elementType !== 'process') || e.kind === 'variables'
                ? [
                    ' ',
                    h(
                      'button',
                      { type: 'button', class: 'link locate', 'data-locate': e.elementId, onclick: () => locate(e.processInstanceKey, e.elementId) },
                      t('hi.locate'),
                    ),
                  ]
                : null,
            ),
            h('div', { class: 'when' }, formatDateTime(e.at)),
            hasDetail
              ? e.kind === 'variables'
                ? variablesTable(e.variables)
                : e.kind === 'element' && e.intent === 'DECISION_EVALUATED' && isDecisionEvaluation(e.detail)
                  ? decisionView(e.detail)
                  : h('details', null, h('summary', null, '…'), h('pre', null, json(d.detail)))
              : null,
          );
        }),
    );
  const toggles = h(
    'div',
    { class: 'kind-toggles' },
    h('span', null, t('hi.timeline.filter')),
    kinds.map((k) => {
      const box = h('input', { type: 'checkbox', checked: true, 'data-kind-toggle': k });
      box.addEventListener('change', () => {
        if (box.checked) shown.add(k);
        else shown.delete(k);
        draw();
      });
      return h('label', { class: 'check' }, box, t(`hi.kind.${k}`));
    }),
  );
  return () => {
    draw();
    return [toggles, list];
  };
}

/** Shows the case's history in `container`. */
export async function caseView(container: HTMLElement, user: User, caseId: string, back: () => void): Promise<void> {
  const history = await api<CaseHistory>(`/cases/${encodeURIComponent(caseId)}/history`);
  const c = history.case;
  const instances = instancesOf(history);
  const canvas = h('div', { class: 'bpmn-canvas', 'data-testid': 'diagram' });
  const elementBox = h('div', { class: 'element-panel', 'data-testid': 'element-panel' }, h('p', { class: 'muted' }, t('hi.element.pick')));
  const diagramTitle = h('span', { class: 'muted', 'data-testid': 'diagram-title' });
  let view: DiagramView | null = null;
  let current: InstanceInfo | null = null;

  const xmlOf = async (i: InstanceInfo): Promise<string | null> => {
    if (i.main) return apiText(`/cases/${encodeURIComponent(c.id)}/diagram`);
    if (!i.bpmnProcessId || i.version === null) return null;
    return apiText(`/admin/processes/${encodeURIComponent(i.bpmnProcessId)}/versions/${i.version}/xml`);
  };
  const show = async (i: InstanceInfo) => {
    view?.destroy();
    view = null;
    current = i;
    canvas.dataset['instance'] = i.processInstanceKey;
    delete canvas.dataset['ready'];
    replace(canvas);
    replace(elementBox, h('p', { class: 'muted' }, t('hi.element.pick')));
    const processName = i.bpmnProcessId ? (history.names.elements[i.bpmnProcessId]?.[i.bpmnProcessId] ?? i.bpmnProcessId) : '?';
    diagramTitle.textContent = `${processName}${i.version !== null ? ` · ${t('hi.diagram.version', { v: i.version })}` : ''}`;
    let xml: string | null;
    try {
      xml = await xmlOf(i);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) xml = null;
      else {
        replace(canvas, errorBox(err));
        return;
      }
    }
    if (!xml) {
      replace(canvas, h('p', { class: 'notice' }, t('hi.diagram.none')));
      return;
    }
    try {
      view = await showDiagram(canvas, xml, i.highlights, (elementId) => elementPanel(elementBox, history, i, elementId));
      canvas.dataset['ready'] = 'true';
    } catch (err) {
      replace(canvas, errorBox(err));
    }
  };

  const switcher =
    instances.length > 1
      ? h(
          'select',
          { id: 'instance', 'data-testid': 'instance-switch', 'aria-label': t('hi.diagram.switch') },
          instances.map((i) =>
            h(
              'option',
              { value: i.processInstanceKey },
              `${i.main ? t('hi.diagram.main') : t('hi.diagram.called')}: ${(i.bpmnProcessId ? history.names.elements[i.bpmnProcessId]?.[i.bpmnProcessId] : null) ?? i.bpmnProcessId ?? '?'} · ${formatDateTime(i.startedAt)}`,
            ),
          ),
        )
      : null;
  switcher?.addEventListener('change', () => {
    const next = instances.find((i) => i.processInstanceKey === switcher.value);
    if (next && next !== current) void show(next);
  });
  const expand = h('button', { type: 'button', 'data-testid': 'diagram-expand', 'aria-pressed': 'false' }, t('hi.diagram.expand'));
  const legend = h(
    'div',
    { class: 'legend' },
    h('span', { class: 'lg lg-completed' }, t('hi.legend.completed')),
    h('span', { class: 'lg lg-active' }, t('hi.legend.active')),
    h('span', { class: 'lg lg-incident' }, t('hi.legend.incident')),
    h('span', { class: 'lg lg-flow' }, t('hi.legend.flow')),
  );

  const diagramPanel = h(
    'section',
    { class: 'panel diagram-panel' },
    h('div', { class: 'diagram-head' }, h('h2', null, t('hi.diagram')), diagramTitle, switcher, legend, expand),
    h('div', { class: 'diagram-layout' }, canvas, elementBox),
  );
  expand.addEventListener('click', () => {
    const on = diagramPanel.classList.toggle('expanded');
    expand.setAttribute('aria-pressed', String(on));
    expand.textContent = t(on ? 'hi.diagram.shrink' : 'hi.diagram.expand');
    if (current) void show(current);
  });
  replace(
    container,
    h('p', null, h('button', { type: 'button', class: 'link', 'data-testid': 'back', onclick: back }, `← ${t('hi.back')}`)),
    h(
      'div',
      { class: 'case-head' },
      h('h1', { 'data-testid': 'case-no' }, t('hi.case', { caseNo: c.caseNo })),
      statusBadge(c.status),
      lightBadge(c.warningLight),
    ),
    storyView(history),
    h('section', { class: 'panel' }, caseFacts(history)),
    chainBox(user),
    exportsBox(user, history),
    actionsView(history),
    diagramPanel,
    timelineView(history, (instanceKey, elementId) => void locate(instanceKey, elementId)),
  );
  const locate = async (instanceKey: string, elementId: string) => {
    const target = instances.find((i) => i.processInstanceKey === instanceKey);
    if (target && target !== current) {
      if (switcher) switcher.value = target.processInstanceKey;
      await show(target);
    }
    if (!view || !current) return;
    view.select(elementId);
    elementPanel(elementBox, history, current, elementId);
    canvas.scrollIntoView({ block: 'center' });
  };
  const main = instances.find((i) => i.main);
  if (main) await show(main);
  else if (history.diagram.processDefinitionKey) {
    await show({
      processInstanceKey: '',
      bpmnProcessId: history.diagram.bpmnProcessId,
      version: history.diagram.version,
      processDefinitionKey: history.diagram.processDefinitionKey,
      parentInstanceKey: null,
      startedAt: c.createdAt,
      main: true,
      highlights: history.highlights,
    });
  } else replace(canvas, h('p', { class: 'notice' }, t('hi.diagram.none')));
}
