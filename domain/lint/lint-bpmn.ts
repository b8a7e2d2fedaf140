import { createRequire } from 'node:module';
import { createModdle, parseBpmn } from '../../port/bpmn-model.js';
import { fillIn, type MessageParams } from '../shared/wording.js';
import type { LintProblem, LintSeverity, LintSource } from './lint-types.js';
import { LINT_MESSAGES } from './engine-messages.js';

/**
 * One lint for every BPMN diagram, used by the process administration API (lint and deploy), the modeler
 * (through that API) and test/processes/bpmnlint.test.ts:
 *
 * - `plugin:camunda-compat/camunda-cloud-8-8` (bpmnlint-plugin-camunda-compat 2.61.0): what Zeebe 8.8 executes,
 *   the rules Camunda Modeler applies to an 8.8 diagram (element types, zeebe:* extensions, FEEL, timers …);
 * - `bpmnlint:recommended` (bpmnlint 11.15.0), with the rules in {@link RULES_OFF} off, every report a warning
 *   (style advice: an unnamed start event must not block a deploy, as it does not in Camunda Modeler's deploy);
 * - the embedded engine's supported set: the engine's own parser (the one deploy runs) over the same XML,
 *   without deploying, each problem it lists becoming an error of source `engine`.
 *
 * domain/ otherwise knows no engine; the exception is deliberate: the embedded engine's parser *is* the
 * definition of what it runs, and calling it is a pure function over the XML (no engine instance, no state).
 *
 * bpmnlint is pinned to 11.15.0, the newest 11.x: bpmnlint 12 needs `@bpmn-io/lint-core`, which the package
 * registry used here does not carry.
 */

export type { LintProblem, LintSeverity, LintSource } from './lint-types.js';

/** Rules switched off, and why: the API and the tests report them. */
export const RULES_OFF: ReadonlyArray<{ rule: string; reason: string }> = [
  { rule: 'no-inclusive-gateway', reason: 'Zeebe runs inclusive gateways (fork since 8.1, join since 8.6), and so does the embedded engine' },
];

/** The compat config of the Camunda version the processes target (modeler:executionPlatformVersion 8.8.x). */
export const CAMUNDA_COMPAT_CONFIG = 'plugin:camunda-compat/camunda-cloud-8-8';

interface LintReport {
  id?: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
}
interface LintConfig {
  extends?: string | string[];
  rules?: Record<string, string | number>;
}
interface LinterInstance {
  lint(root: unknown, config: LintConfig): Promise<Record<string, LintReport[]>>;
  resolveConfiguredRules(config: LintConfig): Promise<Record<string, unknown>>;
}

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint') as { Linter: new (options: { resolver: unknown }) => LinterInstance };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new (options: { require: NodeJS.Require }) => unknown;

const CONFIG: LintConfig = {
  extends: ['bpmnlint:recommended', CAMUNDA_COMPAT_CONFIG],
  rules: Object.fromEntries(RULES_OFF.map((r) => [r.rule, 'off'])),
};

// rules are resolved from this module's location, not from the working directory.
// A fresh linter per lint: some rules (no-duplicate-sequence-flows) keep state in the rule instance, which the
// linter caches, so a shared linter would report flows of one diagram as duplicates of another's.
const newLinter = () => new Linter({ resolver: new NodeResolver({ require }) });
const moddle = createModdle();

/** Every rule of the configuration with its effective setting (`off`, `warn`, `error`, or `[category, options]`). */
export function configuredRules(): Promise<Record<string, unknown>> {
  return newLinter().resolveConfiguredRules(CONFIG);
}

export interface LintOptions {
  /**
   * Process ids already deployed: a call activity naming one of them, or a process of the same XML, is fine;
   * any other static called process is a warning (an incident when it runs), or an error with bindingType
   * "deployment" unless the same XML holds it (the engine refuses that at deploy). Without the option the check is skipped.
   */
  deployedProcessIds?: ReadonlySet<string>;
}

export interface LintResult {
  problems: LintProblem[];
  /** the root `bpmn:Definitions` as bpmn-moddle read it (null when the XML did not parse) */
  definitions: { $attrs?: Record<string, string> } | null;
}

