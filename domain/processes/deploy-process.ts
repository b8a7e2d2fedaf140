import { appSql } from '../../db/sql/current.js';
import { PortError, type DeployResource, type WorkflowEngine } from '../../port/workflow-engine.js';
import { withAuditChain } from '../audit/index.js';
import { engineWording, hasErrors, lintBpmn, type LintProblem } from '../lint/index.js';
import type { MessageParams } from '../shared/wording.js';
import { deployedProcessIds, recordDeploymentIn, type Deployer } from './versions.js';
import { singleProcessOf } from './xml-input.js';

export type ProcessDeployOutcome =
  { kind: 'deployed'; processId: string; version: number; processDefinitionKey: string; isNew: boolean } | { kind: 'lint_failed'; problems: LintProblem[] };

/** The engine's own refusal (DEPLOY_REJECTED) as lint problems, so the caller sees one kind of answer. */
export function engineRejection(err: unknown): LintProblem[] | null {
  if (!(err instanceof PortError) || err.code !== 'DEPLOY_REJECTED') return null;
  const listed = Array.isArray(err.details)
    ? (err.details as Array<{ elementId?: string | null; message?: string; key?: string; params?: MessageParams }>)
    : [];
  const problems = listed.map((p) => ({
    elementId: p.elementId ?? null,
    ...engineWording({ ...p, message: String(p.message ?? err.message) }),
    severity: 'error' as const,
    rule: 'engine/deploy',
    source: 'engine' as const,
  }));
  return problems.length ? problems : [{ elementId: null, message: err.message, severity: 'error', rule: 'engine/deploy', source: 'engine' }];
}

/**
 * Deploys one BPMN document as a new version of its process: lint first (any error → nothing deployed),
 * then the engine, then the version row, the audit record and — when the draft is exactly what was
 * deployed — the draft's removal, in one transaction. Identical XML gets the existing version back.
 */
export async function deployProcess(engine: WorkflowEngine, xml: string, by: Deployer): Promise<ProcessDeployOutcome> {
  const process = await singleProcessOf(xml);
  const problems = await lintBpmn(xml, { deployedProcessIds: await deployedProcessIds() });
  if (hasErrors(problems)) return { kind: 'lint_failed', problems };
  const resources: DeployResource[] = [{ name: `${process.id}.bpmn`, content: xml }];
  let result;
  try {
    result = await engine.deploy(resources);
  } catch (err) {
    const rejected = engineRejection(err);
    if (rejected) return { kind: 'lint_failed', problems: rejected };
    throw err;
  }
  const deployed = result.processes.find((p) => p.bpmnProcessId === process.id);
  if (!deployed) throw new Error(`the engine deployed no process '${process.id}'`);
  const recorded = await withAuditChain(async (chain) => {
    const r = await recordDeploymentIn(chain, resources, result, by);
    const isNew = r.processes.find((p) => p.processId === process.id)?.isNew ?? false;
    if (!isNew) {
      // the engine kept the existing version: the deploy is still an administrator's act on the record
      await chain.append({
        caseId: null,
        actor: by.username,
        actorRole: by.role,
        action: 'process.deploy_unchanged',
        detail: { processId: process.id, version: deployed.version, processDefinitionKey: deployed.processDefinitionKey },
      });
    }
    const db = appSql(chain.transaction);
    const draft = await db.selectFrom('process_drafts').select('xml').where('processId', '=', process.id).executeTakeFirst();
    if (draft && draft.xml === xml) await db.deleteFrom('process_drafts').where('processId', '=', process.id).execute();
    return isNew;
  });
  return { kind: 'deployed', processId: process.id, version: deployed.version, processDefinitionKey: deployed.processDefinitionKey, isNew: recorded };
}
