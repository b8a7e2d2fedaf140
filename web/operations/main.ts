/**
 * 流程运维 (issue 18), for administrators (act) and auditors (read): the processes with their running
 * instances and open incidents, the diagram with the figures per element as Operate shows them, the
 * filtered instance list, an instance's incidents and the repairs — retry, set variables and retry,
 * cancel — each with a required reason; batch retry or cancel over the current filter, with progress.
 */
import './messages.js';
import './operations.css';
import { api, apiText, type User } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { errorBox, loadInto, startPage } from '../shared/layout.js';
import { showStatistics, type ElementStatistics } from './diagram.js';

interface Version {
  version: number;
  processDefinitionKey: string;
  runningInstances: number;
  openIncidents: number;
}
interface Process {
  bpmnProcessId: string;
  runningInstances: number;
  openIncidents: number;
  versions: Version[];
}
interface Instance {
  processInstanceKey: string;
  bpmnProcessId: string;
  version: number;
  state: string;
  startedAt: string;
  openIncidents: number;
  case: { caseNo: string } | null;
}
interface Incident {
  incidentKey: string;
  elementId: string;
  errorType: string;
  errorMessage: string;
  jobKey: string | null;
  jobRetries: number | null;
}
interface OpsAction {
  auditId: string;
  action: string;
  actor: string;
  actorRole: string | null;
  at: string;
  reason: string | null;
  batchId: string | null;
  hash: string;
}
interface BatchSummary {
  id: string;
  action: string;
  actor: string;
  reason: string;
  state: string;
  total: number;
  processed: number;
  failed: number;
  createdAt: string;
}
interface Batch {
  id: string;
  action: string;
  state: string;
  total: number;
  processed: number;
  failed: number;
  items: Array<{ processInstanceKey: string; caseNo: string | null; state: string; message?: string }>;
}

const INCIDENT_TYPES = ['JOB_NO_RETRIES', 'CONDITION_ERROR', 'EXTRACT_VALUE_ERROR', 'IO_MAPPING_ERROR', 'CALLED_ELEMENT_ERROR', 'UNHANDLED_ERROR_EVENT'];
const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false });

