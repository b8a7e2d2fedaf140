/**
 * A DMN decision as the auditor reads it (issue 15): which decision, which version, what it decided, and for
 * every decision evaluated (required ones first) the inputs it saw and the rules that matched, each with its
 * outputs. Values are shown as JSON, as the engine had them.
 */
import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import type { DecisionEvaluation } from './types.js';

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function isDecisionEvaluation(detail: Record<string, unknown> | null): detail is Record<string, unknown> & DecisionEvaluation {
  return !!detail && typeof detail['decisionId'] === 'string' && Array.isArray(detail['evaluatedDecisions']);
}

export function decisionView(d: DecisionEvaluation): HTMLElement {
  return h(
    'section',
    { class: 'decision', 'data-testid': 'decision', 'data-decision': d.decisionId },
    h(
      'p',
      { class: 'decision-head' },
      h('strong', null, d.decisionName ?? d.decisionId),
      d.decisionVersion !== null ? h('span', { class: 'muted' }, ` ${t('hi.decision.version', { v: d.decisionVersion })}`) : null,
      ' → ',
      d.resultVariable ? h('code', null, d.resultVariable) : null,
      d.resultVariable ? ' = ' : null,
      h('code', { 'data-testid': 'decision-result' }, text(d.result)),
    ),
    d.evaluatedDecisions.map((e) =>
      h(
        'div',
        { class: 'decision-step', 'data-decision-step': e.decisionId },
        d.evaluatedDecisions.length > 1 ? h('h5', null, e.decisionName ?? e.decisionId) : null,
        e.inputs.length
          ? h(
              'table',
              { class: 'vars decision-inputs' },
              h('caption', null, t('hi.decision.inputs')),
              h(
                'tbody',
                null,
                e.inputs.map((i) => h('tr', null, h('th', null, i.inputName ?? i.inputId), h('td', null, h('code', null, text(i.value))))),
              ),
            )
          : null,
        e.decisionType === 'DECISION_TABLE'
          ? e.matchedRules.length
            ? h(
                'ul',
                { class: 'plain decision-rules' },
                e.matchedRules.map((r) =>
                  h(
                    'li',
                    { 'data-rule': r.ruleId },
                    t('hi.decision.rule', { n: r.ruleIndex }),
                    ' ',
                    h('span', { class: 'id-hint' }, r.ruleId),
                    ' → ',
                    Object.entries(r.outputs).map(([k, v], i) => [i ? '，' : '', h('code', null, `${k} = ${text(v)}`)]),
                  ),
                ),
              )
            : h('p', { class: 'muted' }, t('hi.decision.noRule'))
          : h('p', null, t('hi.decision.result'), ' ', h('code', null, text(e.result))),
      ),
    ),
  );
}
