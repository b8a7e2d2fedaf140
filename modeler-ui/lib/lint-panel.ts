/**
 * Live lint: after every change (debounced) the diagram goes to POST /api/admin/lint, the same check the
 * deploy runs; the problems are listed (a click shows the element) and marked on the canvas.
 */
import { h, replace } from '../../web/shared/dom.js';
import { lang, t } from '../../web/shared/i18n.js';
import { errorText } from '../../web/shared/api.js';
import { adminApi, type LintProblem } from './admin-api.js';
import { lintMessageZh } from './lint-messages.js';
import type { ProcessEditor } from './process-editor.js';

export const LINT_DEBOUNCE_MS = 500;

export class LintPanel {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** answers to older requests are dropped: only the newest diagram's problems count */
  private sequence = 0;
  private readonly summary: HTMLElement;
  private readonly body: HTMLElement;
  problems: LintProblem[] = [];

  constructor(
    root: HTMLElement,
    private readonly editor: ProcessEditor,
  ) {
    this.summary = h('span', { class: 'lint-summary', 'data-testid': 'lint-summary' });
    this.body = h('tbody');
    replace(
      root,
      h('div', { class: 'lint-head' }, h('h3', null, t('modeler.lint.title')), this.summary),
      h(
        'table',
        { class: 'lint-table' },
        h('thead', null, h('tr', null, ...['severity', 'element', 'message', 'rule'].map((c) => h('th', null, t(`modeler.lint.${c}`))))),
        this.body,
      ),
    );
  }

  /** Lint again after a quiet moment (edits come in bursts while dragging). */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, LINT_DEBOUNCE_MS);
  }

  async run(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const mine = ++this.sequence;
    this.summary.textContent = t('modeler.lint.running');
    this.summary.dataset['state'] = 'running';
    try {
      const xml = await this.editor.xml();
      const { problems } = await adminApi.lint(xml);
      if (mine === this.sequence) this.show(problems);
    } catch (err) {
      if (mine !== this.sequence) return;
      this.summary.textContent = t('modeler.lint.failed', { message: errorText(err) });
      this.summary.dataset['state'] = 'failed';
    }
  }

  /** Shows problems (from the live lint or from a refused deploy). */
  show(problems: LintProblem[]): void {
    this.sequence++;
    this.problems = problems;
    const errors = problems.filter((p) => p.severity === 'error').length;
    this.summary.textContent = problems.length ? t('modeler.lint.count', { errors, warnings: problems.length - errors }) : t('modeler.lint.none');
    this.summary.dataset['state'] = errors ? 'errors' : problems.length ? 'warnings' : 'clean';
    // a keyed problem (the engine's, the lint's own) comes worded in the page's language by the server;
    // bpmnlint's come in English: Chinese pages name them by rule (lint-messages.ts)
    const worded = lang() === 'zh-CN' ? problems.map((p) => (p.key ? p : { ...p, message: lintMessageZh(p) })) : problems;
    const sorted = [...worded].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    replace(
      this.body,
      ...sorted.map((p) =>
        h(
          'tr',
          {
            class: `lint-problem lint-${p.severity}${p.elementId ? ' clickable' : ''}`,
            'data-element-id': p.elementId ?? '',
            'data-rule': p.rule,
            'data-message': problems[worded.indexOf(p)]?.message ?? p.message,
            tabindex: p.elementId ? 0 : null,
            onclick: () => {
              if (p.elementId) this.editor.reveal(p.elementId);
            },
            onkeydown: (e: Event) => {
              if ((e as KeyboardEvent).key === 'Enter' && p.elementId) this.editor.reveal(p.elementId);
            },
          },
          h('td', null, h('span', { class: `severity severity-${p.severity}` }, t(`modeler.lint.${p.severity}`))),
          h('td', null, this.editor.label(p.elementId)),
          h('td', null, p.message),
          h('td', { class: 'rule', translate: 'no' }, p.rule),
        ),
      ),
    );
    this.editor.showProblems(worded);
  }

  clear(): void {
    this.sequence++;
    if (this.timer) clearTimeout(this.timer);
    this.problems = [];
    this.summary.textContent = '';
    this.body.replaceChildren();
  }
}