function start(main: HTMLElement, user: User): void {
  const mayAct = user.role === 'admin';
  const filter: Record<string, string> = {};
  let diagram: { destroy(): void } | null = null;
  /** the instance the detail shows: a refresh or a slow answer for another one must not replace it */
  let current: string | null = null;

  const processList = h('ul', { class: 'op-processes', 'data-testid': 'processes' });
  const diagramBox = h('div', { class: 'op-diagram', 'data-testid': 'diagram' });
  const diagramNote = h('p', { class: 'muted' }, t('op.pickProcess'));
  const field = (label: string, control: HTMLElement) => h('label', null, label, control);
  const select = (id: string, options: Array<[string, string]>) =>
    h(
      'select',
      { id, name: id },
      h('option', { value: '' }, t('op.any')),
      options.map(([v, l]) => h('option', { value: v }, l)),
    );
  const stateSel = select(
    'state',
    ['ACTIVE', 'INCIDENT', 'COMPLETED', 'TERMINATED'].map((s) => [s, t(`op.state.${s}`)]),
  );
  const typeSel = select(
    'incidentType',
    INCIDENT_TYPES.map((s) => [s, s]),
  );
  const elementIn = h('input', { id: 'elementId', name: 'elementId', maxlength: 255 });
  const caseIn = h('input', { id: 'caseNo', name: 'caseNo', maxlength: 32 });
  const fromIn = h('input', { id: 'startedFrom', type: 'date' });
  const toIn = h('input', { id: 'startedTo', type: 'date' });
  const form = h(
    'form',
    { class: 'op-filter', 'data-testid': 'instance-filter' },
    field(t('op.state'), stateSel),
    field(t('op.incidentType'), typeSel),
    field(t('op.element'), elementIn),
    field(t('op.caseNo'), caseIn),
    field(t('op.from'), fromIn),
    field(t('op.to'), toIn),
    h('button', { type: 'submit' }, t('op.apply')),
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          form.reset();
          void search();
        },
      },
      t('op.reset'),
    ),
  );
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'op-table', 'data-testid': 'instances' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['key', 'process', 'case', 'state', 'started', 'incidents'].map((c) => h('th', null, t(`op.col.${c}`))),
      ),
    ),
    tbody,
  );
  const more = h('button', { type: 'button', hidden: true }, t('op.more'));
  const listNote = h('p', { class: 'muted' });
  const detail = h('section', { class: 'op-detail', 'data-testid': 'instance-detail', hidden: true });
  const batchBox = h('section', { class: 'op-batch', 'data-testid': 'batch' });
  const batchList = h('section', { class: 'op-batch', 'data-testid': 'batches' });

  replace(
    main,
    h(
      'div',
      { class: 'op-layout' },
      h('aside', null, h('h2', null, t('op.processes')), processList),
      h(
        'div',
        null,
        h('h2', null, t('op.diagram')),
        diagramNote,
        diagramBox,
        h('h2', null, t('op.filter')),
        form,
        table,
        listNote,
        more,
        detail,
        batchBox,
        batchList,
      ),
    ),
  );

  const query = (after?: string) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
    const add = (k: string, v: string) => {
      if (v.trim()) q.set(k, v.trim());
    };
    add('state', stateSel.value);
    add('incidentType', typeSel.value);
    add('elementId', elementIn.value);
    add('caseNo', caseIn.value);
    if (fromIn.value) q.set('startedFrom', new Date(`${fromIn.value}T00:00:00`).toISOString());
    if (toIn.value) q.set('startedTo', new Date(`${toIn.value}T00:00:00`).toISOString());
    if (after) q.set('after', after);
    return q;
  };
  const filterBody = () => {
    const q = query();
    const f: Record<string, string | number> = {};
    for (const [k, v] of q) f[k] = k === 'version' ? Number(v) : v;
    delete f['state'];
    return f;
  };

  const row = (i: Instance) =>
    h(
      'tr',
      { 'data-instance': i.processInstanceKey, onclick: () => void openInstance(i.processInstanceKey) },
      h('td', null, i.processInstanceKey),
      h('td', null, `${i.bpmnProcessId} v${i.version}`),
      h('td', null, i.case?.caseNo ?? '—'),
      h('td', { class: `op-state-${i.state}` }, t(`op.state.${i.state}`)),
      h('td', null, when(i.startedAt)),
      h('td', { class: i.openIncidents ? 'op-has-incident' : null }, String(i.openIncidents)),
    );

  async function search(after?: string): Promise<void> {
    const page = await api<{ items: Instance[]; next: string | null }>(`/operations/instances?${query(after)}`);
    if (!after) tbody.replaceChildren();
    for (const i of page.items) tbody.append(row(i));
    listNote.textContent = tbody.children.length ? '' : t('op.none');
    more.hidden = !page.next;
    more.onclick = () => void search(page.next!).catch((err) => listNote.replaceChildren(errorBox(err)));
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void search().catch((err) => listNote.replaceChildren(errorBox(err)));
  });

  async function showDefinition(p: Process, v: Version | null): Promise<void> {
    filter['bpmnProcessId'] = p.bpmnProcessId;
    if (v) filter['version'] = String(v.version);
    else delete filter['version'];
    const shown = v ?? p.versions[p.versions.length - 1]!;
    diagram?.destroy();
    diagramBox.replaceChildren();
    diagramNote.textContent = `${p.bpmnProcessId} · ${t('op.version', { v: shown.version })}`;
    const [xml, stats] = await Promise.all([
      apiText(`/operations/definitions/${shown.processDefinitionKey}/xml`),
      api<ElementStatistics[]>(`/operations/definitions/${shown.processDefinitionKey}/statistics`),
    ]);
    diagram = await showStatistics(diagramBox, xml, stats, (elementId) => {
      elementIn.value = elementId ?? '';
      void search();
    });
    await search();
  }

  const reasonBox = () => h('textarea', { required: true, maxlength: 500, 'data-testid': 'reason', placeholder: t('op.reason'), 'aria-label': t('op.reason') });
  const reasonOf = (box: HTMLTextAreaElement) => {
    if (!box.value.trim()) {
      box.reportValidity();
      return null;
    }
    return box.value.trim();
  };

  async function act(note: HTMLElement, what: string, call: () => Promise<unknown>, key: string): Promise<void> {
    try {
      await call();
      note.replaceChildren(h('p', { class: 'notice', role: 'status', 'data-testid': 'action-done' }, t('op.done', { what })));
      await refresh(key);
    } catch (err) {
      note.replaceChildren(errorBox(err));
    }
  }

  async function openInstance(key: string): Promise<void> {
    current = key;
    for (const tr of tbody.querySelectorAll('tr')) tr.classList.toggle('selected', tr.dataset['instance'] === key);
    detail.hidden = false;
    await loadInto(detail, async () => {
      const inst = await api<Instance & { incidents: Incident[]; actions: OpsAction[] }>(`/operations/instances/${key}`);
      if (current !== key) return;
      const note = h('div');
      const incidents = inst.incidents.map((inc) => {
        const reason = reasonBox();
        const vars = h('textarea', { 'data-testid': 'variables', placeholder: t('op.variables'), 'aria-label': t('op.variables') });
        const actions = mayAct
          ? h(
              'div',
              { class: 'op-actions' },
              reason,
              h(
                'div',
                { class: 'op-buttons' },
                h(
                  'button',
                  {
                    type: 'button',
                    'data-testid': 'retry',
                    onclick: () => {
                      const r = reasonOf(reason);
                      if (r)
                        void act(
                          note,
                          t('op.retry'),
                          () => api(`/operations/incidents/${inc.incidentKey}/retry`, { method: 'POST', body: { reason: r } }),
                          key,
                        );
                    },
                  },
                  t('op.retry'),
                ),
              ),
              vars,
              h(
                'div',
                { class: 'op-buttons' },
                h(
                  'button',
                  {
                    type: 'button',
                    'data-testid': 'set-variables',
                    onclick: () => {
                      const r = reasonOf(reason);
                      if (!r) return;
                      let variables: unknown;
                      try {
                        variables = JSON.parse(vars.value);
                      } catch {
                        variables = null;
                      }
                      if (!variables || typeof variables !== 'object' || Array.isArray(variables)) {
                        note.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, t('op.badJson')));
                        return;
                      }
                      void act(
                        note,
                        t('op.setVariables'),
                        () => api(`/operations/incidents/${inc.incidentKey}/variables`, { method: 'POST', body: { reason: r, variables } }),
                        key,
                      );
                    },
                  },
                  t('op.setVariables'),
                ),
              ),
            )
          : null;
        return h(
          'tr',
          { 'data-incident': inc.incidentKey },
          h('td', null, inc.errorType),
          h('td', null, inc.elementId),
          h('td', { 'data-testid': 'error-message' }, inc.errorMessage),
          h('td', null, inc.jobKey ?? '—'),
          h('td', null, inc.jobRetries === null ? '—' : String(inc.jobRetries)),
          h('td', null, actions),
        );
      });
      const cancelReason = reasonBox();
      const cancel =
        mayAct && inst.state === 'ACTIVE'
          ? h(
              'div',
              { class: 'op-actions' },
              cancelReason,
              h(
                'div',
                { class: 'op-buttons' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'danger',
                    'data-testid': 'cancel',
                    onclick: () => {
                      const r = reasonOf(cancelReason);
                      if (r && confirm(t('op.cancelConfirm')))
                        void act(note, t('op.cancel'), () => api(`/operations/instances/${key}/cancel`, { method: 'POST', body: { reason: r } }), key);
                    },
                  },
                  t('op.cancel'),
                ),
              ),
            )
          : null;
      replace(
        detail,
        h('h3', null, t('op.instance', { key }), ' · ', t(`op.state.${inst.state}`), inst.case ? ` · ${inst.case.caseNo}` : ''),
        inst.incidents.length
          ? h(
              'table',
              { class: 'op-table', 'data-testid': 'incidents' },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  ['type', 'element', 'message', 'job', 'retries'].map((c) => h('th', null, t(`op.inc.${c}`))),
                  h('th'),
                ),
              ),
              h('tbody', null, incidents),
            )
          : h('p', { class: 'muted', 'data-testid': 'no-incidents' }, t('op.noIncidents')),
        mayAct ? null : h('p', { class: 'muted' }, t('op.readOnly')),
        cancel,
        note,
        actionTrail(inst.actions),
      );
    });
  }

  /** who did what to the instance and why, as the audit chain records it (the record's hash on hover) */
  function actionTrail(actions: OpsAction[]): HTMLElement {
    if (!actions.length) return h('p', { class: 'muted', 'data-testid': 'no-actions' }, t('op.noActions'));
    return h(
      'div',
      null,
      h('h4', null, t('op.actions')),
      h(
        'table',
        { class: 'op-table', 'data-testid': 'actions' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['at', 'who', 'what', 'why', 'batch'].map((c) => h('th', null, t(`op.act.${c}`))),
          ),
        ),
        h(
          'tbody',
          null,
          actions.map((a) =>
            h(
              'tr',
              { 'data-audit': a.auditId, title: t('op.act.hash', { hash: a.hash }) },
              h('td', null, when(a.at)),
              h('td', { 'data-testid': 'action-actor', translate: 'no' }, a.actorRole ? `${a.actor}（${t(`role.${a.actorRole}`)}）` : a.actor),
              h('td', { 'data-testid': 'action-what' }, t(`op.action.${a.action}`)),
              h('td', { 'data-testid': 'action-reason', translate: 'no' }, a.reason ?? '—'),
              h('td', null, a.batchId ? a.batchId.slice(0, 8) : '—'),
            ),
          ),
        ),
      ),
    );
  }

  /** the latest batches, for everyone who reads the page: what was done in bulk, by whom and why */
  async function loadBatches(): Promise<void> {
    const batches = await api<BatchSummary[]>('/operations/batches?limit=20');
    replace(
      batchList,
      h('h3', null, t('op.batches')),
      batches.length
        ? h(
            'table',
            { class: 'op-table' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['at', 'what', 'who', 'why', 'progress'].map((c) => h('th', null, t(`op.bat.${c}`))),
              ),
            ),
            h(
              'tbody',
              null,
              batches.map((b) =>
                h(
                  'tr',
                  { 'data-batch': b.id, 'data-state': b.state },
                  h('td', null, when(b.createdAt)),
                  h('td', null, t(`op.batch.${b.action}`)),
                  h('td', { 'data-testid': 'batch-actor', translate: 'no' }, b.actor),
                  h('td', { 'data-testid': 'batch-reason', translate: 'no' }, b.reason),
                  h('td', null, t(b.state === 'finished' ? 'op.bat.finished' : 'op.bat.running', { processed: b.processed, total: b.total, failed: b.failed })),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('op.noBatches')),
    );
  }

  /** after an action: the list, the figures and the instance again (the engine moves on in its own time) */
  async function refresh(key: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all([search(), loadProcesses(false)]);
    if (current !== key) return; // the user opened another instance meanwhile
    const note = detail.querySelector('[data-testid=action-done]')?.cloneNode(true);
    await openInstance(key);
    if (note && current === key) detail.append(note);
  }

  function batchControls(): void {
    if (!mayAct) {
      batchBox.hidden = true;
      return;
    }
    const reason = reasonBox();
    const progress = h('p', { 'data-testid': 'batch-progress', 'aria-live': 'polite' });
    const run = (action: 'retry' | 'cancel') => {
      const r = reasonOf(reason);
      if (!r) return;
      if (action === 'cancel' && !confirm(t('op.cancelConfirm'))) return;
      void (async () => {
        try {
          let b = await api<Batch>('/operations/batches', { method: 'POST', body: { action, reason: r, filter: filterBody() } });
          const show = () => {
            progress.textContent = t('op.batchProgress', { action: t(`op.batch.${action}`), processed: b.processed, total: b.total, failed: b.failed });
          };
          show();
          while (b.state !== 'finished') {
            await new Promise((res) => setTimeout(res, 500));
            b = await api<Batch>(`/operations/batches/${b.id}`);
            show();
          }
          progress.dataset['state'] = 'finished';
          await Promise.all([search(), loadProcesses(false), loadBatches()]);
        } catch (err) {
          progress.replaceChildren(errorBox(err));
        }
      })();
    };
    replace(
      batchBox,
      h('h3', null, t('op.batch')),
      reason,
      h(
        'div',
        { class: 'op-buttons' },
        h('button', { type: 'button', 'data-testid': 'batch-retry', onclick: () => run('retry') }, t('op.batchRetry')),
        h('button', { type: 'button', class: 'danger', 'data-testid': 'batch-cancel', onclick: () => run('cancel') }, t('op.batchCancel')),
      ),
      progress,
    );
  }

  async function loadProcesses(redraw = true): Promise<void> {
    const processes = await api<Process[]>('/operations/processes');
    processList.replaceChildren(
      ...processes.map((p) =>
        h(
          'li',
          { 'data-process': p.bpmnProcessId },
          h(
            'button',
            {
              type: 'button',
              class: filter['bpmnProcessId'] === p.bpmnProcessId ? 'active' : null,
              onclick: () => void showDefinition(p, null).catch((err) => diagramNote.replaceChildren(errorBox(err))),
            },
            h('span', null, p.bpmnProcessId),
            h(
              'span',
              null,
              h('span', null, String(p.runningInstances)),
              ' / ',
              h('span', { class: p.openIncidents ? 'op-count-incidents' : null, 'data-testid': `incidents-of-${p.bpmnProcessId}` }, String(p.openIncidents)),
            ),
          ),
          h(
            'div',
            { class: 'op-versions' },
            p.versions.map((v) =>
              h(
                'button',
                { type: 'button', class: 'link', onclick: () => void showDefinition(p, v).catch((err) => diagramNote.replaceChildren(errorBox(err))) },
                `${t('op.version', { v: v.version })} · ${t('op.running', { n: v.runningInstances })} · ${t('op.incidents', { n: v.openIncidents })}`,
              ),
            ),
          ),
        ),
      ),
    );
    if (redraw) await search();
  }

  batchControls();
  void loadInto(listNote, () => loadProcesses());
  void loadInto(batchList, () => loadBatches());
}

const frame = startPage('operations', { wide: true });
if (frame) start(frame.main, frame.user!);
