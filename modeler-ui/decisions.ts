/**
 * /modeler/decisions.html (issue 15): the DMN decision tables the processes' business-rule tasks call, with their
 * versions; the dmn-js editor (decision requirements diagram, decision tables, literal expressions); live lint
 * (the engine's own DMN check, as the deploy runs it); deploy as a new version; new table, open and export a
 * `.dmn` file as Camunda Modeler writes it. Administrators write; auditors open, lint and export.
 */
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css';
import './modeler.css';
import DmnModeler, { type DmnView } from 'dmn-js/lib/Modeler';
import { ApiError, errorText } from '../web/shared/api.js';
import { h, replace } from '../web/shared/dom.js';
import { addMessages, formatDateTime, lang, t } from '../web/shared/i18n.js';
import { loginName, startPage } from '../web/shared/layout.js';
import { adminApi, type DecisionFileSummary, type DecisionFileVersion, type LintProblem } from './lib/admin-api.js';
import { downloadFile } from './lib/download.js';
import { acceptDrops, NotADiagram, readDmnFile } from './lib/file-import.js';
import { messages } from './lib/messages.js';
import { DMN_DOM_ZH, zhDmnTranslateModule } from './lib/zh-translate-dmn.js';
import { translateDom } from '../web/shared/dom-translate.js';

addMessages({ zh: messages['zh-CN'], en: messages.en });

const DRG_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,190}$/;
const LINT_DEBOUNCE_MS = 500;

