import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { withAuditChain } from '../audit/index.js';
import { hasErrors, lintDmn, type LintProblem } from '../lint/index.js';
import { DomainError } from '../shared/errors.js';
import { decisionFileVersion, drgInfo, recordDecisionsIn } from './decision-versions.js';
import { engineRejection } from './deploy-process.js';
import type { Deployer } from './versions.js';
import { checkXmlInput } from './xml-input.js';

/** A DRG id (the DMN definitions id) the engines and the tables both take. */
export const DRG_ID_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]{0,190}$';

const refuse = (problems: LintProblem[], message = problems.map((p) => `${p.elementId ?? '/'}: ${p.message}`).join('; ')) =>
  new DomainError('INVALID_ARGUMENT', message, { apiCode: 'decision_definition_invalid', status: 422, errors: problems });

/**
 * Deploys a DMN file as the next version of its DRG (identical XML: the existing version back), as Camunda
 * Modeler deploys one: the lint's errors (the engine's own check) refuse it with every problem named; its
 * warnings never block. The file's definitions id must be the DRG id it is deployed under.
 */
export async function deployDecision(
  engine: WorkflowEngine,
  drgId: string,
  xml: string,
  by: Deployer,
): Promise<{ drgId: string; version: number; isNew: boolean; problems: LintProblem[] }> {
  checkXmlInput(xml); // size, DOCTYPE, an XML document at all: 4xx before any parser reads it
  const info = await drgInfo(xml);
  if (!info) throw refuse([{ elementId: null, message: 'not a DMN 1.3 definitions document', severity: 'error', rule: 'engine-dmn', source: 'engine' }]);
  if (info.drgId !== drgId)
    throw refuse([
      { elementId: info.drgId, message: `the definitions id is '${info.drgId}', expected '${drgId}'`, severity: 'error', rule: 'engine-dmn', source: 'engine' },
    ]);
  const problems = await lintDmn(xml);
  if (hasErrors(problems)) throw refuse(problems.filter((p) => p.severity === 'error'));
  const resourceName = (await decisionFileVersion(drgId, 'latest'))?.resourceName ?? `${drgId}.dmn`;
  const resources = [{ name: resourceName, content: xml }];
  try {
    await engine.deploy(resources);
  } catch (err) {
    const rejected = engineRejection(err);
    if (rejected) throw refuse(rejected);
    throw err;
  }
  const recorded = await withAuditChain(async (chain) => {
    const [r] = await recordDecisionsIn(chain, resources, by);
    if (r && !r.isNew)
      await chain.append({ caseId: null, actor: by.username, actorRole: by.role, action: 'decision.deploy_unchanged', detail: { drgId, version: r.version } });
    return r!;
  });
  return { drgId, version: recorded.version, isNew: recorded.isNew, problems };
}
