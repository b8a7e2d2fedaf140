/**
 * /modeler/forms.html: the task forms (form-js JSON) with their versions, the form-js editor, a preview in
 * the form viewer the task list uses, and deploy as a new version (the server validates the schema).
 */
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js/dist/assets/properties-panel.css';
import './modeler.css';
import { Form, FormEditor } from '@bpmn-io/form-js';
import { ApiError, errorText } from '../web/shared/api.js';
import { h, replace } from '../web/shared/dom.js';
import { addMessages, formatDateTime, lang, t } from '../web/shared/i18n.js';
import { translateDom } from '../web/shared/dom-translate.js';
import { FORM_EDITOR_ZH, FORM_VIEWER_ZH, formValidationZh } from '../web/shared/form-js-zh.js';
import { loginName, startPage } from '../web/shared/layout.js';
import { adminApi, type FormSchema, type FormSummary, type FormVersion } from './lib/admin-api.js';
import { downloadFile } from './lib/download.js';
import { acceptDrops, NotADiagram, readFormFile } from './lib/file-import.js';
import { messages } from './lib/messages.js';

addMessages({ zh: messages['zh-CN'], en: messages.en });

/** form-js has no translation service: Chinese through its validator and over what it draws (form-js-zh.ts) */
const CHINESE = lang() === 'zh-CN';

const FORM_ID = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

interface Opened {
  formId: string;
  version: number | null;
  fileName?: string;
}