const severityOf = (category: LintReport['category']): LintSeverity => (category === 'warn' || category === 'info' ? 'warning' : 'error');

/** Lints one BPMN XML document: bpmnlint (camunda-compat 8.8 + recommended) and the engine's supported set. */
export async function lintBpmnDetailed(xml: string, options: LintOptions = {}): Promise<LintResult> {
  const problems: LintProblem[] = [];
  let definitions: LintResult['definitions'] = null;
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml);
    definitions = rootElement as LintResult['definitions'];
    // an unknown zeebe:* element or attribute, a dangling reference: the diagram does not say what it seems to
    for (const w of warnings) {
      const element = (w as { element?: { id?: unknown } }).element;
      problems.push({
        elementId: typeof element?.id === 'string' ? element.id : null,
        message: w.message,
        severity: 'error',
        rule: 'moddle-import',
        source: 'engine',
      });
    }
    const results = await newLinter().lint(rootElement, CONFIG);
    for (const [rule, reports] of Object.entries(results)) {
      const source: LintSource = rule.startsWith('camunda-compat/') ? 'camunda-compat' : 'recommended';
      // the recommended set is style (a missing label, an implicit split): it advises and never blocks a deploy;
      // only what Zeebe 8.8 or the embedded engine cannot execute is an error
      for (const r of reports) {
        const severity = source === 'recommended' ? 'warning' : severityOf(r.category);
        problems.push({ elementId: r.id ?? null, message: r.message, severity, rule, source });
      }
    }
  } catch (err) {
    problems.push({ elementId: null, ...lintWording('not_bpmn', { detail: (err as Error).message }), severity: 'error', rule: 'xml', source: 'engine' });
    return { problems, definitions };
  }
  const parsed = await parseBpmn('diagram.bpmn', xml);
  const already = new Set(problems.filter((p) => p.rule === 'moddle-import').map((p) => p.message));
  for (const p of parsed.problems) {
    if (p.elementId === null && already.has(p.message)) continue; // the moddle warning reported above
    problems.push({ elementId: p.elementId, ...engineWording(p), severity: 'error', rule: 'engine/supported', source: 'engine' });
  }
  if (options.deployedProcessIds) {
    const own = new Set(parsed.processes.map((p) => p.processId));
    for (const model of parsed.processes) {
      for (const node of Object.values(model.nodes)) {
        if (node.type !== 'callActivity' || !node.call || node.call.processId.feel) continue;
        const target = node.call.processId.text;
        if (own.has(target)) continue;
        // bindingType="deployment" needs the callee in the same deployment (refused at deploy); otherwise Zeebe and the
        // engine look it up when the call activity runs, so a missing one is an incident then, not a deploy error
        if (node.call.bindingType === 'deployment') {
          problems.push({
            elementId: node.id,
            ...lintWording('called_process_together', { process: target }),
            severity: 'error',
            rule: 'engine/called-process',
            source: 'engine',
          });
        } else if (!options.deployedProcessIds.has(target)) {
          problems.push({
            elementId: node.id,
            ...lintWording('called_process_missing', { process: target }),
            severity: 'warning',
            rule: 'engine/called-process',
            source: 'engine',
          });
        }
      }
    }
  }
  return { problems, definitions };
}

/** The problems only (see {@link lintBpmnDetailed}). */
export async function lintBpmn(xml: string, options: LintOptions = {}): Promise<LintProblem[]> {
  return (await lintBpmnDetailed(xml, options)).problems;
}

/** A finding of this lint, keyed, its message in English. */
function lintWording(key: keyof typeof LINT_MESSAGES, params: MessageParams): Pick<LintProblem, 'message' | 'key' | 'params'> {
  return { message: fillIn(LINT_MESSAGES[key].en, params), key: `lint.${key}`, params };
}

/** An engine problem's message with its key (engine/model/problem-messages.ts), so the API can word it. */
export function engineWording(p: { message: string; key?: string; params?: MessageParams }): Pick<LintProblem, 'message' | 'key' | 'params'> {
  return { message: p.message, ...(p.key ? { key: `engine.${p.key}` } : {}), ...(p.params ? { params: p.params } : {}) };
}

export const hasErrors = (problems: readonly LintProblem[]): boolean => problems.some((p) => p.severity === 'error');
