/**
 * /modeler/: process administration for administrators (auditors may look and compare): the processes with
 * their versions, the Camunda 8 modeler with our element templates and live lint, drafts, deploy as a new
 * version, and the difference between two versions drawn on the diagrams.
 */
import './modeler.css';
import { ApiError, errorText } from '../web/shared/api.js';
import { h, replace } from '../web/shared/dom.js';
import { addMessages, formatDateTime, lang, t } from '../web/shared/i18n.js';
import { loginName, startPage } from '../web/shared/layout.js';
import { adminApi, type LintProblem, type ProcessSummary, type ProcessVersion } from './lib/admin-api.js';
import { DiffView } from './lib/diff-view.js';
import { downloadFile } from './lib/download.js';
import { acceptDrops, NotADiagram, readDiagramFile } from './lib/file-import.js';
import { LintPanel } from './lib/lint-panel.js';
import { messages } from './lib/messages.js';
import { MigratePanel } from './lib/migrate-panel.js';
import { newProcessXml, ProcessEditor } from './lib/process-editor.js';

addMessages({ zh: messages['zh-CN'], en: messages.en });

const PROCESS_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

interface Opened {
  processId: string;
  origin: 'draft' | 'version' | 'new' | 'file';
  version?: number;
  fileName?: string;
}

class ModelerPage {
  private readonly list = h('ul', { class: 'process-list', 'data-testid': 'process-list' });
  private readonly title = h('span', { class: 'editing-title', 'data-testid': 'editing-title' }, t('modeler.nothingOpen'));
  private readonly dirtyMark = h('span', { class: 'dirty', hidden: true }, t('modeler.unsaved'));
  private readonly message = h('p', { class: 'notice', 'data-testid': 'message', role: 'status', hidden: true });
  private readonly canvas = h('div', { class: 'canvas', 'data-testid': 'canvas' });
  private readonly properties = h('div', { class: 'properties' });
  private readonly lintRoot = h('section', { class: 'lint-panel', 'data-testid': 'lint-panel' });
  // hidden until a diagram is open: an empty canvas would invite drawing without a process behind it
  private readonly editorView = h('div', { class: 'editor-view', hidden: true }, h('div', { class: 'editor' }, this.canvas, this.properties), this.lintRoot);
  private readonly diffRoot = h('div');
  private readonly diffView = h(
    'section',
    { class: 'diff-view', 'data-testid': 'diff-view', hidden: true },
    h('button', { type: 'button', 'data-testid': 'diff-back', onclick: () => this.closeDiff() }, t('modeler.diff.back')),
    this.diffRoot,
  );
  private readonly actions: HTMLButtonElement[] = [];
  private editor!: ProcessEditor;
  private lint!: LintPanel;
  private readonly diff = new DiffView(this.diffRoot);
  private readonly migrateRoot = h('section', { class: 'migrate-panel', 'data-testid': 'migrate-panel', hidden: true });
  private readonly migrate = new MigratePanel(this.migrateRoot, () => this.canWrite);
  private readonly fileInput = h('input', { type: 'file', accept: '.bpmn,.xml,application/xml,text/xml', hidden: true, 'data-testid': 'file-input' });
  /** what the workspace shows while nothing is open: where a file can be dropped */
  private readonly dropHint = h('div', { class: 'drop-hint', 'data-testid': 'drop-zone' }, t('modeler.file.dropHint'));
  private opened: Opened | null = null;
  private dirty = false;
  private processes: ProcessSummary[] = [];
  private readonly expanded = new Set<string>();

  constructor(
    private readonly main: HTMLElement,
    private readonly canWrite: boolean,
  ) {}