class FormsPage {
  private readonly list = h('ul', { class: 'process-list', 'data-testid': 'form-list' });
  private readonly title = h('span', { class: 'editing-title', 'data-testid': 'editing-title' }, t('forms.nothingOpen'));
  private readonly dirtyMark = h('span', { class: 'dirty', hidden: true }, t('modeler.unsaved'));
  private readonly message = h('div', { class: 'notice', 'data-testid': 'message', role: 'status', hidden: true });
  private readonly editorHost = h('div', { class: 'form-editor-host', 'data-testid': 'form-editor' });
  private readonly previewHost = h('div', { class: 'form-preview-host', 'data-testid': 'form-preview' });
  // the submitted data as JSON: field keys and values, not wording
  private readonly previewData = h('pre', { class: 'preview-data', 'data-testid': 'preview-data', translate: 'no', hidden: true });
  private readonly previewPane = h(
    'div',
    { hidden: true },
    h('p', { class: 'muted' }, t('forms.previewHint')),
    this.previewHost,
    h('p', null, h('button', { type: 'button', 'data-testid': 'preview-submit', onclick: () => this.previewSubmit() }, t('forms.previewData'))),
    this.previewData,
  );
  private readonly tabEdit = h(
    'button',
    { type: 'button', role: 'tab', 'aria-selected': 'true', 'data-testid': 'tab-edit', onclick: () => this.showTab('edit') },
    t('forms.edit'),
  );
  private readonly tabPreview = h(
    'button',
    { type: 'button', role: 'tab', 'aria-selected': 'false', 'data-testid': 'tab-preview', disabled: true, onclick: () => this.showTab('preview') },
    t('forms.preview'),
  );
  private readonly deployButton = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'deploy', disabled: true, onclick: () => void this.deploy() },
    t('forms.deploy'),
  );
  private readonly exportButton = h(
    'button',
    { type: 'button', 'data-testid': 'export', disabled: true, onclick: () => this.exportFile() },
    t('forms.file.export'),
  );
  private readonly fileInput = h('input', { type: 'file', accept: '.form,.json,application/json', hidden: true, 'data-testid': 'file-input' });
  private readonly editor = new FormEditor({ container: this.editorHost });
  private preview: Form | null = null;
  private opened: Opened | null = null;
  private dirty = false;
  private forms: FormSummary[] = [];
  private readonly expanded = new Set<string>();

  constructor(
    private readonly main: HTMLElement,
    private readonly canWrite: boolean,
  ) {}

  async start(): Promise<void> {
    if (CHINESE) {
      translateDom(this.editorHost, FORM_EDITOR_ZH);
      translateDom(this.previewHost, FORM_VIEWER_ZH);
    }
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
            h('h2', null, t('forms.forms')),
            this.canWrite ? h('button', { type: 'button', 'data-testid': 'new-form', onclick: () => this.newForm() }, t('forms.newForm')) : null,
            h('button', { type: 'button', 'data-testid': 'refresh', onclick: () => void this.refresh() }, t('modeler.refresh')),
          ),
          this.list,
          h('p', null, h('a', { href: './' }, t('forms.modelerLink'))),
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
            h('span', { class: 'tabs', role: 'tablist' }, this.tabEdit, this.tabPreview),
            h('button', { type: 'button', 'data-testid': 'open-file', onclick: () => this.fileInput.click() }, t('forms.file.open')),
            this.fileInput,
            this.exportButton,
            this.canWrite ? this.deployButton : null,
          ),
          this.message,
          h('p', { class: 'muted small' }, t('forms.file.dropHint')),
          this.editorHost,
          this.previewPane,
        ),
      ),
    );
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = '';
      if (file) void this.openFile(file);
    });
    acceptDrops(this.main.querySelector<HTMLElement>('.workspace')!, (file) => void this.openFile(file));
    this.editor.on('changed', () => {
      if (this.opened) this.setDirty(true);
    });
    window.addEventListener('beforeunload', (e) => {
      if (this.dirty) e.preventDefault();
    });
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    try {
      this.forms = await adminApi.forms();
    } catch (err) {
      replace(this.list, h('li', { class: 'notice error' }, errorText(err)));
      return;
    }
    if (!this.forms.length) replace(this.list, h('li', { class: 'muted' }, t('forms.noForms')));
    else replace(this.list, ...this.forms.map((f) => this.formItem(f)));
  }

  private formItem(f: FormSummary): HTMLElement {
    const versions = h('div', { class: 'versions', hidden: !this.expanded.has(f.formId) });
    const item = h(
      'li',
      { class: 'process', 'data-form-id': f.formId },
      h(
        'button',
        {
          type: 'button',
          class: 'process-head',
          'data-testid': 'form-head',
          onclick: () => {
            if (this.expanded.has(f.formId)) {
              this.expanded.delete(f.formId);
              versions.hidden = true;
              return;
            }
            this.expanded.add(f.formId);
            versions.hidden = false;
            void this.loadVersions(f, versions);
          },
        },
        h('span', { class: 'process-name' }, f.formId),
        h('span', { class: 'process-meta' }, h('span', { class: 'tag', 'data-testid': 'latest-version' }, `v${f.latestVersion}`), formatDateTime(f.deployedAt)),
      ),
      versions,
    );
    if (this.expanded.has(f.formId)) void this.loadVersions(f, versions);
    return item;
  }

  private async loadVersions(f: FormSummary, into: HTMLElement): Promise<void> {
    replace(into, h('p', { class: 'muted' }, t('common.loading')));
    let versions: FormVersion[];
    try {
      versions = (await adminApi.formVersions(f.formId)).sort((a, b) => b.version - a.version);
    } catch (err) {
      replace(into, h('p', { class: 'notice error' }, errorText(err)));
      return;
    }
    replace(
      into,
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
              t('forms.version', { version: v.version }),
              v.version === f.latestVersion ? h('span', { class: 'tag' }, t('modeler.latest')) : null,
            ),
            h('span', { class: 'version-meta' }, formatDateTime(v.deployedAt), v.deployedBy ? [' · ', loginName(v.deployedBy)] : null),
            h('button', { type: 'button', 'data-testid': 'open-version', onclick: () => void this.open(f.formId, v.version) }, t('forms.open')),
          ),
        ),
      ),
    );
  }

  private async open(formId: string, version: number | null, schema?: FormSchema, fileName?: string): Promise<void> {
    if (this.dirty && !confirm(t('forms.confirmDiscard'))) return;
    try {
      const source = schema ?? (await adminApi.formSchema(formId, version ?? 'latest'));
      this.opened = null; // the import fires 'changed': not an edit
      await this.editor.importSchema(source);
    } catch (err) {
      this.say(t('forms.importFailed', { message: errorText(err) }), 'error');
      return;
    }
    this.opened = { formId, version, ...(fileName ? { fileName } : {}) };
    this.setDirty(version === null);
    this.title.textContent = fileName
      ? t('forms.editingFile', { formId, file: fileName })
      : version === null
        ? t('forms.editingNew', { formId })
        : t('forms.editing', { formId, version });
    this.exportButton.disabled = false;
    this.title.dataset['formId'] = formId;
    this.deployButton.disabled = false;
    this.tabPreview.disabled = false;
    this.showTab('edit');
    this.say('', 'info');
  }

  /** A form from the file button or a drop: checked, then opened unsaved under the form id it declares. */
  private async openFile(file: File): Promise<void> {
    let read: Awaited<ReturnType<typeof readFormFile>>;
    try {
      read = await readFormFile(file);
    } catch (err) {
      this.say(err instanceof NotADiagram ? err.message : errorText(err), 'error');
      return;
    }
    const formId =
      read.id && FORM_ID.test(read.id)
        ? read.id
        : file.name
            .replace(/\.(form|json)$/i, '')
            .replace(/[^A-Za-z0-9_-]/g, '-')
            .replace(/^[^A-Za-z]+/, '') || 'form';
    await this.open(formId, null, { ...read.schema, id: formId } as FormSchema, file.name);
    if (this.opened?.fileName === file.name)
      this.say(t(read.id && FORM_ID.test(read.id) ? 'forms.file.opened' : 'forms.file.badId', { name: file.name, formId }), 'ok');
  }

  /** Export: the schema as edited now, as `<form id>.form` (what Camunda Modeler opens). */
  private exportFile(): void {
    const schema = this.editor.saveSchema() as FormSchema;
    downloadFile(`${this.opened?.formId ?? schema.id}.form`, JSON.stringify(schema, null, 2), 'application/json');
  }

  private setDirty(dirty: boolean): void {
    this.dirty = dirty;
    this.dirtyMark.hidden = !dirty;
  }

  private showTab(tab: 'edit' | 'preview'): void {
    this.tabEdit.setAttribute('aria-selected', String(tab === 'edit'));
    this.tabPreview.setAttribute('aria-selected', String(tab === 'preview'));
    this.editorHost.hidden = tab !== 'edit';
    this.previewPane.hidden = tab !== 'preview';
    if (tab === 'preview') void this.renderPreview();
  }

  /** The schema as edited, in the form viewer the task list uses (nothing is submitted anywhere). */
  private async renderPreview(): Promise<void> {
    this.preview?.destroy();
    this.previewHost.replaceChildren();
    this.previewData.hidden = true;
    this.preview = new Form({ container: this.previewHost, additionalModules: CHINESE ? [formValidationZh] : [] } as ConstructorParameters<typeof Form>[0]);
    try {
      await this.preview.importSchema(this.editor.saveSchema());
    } catch (err) {
      this.say(t('forms.importFailed', { message: errorText(err) }), 'error');
    }
  }

  private previewSubmit(): void {
    if (!this.preview) return;
    const { data, errors } = this.preview.submit();
    this.previewData.textContent = JSON.stringify({ data, errors }, null, 2);
    this.previewData.hidden = false;
  }

  private async deploy(): Promise<void> {
    const opened = this.opened;
    if (!opened) return;
    this.deployButton.disabled = true;
    try {
      const schema = this.editor.saveSchema() as FormSchema;
      const deployed = await adminApi.deployForm(opened.formId, schema);
      this.opened = { formId: deployed.formId, version: deployed.version };
      this.setDirty(false);
      this.title.textContent = t('forms.editing', { formId: deployed.formId, version: deployed.version });
      this.say(t(deployed.isNew === false ? 'forms.deployUnchanged' : 'forms.deployed', { formId: deployed.formId, version: deployed.version }), 'ok');
      this.expanded.add(deployed.formId);
      await this.refresh();
    } catch (err) {
      // the server's schema check names each problem by its path in the form JSON
      const problems = err instanceof ApiError ? (err.details as { errors?: Array<{ path?: string; message?: string }> } | undefined)?.errors : undefined;
      if (Array.isArray(problems) && problems.length) {
        this.say(err instanceof ApiError ? t('forms.deployRefused') : errorText(err), 'error');
        this.message.append(
          h(
            'ul',
            { class: 'form-problems', 'data-testid': 'form-problems' },
            ...problems.map((p) => h('li', null, [p.path, p.message].filter(Boolean).join(': '))),
          ),
        );
      } else {
        this.say(errorText(err), 'error');
      }
    } finally {
      this.deployButton.disabled = false;
    }
  }

  private newForm(): void {
    const id = h('input', { type: 'text', name: 'formId', 'data-testid': 'new-form-id', required: true, autocomplete: 'off' });
    const error = h('p', { class: 'notice error', hidden: true });
    const dialog = h('dialog', { class: 'new-process-dialog', 'data-testid': 'new-form-dialog' });
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
            const formId = id.value.trim();
            const problem = !FORM_ID.test(formId)
              ? t('forms.new.badId')
              : this.forms.some((f) => f.formId === formId)
                ? t('forms.new.exists', { formId })
                : null;
            if (problem) {
              error.textContent = problem;
              error.hidden = false;
              return;
            }
            close();
            void this.open(formId, null, { type: 'default', id: formId, schemaVersion: 19, components: [] });
          },
        },
        h('h3', null, t('forms.newForm')),
        h('label', null, t('forms.new.id'), id),
        error,
        h(
          'div',
          { class: 'dialog-buttons' },
          h('button', { type: 'button', onclick: close }, t('modeler.new.cancel')),
          h('button', { type: 'submit', class: 'primary', 'data-testid': 'new-form-create' }, t('modeler.new.create')),
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

const frame = startPage('forms', { wide: true });
if (frame?.user) void new FormsPage(frame.main, frame.user.role === 'admin').start();
