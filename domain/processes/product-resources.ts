import { readdirSync, readFileSync } from 'node:fs';
import { PRODUCT_ROOT } from '../../config/product-root.js';
import { withAuditChain } from '../audit/index.js';
import { recordDecisionsIn } from './decision-versions.js';
import { SYSTEM_DEPLOYER, recordDeployment } from './versions.js';
import type { DeployResult, DeployResource, WorkflowEngine } from '../../port/workflow-engine.js';

const ROOT = PRODUCT_ROOT;

/** Every process (processes/*.bpmn), decision (processes/*.dmn) and form (forms/*.form) of the product, read as the files are. */
export function readProductResources(root: URL = ROOT): DeployResource[] {
  const read = (dir: string, ext: string) =>
    readdirSync(new URL(dir, root))
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => ({ name: f, content: readFileSync(new URL(`${dir}${f}`, root), 'utf8') }));
  // decisions first: a reader of the list sees what a business-rule task calls before the task
  return [...read('processes/', '.dmn'), ...read('processes/', '.bpmn'), ...read('forms/', '.form')];
}

/**
 * Deploys the product's processes and forms; unchanged files create no new version, so this runs at every start.
 * Every version it creates is recorded (process_versions, form_versions, audit by `system`) like an
 * administrator's deploy, so the administration lists and diffs the product's versions too; the engine's
 * answer for an unchanged file is its existing version, which is recorded once.
 */
export async function deployProduct(engine: WorkflowEngine, root?: URL): Promise<DeployResult> {
  const resources = readProductResources(root);
  const result = await engine.deploy(resources);
  await recordDeployment(resources, result);
  await withAuditChain((chain) => recordDecisionsIn(chain, resources, SYSTEM_DEPLOYER));
  return result;
}