  async start(): Promise<void> {
    const button = (testid: string, label: string, onclick: () => void, cls?: string) => {
      const b = h('button', { type: 'button', 'data-testid': testid, class: cls ?? null, disabled: true, onclick }, label);
      this.actions.push(b);
      return b;
    };
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
            h('h2', null, t('modeler.processes')),
            this.canWrite
              ? h('button', { type: 'button', class: 'primary', 'data-testid': 'new-process', onclick: () => this.newProcess() }, t('modeler.newProcess'))
              : null,
            h('button', { type: 'button', 'data-testid': 'refresh', onclick: () => void this.refresh() }, t('modeler.refresh')),
          ),
          this.list,
          h('p', null, h('a', { href: './forms.html' }, t('modeler.formsLink'))),
        ),
        h(
          'section',
          { class: 'workspace', 'data-testid': 'workspace' },
          h(
            'div',
            { class: 'toolbar' },
            this.title,
            this.dirtyMark,
            h('span', { class: 'spacer' }),
            h('button', { type: 'button', 'data-testid': 'open-file', onclick: () => this.fileInput.click() }, t('modeler.file.open')),
            this.fileInput,
            this.canWrite
              ? [
                  button('save-draft', t('modeler.saveDraft'), () => void this.saveDraft()),
                  button('delete-draft', t('modeler.deleteDraft'), () => void this.deleteDraft(), 'danger'),
                  button('deploy', t('modeler.deploy'), () => void this.deploy(), 'primary'),
                ]
              : null,
            button('download', t('modeler.downloadXml'), () => void this.download()),
          ),
          this.message,
          this.dropHint,
          this.editorView,
          this.diffView,
          this.migrateRoot,
        ),
      ),
    );
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = ''; // the same file again is a new choice
      if (file) void this.openFile(file);
    });
    acceptDrops(this.main.querySelector<HTMLElement>('.workspace')!, (file) => void this.openFile(file));
    const templates = await adminApi.elementTemplates().catch((err: unknown) => {
      this.say(errorText(err), 'error');
      return [];
    });
    this.editor = new ProcessEditor(this.canvas, this.properties, templates, lang() === 'zh-CN');
    this.lint = new LintPanel(this.lintRoot, this.editor);
    this.editor.onChange(() => {
      this.setDirty(true);
      this.lint.schedule();
    });
    window.addEventListener('beforeunload', (e) => {
      if (this.dirty) e.preventDefault();
    });
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    try {
      this.processes = await adminApi.processes();
    } catch (err) {
      replace(this.list, h('li', { class: 'notice error' }, errorText(err)));
      return;
    }
    if (!this.processes.length) replace(this.list, h('li', { class: 'muted' }, t('modeler.noProcesses')));
    else replace(this.list, ...this.processes.map((p) => this.processItem(p)));
  }

  private processItem(p: ProcessSummary): HTMLElement {
    const versions = h('div', { class: 'versions', hidden: !this.expanded.has(p.processId) });
    const item = h(
      'li',
      { class: 'process', 'data-process-id': p.processId },
      h(
        'button',
        {
          type: 'button',
          class: 'process-head',
          'data-testid': 'process-head',
          onclick: () => {
            if (this.expanded.has(p.processId)) {
              this.expanded.delete(p.processId);
              versions.hidden = true;
              return;
            }
            this.expanded.add(p.processId);
            versions.hidden = false;
            void this.loadVersions(p, versions);
          },
        },
        h('span', { class: 'process-name' }, p.name || p.processId),
        h(
          'span',
          { class: 'process-meta' },
          p.processId,
          p.latestVersion !== null ? h('span', { class: 'tag', 'data-testid': 'latest-version' }, `v${p.latestVersion}`) : null,
          p.hasDraft ? h('span', { class: 'tag draft' }, t('modeler.draft')) : null,
        ),
      ),
      versions,
    );
    if (this.expanded.has(p.processId)) void this.loadVersions(p, versions);
    return item;
  }

  private async loadVersions(p: ProcessSummary, into: HTMLElement): Promise<void> {
    replace(into, h('p', { class: 'muted' }, t('common.loading')));
    let versions: ProcessVersion[] = [];
    try {
      // a process with only a draft has no versions to list (the API answers 404 for it)
      if (p.versionCount > 0) versions = (await adminApi.versions(p.processId)).sort((a, b) => b.version - a.version);
    } catch (err) {
      replace(into, h('p', { class: 'notice error' }, errorText(err)));
      return;
    }
    const from = h(
      'select',
      { 'data-testid': 'diff-from', 'aria-label': t('modeler.diff.from') },
      ...versions.map((v) => h('option', { value: v.version }, `v${v.version}`)),
    );
    const to = h(
      'select',
      { 'data-testid': 'diff-to', 'aria-label': t('modeler.diff.to') },
      ...versions.map((v) => h('option', { value: v.version }, `v${v.version}`)),
    );
    if (versions[1]) from.value = String(versions[1].version);
    replace(
      into,
      p.hasDraft
        ? h(
            'div',
            { class: 'version draft-row' },
            h('span', null, t('modeler.draft')),
            h(
              'button',
              { type: 'button', 'data-testid': 'open-draft', onclick: () => void this.open({ processId: p.processId, origin: 'draft' }) },
              t('modeler.openDraft'),
            ),
          )
        : null,
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
              t('modeler.version', { version: v.version }),
              v.version === p.latestVersion ? h('span', { class: 'tag' }, t('modeler.latest')) : null,
            ),
            h('span', { class: 'version-meta' }, formatDateTime(v.deployedAt), v.deployedBy ? [' · ', loginName(v.deployedBy)] : null),
            h(
              'button',
              {
                type: 'button',
                'data-testid': 'open-version',
                onclick: () => void this.open({ processId: p.processId, origin: 'version', version: v.version }),
              },
              t('modeler.open'),
            ),
            // auditors open it too: the preview writes nothing, only administrators start a migration
            v.version === p.latestVersion && versions.length > 1
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    'data-testid': 'migrate-to-latest',
                    onclick: () => void this.migrate.show({ processId: p.processId, version: v.version, processDefinitionKey: v.processDefinitionKey }),
                  },
                  t('migrate.open'),
                )
              : null,
          ),
        ),
      ),
      versions.length > 1
        ? h(
            'div',
            { class: 'diff-controls' },
            h('span', null, t('modeler.diff.title')),
            from,
            '→',
            to,
            h(
              'button',
              { type: 'button', 'data-testid': 'diff-button', onclick: () => void this.showDiff(p.processId, Number(from.value), Number(to.value)) },
              t('modeler.diff.show'),
            ),
          )
        : h('p', { class: 'muted small' }, t('modeler.diff.needTwo')),
    );
  }

  private confirmDiscard(): boolean {
    return !this.dirty || confirm(t('modeler.confirmDiscard'));
  }

  private async open(target: Opened, xml?: string): Promise<void> {
    if (!this.confirmDiscard()) return;
    this.closeDiff();
    this.editorView.hidden = false;
    this.dropHint.hidden = true;
    try {
      const source =
        xml ?? (target.origin === 'draft' ? await adminApi.draft(target.processId) : await adminApi.versionXml(target.processId, target.version ?? 'latest'));
      await this.editor.open(source);
    } catch (err) {
      this.say(t('modeler.importFailed', { message: errorText(err) }), 'error');
      this.editorView.hidden = !this.opened;
      this.dropHint.hidden = !!this.opened;
      return;
    }
    if (target.origin === 'file') target.processId = this.editor.processId() ?? '';
    this.opened = target;
    this.setDirty(target.origin === 'new' || target.origin === 'file');
    this.showTitle();
    for (const b of this.actions) b.disabled = false;
    this.updateActions();
    this.say('', 'info');
    await this.lint.run();
  }

  private showTitle(): void {
    const o = this.opened;
    if (!o) return;
    const key =
      o.origin === 'draft'
        ? 'modeler.editingDraft'
        : o.origin === 'new'
          ? 'modeler.editingNew'
          : o.origin === 'file'
            ? 'modeler.editingFile'
            : 'modeler.editingVersion';
    this.title.textContent = t(key, { processId: o.processId, version: o.version ?? '', file: o.fileName ?? '' });
    this.title.dataset['processId'] = o.processId;
  }

  private setDirty(dirty: boolean): void {
    this.dirty = dirty;
    this.dirtyMark.hidden = !dirty;
  }

  private updateActions(): void {
    const del = this.actions.find((b) => b.dataset['testid'] === 'delete-draft');
    if (del) del.disabled = !this.processes.find((p) => p.processId === this.opened?.processId)?.hasDraft;
  }

  /** The process id the diagram declares now (an admin may rename it in the properties panel). */
  private currentProcessId(): string | null {
    const id = this.editor.processId();
    if (!id) this.say(t('modeler.noProcessInXml'), 'error');
    return id;
  }

  private async saveDraft(): Promise<void> {
    const processId = this.currentProcessId();
    if (!processId) return;
    await this.busy(async () => {
      await adminApi.saveDraft(processId, await this.editor.xml());
      this.opened = { processId, origin: 'draft' };
      this.setDirty(false);
      this.showTitle();
      this.say(t('modeler.saved'), 'ok');
      await this.refresh();
      this.updateActions();
    });
  }

  private async deleteDraft(): Promise<void> {
    const processId = this.opened?.processId;
    if (!processId || !confirm(t('modeler.confirmDeleteDraft', { processId }))) return;
    await this.busy(async () => {
      await adminApi.deleteDraft(processId);
      this.say(t('modeler.draftDeleted'), 'ok');
      await this.refresh();
      this.updateActions();
    });
  }

  private async deploy(): Promise<void> {
    const processId = this.currentProcessId();
    if (!processId) return;
    await this.busy(async () => {
      try {
        const deployed = await adminApi.deploy(await this.editor.xml());
        this.opened = { processId: deployed.processId, origin: 'version', version: deployed.version };
        this.setDirty(false);
        this.showTitle();
        this.say(
          t(deployed.isNew === false ? 'modeler.deployUnchanged' : 'modeler.deployed', { processId: deployed.processId, version: deployed.version }),
          'ok',
        );
        this.expanded.add(deployed.processId);
        await this.refresh();
        this.updateActions();
        // a new version: the running cases of the older ones may move to it
        if (deployed.isNew !== false && deployed.version > 1)
          await this.migrate.show({ processId: deployed.processId, version: deployed.version, processDefinitionKey: deployed.processDefinitionKey });
      } catch (err) {
        const problems =
          err instanceof ApiError && err.code === 'lint_failed' ? (err.details as { problems?: LintProblem[] } | undefined)?.problems : undefined;
        if (!problems) throw err;
        this.lint.show(problems);
        this.say(t('modeler.deployRefused'), 'error');
      }
    });
  }

  /** A .bpmn from the file button or a drop: checked first, then opened as an unsaved diagram under its own process id. */
  private async openFile(file: File): Promise<void> {
    let xml: string;
    try {
      xml = await readDiagramFile(file);
    } catch (err) {
      this.say(err instanceof NotADiagram ? err.message : t('modeler.file.unreadable', { name: file.name }), 'error');
      return;
    }
    await this.open({ processId: '', origin: 'file', fileName: file.name }, xml);
    if (this.opened?.origin === 'file' && this.opened.fileName === file.name)
      this.say(t('modeler.file.opened', { name: file.name, processId: this.opened.processId }), 'ok');
  }

  /** Export: the diagram as it is now in the editor (unsaved edits included), as `<process id>.bpmn`. */
  private async download(): Promise<void> {
    downloadFile(`${this.editor.processId() ?? 'diagram'}.bpmn`, await this.editor.xml(), 'application/xml');
  }

  private newProcess(): void {
    const id = h('input', { type: 'text', name: 'processId', 'data-testid': 'new-process-id', required: true, autocomplete: 'off' });
    const name = h('input', { type: 'text', name: 'name', 'data-testid': 'new-process-name', autocomplete: 'off' });
    const error = h('p', { class: 'notice error', hidden: true });
    const dialog = h('dialog', { class: 'new-process-dialog', 'data-testid': 'new-process-dialog' });
    const form = h(
      'form',
      {
        method: 'dialog',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const processId = id.value.trim();
          const problem = !PROCESS_ID.test(processId)
            ? t('modeler.new.badId')
            : this.processes.some((p) => p.processId === processId)
              ? t('modeler.new.exists', { processId })
              : null;
          if (problem) {
            error.textContent = problem;
            error.hidden = false;
            return;
          }
          dialog.close();
          dialog.remove();
          const label = name.value.trim() || processId;
          void this.open({ processId, origin: 'new' }, newProcessXml(processId, label, t('modeler.new.start'), t('modeler.new.end')));
        },
      },
      h('h3', null, t('modeler.new.title')),
      h('label', null, t('modeler.new.id'), id),
      h('label', null, t('modeler.new.name'), name),
      error,
      h(
        'div',
        { class: 'dialog-buttons' },
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              dialog.close();
              dialog.remove();
            },
          },
          t('modeler.new.cancel'),
        ),
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'new-process-create' }, t('modeler.new.create')),
      ),
    );
    dialog.append(form);
    document.body.append(dialog);
    dialog.showModal();
    id.focus();
  }

  private async showDiff(processId: string, from: number, to: number): Promise<void> {
    await this.busy(async () => {
      const [diff, fromXml, toXml] = await Promise.all([
        adminApi.diff(processId, from, to),
        adminApi.versionXml(processId, from),
        adminApi.versionXml(processId, to),
      ]);
      this.editorView.hidden = true;
      this.diffView.hidden = false;
      await this.diff.show({ processId, from, to, fromXml, toXml, diff });
    });
  }

  private closeDiff(): void {
    if (this.diffView.hidden) return;
    this.diff.clear();
    this.diffView.hidden = true;
    this.editorView.hidden = !this.opened;
  }

  /** Runs an action with the buttons disabled; a failure is shown in the message line. */
  private async busy(action: () => Promise<void>): Promise<void> {
    const before = this.actions.map((b) => b.disabled);
    for (const b of this.actions) b.disabled = true;
    try {
      await action();
    } catch (err) {
      this.say(errorText(err), 'error');
    } finally {
      this.actions.forEach((b, i) => {
        b.disabled = before[i] ?? false;
      });
      if (this.opened) this.updateActions();
    }
  }

  private say(text: string, kind: 'ok' | 'error' | 'info'): void {
    this.message.textContent = text;
    this.message.className = `notice ${kind}`;
    this.message.dataset['kind'] = kind;
    this.message.hidden = !text;
  }
}

const frame = startPage('modeler', { wide: true });
if (frame?.user) void new ModelerPage(frame.main, frame.user.role === 'admin').start();