interface Opened {
  drgId: string;
  version: number | null;
  fileName?: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** A new DMN file: one decision table (FIRST, one input, one output, no rules yet), as Camunda Modeler starts one. */
function newDmn(drgId: string, name: string): string {
  const decisionId = `${drgId.replace(/-drg$/, '')}-decision`.replace(/[^A-Za-z0-9_.-]/g, '-');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="${escapeXml(drgId)}" name="${escapeXml(name)}" namespace="http://camunda.org/schema/1.0/dmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <decision id="${escapeXml(decisionId)}" name="${escapeXml(name)}">
    <decisionTable id="${escapeXml(decisionId)}-table" hitPolicy="FIRST">
      <input id="${escapeXml(decisionId)}-input" label="${escapeXml(t('decisions.new.input'))}">
        <inputExpression id="${escapeXml(decisionId)}-input-expression" typeRef="string"><text></text></inputExpression>
      </input>
      <output id="${escapeXml(decisionId)}-output" label="${escapeXml(t('decisions.new.output'))}" name="result" typeRef="string" />
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="${escapeXml(drgId)}-diagram">
      <dmndi:DMNShape id="${escapeXml(decisionId)}_di" dmnElementRef="${escapeXml(decisionId)}">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
}

/** The definitions id of a DMN file's XML (what it is deployed under). */
function definitionsIdOf(xml: string): string | null {
  const root = new DOMParser().parseFromString(xml, 'application/xml').documentElement;
  return root?.localName === 'definitions' ? root.getAttribute('id') : null;
}

/**
 * What the table holds is data, not wording: the rules' cells (FEEL unary tests and outputs) and the columns' type
 * or value lists (`string`, `"photo","open311"`) are marked `translate="no"`, now and whenever dmn-js draws them.
 */
const DATA_CELLS = 'td.input-cell, td.output-cell, .input-variable, .output-variable, .literal-expression .content-editable';
function markData(root: HTMLElement): void {
  const mark = () => root.querySelectorAll(`${DATA_CELLS}`).forEach((el) => el.getAttribute('translate') === 'no' || el.setAttribute('translate', 'no'));
  new MutationObserver(mark).observe(root, { childList: true, subtree: true });
  mark();
}

class DecisionsPage {
  private readonly list = h('ul', { class: 'process-list', 'data-testid': 'decision-list' });
  private readonly title = h('span', { class: 'editing-title', 'data-testid': 'editing-title' }, t('decisions.nothingOpen'));
  private readonly dirtyMark = h('span', { class: 'dirty', hidden: true, 'data-testid': 'dirty' }, t('modeler.unsaved'));
  private readonly message = h('div', { class: 'notice', 'data-testid': 'message', role: 'status', hidden: true });
  private readonly views = h('span', { class: 'tabs', role: 'tablist', 'data-testid': 'views' });
  private readonly editorHost = h('div', { class: 'dmn-editor-host', 'data-testid': 'dmn-editor' });
  private readonly lintSummary = h('span', { class: 'lint-summary', 'data-testid': 'lint-summary' });
  private readonly lintBody = h('tbody');
  private readonly deployButton = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'deploy', disabled: true, onclick: () => void this.deploy() },
    t('decisions.deploy'),
  );
  private readonly exportButton = h(
    'button',
    { type: 'button', 'data-testid': 'export', disabled: true, onclick: () => void this.exportFile() },
    t('decisions.file.export'),
  );
  private readonly fileInput = h('input', { type: 'file', accept: '.dmn,.xml,application/xml', hidden: true, 'data-testid': 'file-input' });
  // per view: dmn-js gives each view only its own `additionalModules` (a `common` list would be overwritten)
  private readonly modeler = new DmnModeler({
    container: this.editorHost,
    ...Object.fromEntries(
      ['drd', 'decisionTable', 'literalExpression', 'boxedExpression'].map((view) => [
        view,
        { additionalModules: lang() === 'zh-CN' ? [zhDmnTranslateModule] : [] },
      ]),
    ),
  });
  private opened: Opened | null = null;
  private dirty = false;
  private files: DecisionFileSummary[] = [];
  private readonly expanded = new Set<string>();
  private lintTimer: ReturnType<typeof setTimeout> | null = null;
  private lintSequence = 0;
  /** while an import runs, the editor's change events are not edits */
  private importing = false;

  constructor(
    private readonly main: HTMLElement,
    private readonly canWrite: boolean,
  ) {}

  async start(): Promise<void> {
    if (lang() === 'zh-CN') translateDom(this.editorHost, DMN_DOM_ZH);
    markData(this.editorHost);
    replace(
      this.main,
      h(
        'div',
        { class: 'modeler-page' },
        h(
          'aside',
          { class: 'sidebar' },
          h(
            'div',
            { class: 'sidebar-head' },
            h('h2', null, t('decisions.list')),
            this.canWrite ? h('button', { type: 'button', 'data-testid': 'new-decision', onclick: () => this.newDecision() }, t('decisions.new')) : null,
            h('button', { type: 'button', 'data-testid': 'refresh', onclick: () => void this.refresh() }, t('modeler.refresh')),
          ),
          this.list,
          h('p', null, h('a', { href: './' }, t('decisions.modelerLink'))),
        ),
        h(
          'section',
          { class: 'workspace' },
          h(
            'div',
            { class: 'toolbar' },
            this.title,
            this.dirtyMark,
            h('span', { class: 'spacer' }),
            this.views,
            h('button', { type: 'button', 'data-testid': 'open-file', onclick: () => this.fileInput.click() }, t('decisions.file.open')),
            this.fileInput,
            this.exportButton,
            this.canWrite ? this.deployButton : null,
          ),
          this.message,
          h('p', { class: 'muted small' }, t('decisions.file.dropHint')),
          this.editorHost,
          h(
            'section',
            { class: 'lint-panel', 'data-testid': 'lint-panel' },
            h('div', { class: 'lint-head' }, h('h3', null, t('decisions.lint.title')), this.lintSummary),
            h('table', { class: 'lint-table' }, this.lintBody),
          ),
        ),
      ),
    );
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = '';
      if (file) void this.openFile(file);
    });
    acceptDrops(this.main.querySelector<HTMLElement>('.workspace')!, (file) => void this.openFile(file));
    // every view (DRD, table, literal expression) has its own command stack: listen on the one shown
    this.modeler.on('views.changed', () => this.onViewsChanged());
    window.addEventListener('beforeunload', (e) => {
      if (this.dirty) e.preventDefault();
    });
    await this.refresh();
  }

  private readonly watched = new WeakSet<object>();

  private onViewsChanged(): void {
    const viewer = this.modeler.getActiveViewer();
    if (viewer && !this.watched.has(viewer)) {
      this.watched.add(viewer);
      viewer.on('elements.changed', () => {
        if (this.importing || !this.opened) return;
        this.setDirty(true);
        this.scheduleLint();
      });
    }
    this.drawViews();
  }

  /** One tab per view: the requirements diagram and each decision's table or expression. */
  private drawViews(): void {
    const active = this.modeler.getActiveView();
    const views = this.opened ? this.modeler.getViews() : [];
    const label = (v: DmnView) => (v.type === 'drd' ? t('decisions.drd') : (v.element.name ?? v.element.id));
    replace(
      this.views,
      views.map((v) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            'aria-selected': String(active?.id === v.id && active?.type === v.type),
            'data-view': v.type === 'drd' ? 'drd' : v.element.id,
            onclick: () => void this.modeler.open(v),
          },
          label(v),
        ),
      ),
    );
  }

  private async refresh(): Promise<void> {
    try {
      this.files = await adminApi.decisionFiles();
    } catch (err) {
      replace(this.list, h('li', { class: 'notice error' }, errorText(err)));
      return;
    }
    if (!this.files.length) replace(this.list, h('li', { class: 'muted' }, t('decisions.none')));
    else replace(this.list, ...this.files.map((f) => this.fileItem(f)));
  }

  private fileItem(f: DecisionFileSummary): HTMLElement {
    const versions = h('div', { class: 'versions', hidden: !this.expanded.has(f.drgId) });
    const item = h(
      'li',
      { class: 'process', 'data-drg-id': f.drgId },
      h(
        'button',
        {
          type: 'button',
          class: 'process-head',
          'data-testid': 'decision-head',
          onclick: () => {
            if (this.expanded.has(f.drgId)) {
              this.expanded.delete(f.drgId);
              versions.hidden = true;
              return;
            }
            this.expanded.add(f.drgId);
            versions.hidden = false;
            void this.loadVersions(f, versions);
          },
        },
        h('span', { class: 'process-name' }, f.name ?? f.drgId, f.name ? h('span', { class: 'id-hint', translate: 'no' }, f.drgId) : null),
        h('span', { class: 'process-meta' }, h('span', { class: 'tag', 'data-testid': 'latest-version' }, `v${f.latestVersion}`), formatDateTime(f.deployedAt)),
      ),
      versions,
    );
    if (this.expanded.has(f.drgId)) void this.loadVersions(f, versions);
    return item;
  }

  private async loadVersions(f: DecisionFileSummary, into: HTMLElement): Promise<void> {
    replace(into, h('p', { class: 'muted' }, t('common.loading')));
    let versions: DecisionFileVersion[];
    try {
      versions = await adminApi.decisionVersions(f.drgId);
    } catch (err) {
      replace(into, h('p', { class: 'notice error' }, errorText(err)));
      return;
    }
    replace(
      into,
      h('p', { class: 'muted small', translate: 'no' }, t('decisions.decisions', { ids: f.decisionIds.join('、') })),
      h(
        'ul',
        { class: 'version-list' },
        ...versions.map((v) =>
          h(
            'li',
            { class: 'version', 'data-version': v.version },
            h(
              'span',
              { class: 'version-label' },
              t('decisions.version', { version: v.version }),
              v.version === f.latestVersion ? h('span', { class: 'tag' }, t('modeler.latest')) : null,
            ),
            h('span', { class: 'version-meta' }, formatDateTime(v.deployedAt), v.deployedBy ? [' · ', loginName(v.deployedBy)] : null),
            h('button', { type: 'button', 'data-testid': 'open-version', onclick: () => void this.open(f.drgId, v.version) }, t('decisions.open')),
          ),
        ),
      ),
    );
  }

  private async open(drgId: string, version: number | null, xml?: string, fileName?: string): Promise<void> {
    if (this.dirty && !confirm(t('decisions.confirmDiscard'))) return;
    this.importing = true;
    try {
      const source = xml ?? (await adminApi.decisionXml(drgId, version ?? 'latest'));
      await this.modeler.importXML(source);
    } catch (err) {
      this.say(t('decisions.importFailed', { message: errorText(err) }), 'error');
      return;
    } finally {
      this.importing = false;
    }
    this.opened = { drgId, version, ...(fileName ? { fileName } : {}) };
    this.setDirty(version === null);
    this.title.textContent = fileName
      ? t('decisions.editingFile', { drgId, file: fileName })
      : version === null
        ? t('decisions.editingNew', { drgId })
        : t('decisions.editing', { drgId, version });
    this.title.dataset['drgId'] = drgId;
    this.exportButton.disabled = false;
    this.deployButton.disabled = false;
    this.onViewsChanged();
    // a table is what an administrator edits: open the first decision's rather than the diagram
    const first = this.modeler.getViews().find((v) => v.type === 'decisionTable');
    if (first) await this.modeler.open(first);
    this.say('', 'info');
    await this.lint();
  }

  private async openFile(file: File): Promise<void> {
    let xml: string;
    try {
      xml = await readDmnFile(file);
    } catch (err) {
      this.say(err instanceof NotADiagram ? err.message : errorText(err), 'error');
      return;
    }
    const drgId = definitionsIdOf(xml) ?? 'decisions';
    await this.open(drgId, null, xml, file.name);
    if (this.opened?.fileName === file.name) this.say(t('decisions.file.opened', { name: file.name, drgId }), 'ok');
  }

  private async xml(): Promise<string> {
    return (await this.modeler.saveXML({ format: true })).xml;
  }

  private async exportFile(): Promise<void> {
    const xml = await this.xml();
    downloadFile(`${definitionsIdOf(xml) ?? this.opened?.drgId ?? 'decisions'}.dmn`, xml, 'application/xml');
  }

  private setDirty(dirty: boolean): void {
    this.dirty = dirty;
    this.dirtyMark.hidden = !dirty;
  }

  private scheduleLint(): void {
    if (this.lintTimer) clearTimeout(this.lintTimer);
    this.lintTimer = setTimeout(() => {
      this.lintTimer = null;
      void this.lint();
    }, LINT_DEBOUNCE_MS);
  }

  private async lint(): Promise<void> {
    const mine = ++this.lintSequence;
    this.lintSummary.textContent = t('decisions.lint.running');
    this.lintSummary.dataset['state'] = 'running';
    try {
      const { problems } = await adminApi.lintDecision(await this.xml());
      if (mine === this.lintSequence) this.showProblems(problems);
    } catch (err) {
      if (mine !== this.lintSequence) return;
      this.lintSummary.textContent = t('decisions.lint.failed', { message: errorText(err) });
      this.lintSummary.dataset['state'] = 'failed';
    }
  }

  /** The problems of the live lint or of a refused deploy; the engine's own messages are kept as it words them. */
  private showProblems(problems: LintProblem[]): void {
    this.lintSequence++;
    const errors = problems.filter((p) => p.severity === 'error').length;
    this.lintSummary.textContent = problems.length ? t('decisions.lint.count', { errors, warnings: problems.length - errors }) : t('decisions.lint.none');
    this.lintSummary.dataset['state'] = errors ? 'errors' : problems.length ? 'warnings' : 'clean';
    const worded = (p: LintProblem) =>
      lang() === 'zh-CN' && p.rule === 'label-required' ? t(/name/.test(p.message) ? 'decisions.lint.missingName' : 'decisions.lint.missingLabel') : p.message;
    replace(
      this.lintBody,
      ...[...problems]
        .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
        .map((p) =>
          h(
            'tr',
            { class: `lint-problem lint-${p.severity}`, 'data-element-id': p.elementId ?? '', 'data-rule': p.rule },
            h('td', null, h('span', { class: `severity severity-${p.severity}` }, t(`decisions.lint.${p.severity}`))),
            h('td', { translate: 'no' }, p.elementId ?? ''),
            h('td', { translate: p.rule === 'label-required' ? null : 'no' }, worded(p)),
          ),
        ),
    );
  }

  private async deploy(): Promise<void> {
    const opened = this.opened;
    if (!opened) return;
    this.deployButton.disabled = true;
    try {
      const xml = await this.xml();
      const drgId = definitionsIdOf(xml) ?? opened.drgId;
      if (!DRG_ID.test(drgId)) throw new Error(t('decisions.new.badId'));
      const deployed = await adminApi.deployDecision(drgId, xml);
      this.opened = { drgId, version: deployed.version };
      this.setDirty(false);
      this.title.textContent = t('decisions.editing', { drgId, version: deployed.version });
      this.title.dataset['drgId'] = drgId;
      this.say(t(deployed.isNew ? 'decisions.deployed' : 'decisions.deployUnchanged', { drgId, version: deployed.version }), 'ok');
      this.showProblems(deployed.problems);
      this.expanded.add(drgId);
      await this.refresh();
    } catch (err) {
      const problems = err instanceof ApiError ? (err.details as { errors?: LintProblem[] } | undefined)?.errors : undefined;
      if (Array.isArray(problems) && problems.length) {
        this.say(t('decisions.deployRefused'), 'error');
        this.showProblems(problems);
      } else {
        this.say(errorText(err), 'error');
      }
    } finally {
      this.deployButton.disabled = false;
    }
  }

  private newDecision(): void {
    const id = h('input', { type: 'text', name: 'drgId', 'data-testid': 'new-decision-id', required: true, autocomplete: 'off' });
    const name = h('input', { type: 'text', name: 'name', 'data-testid': 'new-decision-name', required: true, autocomplete: 'off' });
    const error = h('p', { class: 'notice error', hidden: true });
    const dialog = h('dialog', { class: 'new-process-dialog', 'data-testid': 'new-decision-dialog' });
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    dialog.append(
      h(
        'form',
        {
          method: 'dialog',
          onsubmit: (e: Event) => {
            e.preventDefault();
            const drgId = id.value.trim();
            const problem = !DRG_ID.test(drgId)
              ? t('decisions.new.badId')
              : this.files.some((f) => f.drgId === drgId)
                ? t('decisions.new.exists', { drgId })
                : null;
            if (problem) {
              error.textContent = problem;
              error.hidden = false;
              return;
            }
            close();
            void this.open(drgId, null, newDmn(drgId, name.value.trim() || drgId));
          },
        },
        h('h3', null, t('decisions.new')),
        h('label', null, t('decisions.new.id'), id),
        h('label', null, t('decisions.new.name'), name),
        error,
        h(
          'div',
          { class: 'dialog-buttons' },
          h('button', { type: 'button', onclick: close }, t('modeler.new.cancel')),
          h('button', { type: 'submit', class: 'primary', 'data-testid': 'new-decision-create' }, t('modeler.new.create')),
        ),
      ),
    );
    document.body.append(dialog);
    dialog.showModal();
    id.focus();
  }

  private say(text: string, kind: 'ok' | 'error' | 'info'): void {
    this.message.textContent = text;
    this.message.className = `notice ${kind}`;
    this.message.dataset['kind'] = kind;
    this.message.hidden = !text;
  }
}

const frame = startPage('decisions', { wide: true });
if (frame?.user) void new DecisionsPage(frame.main, frame.user.role === 'admin').start();
