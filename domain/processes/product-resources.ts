import { readdirSync, readFileSync } from 'node:fs';
import { PRODUCT_ROOT } from '../../config/product-root.js';
import { withAuditChain } from '../audit/index.js';
import { appSql } from '../../db/sql/current.js';
import { drgInfo, recordDecisionsIn } from './decision-versions.js';
import { SYSTEM_DEPLOYER, recordDeployment, sha256 } from './versions.js';
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
 * A shipped decision table is a starting point that administrators edit (the modeler's 规则表 page): once this
 * very file has been deployed, a later start leaves it out, so an administrator's newer version stays the one
 * the business-rule tasks call. A shipped file that changed (a product upgrade) is deployed again, as the next version.
 */
async function alreadySeeded(r: DeployResource): Promise<boolean> {
  if (!r.name.endsWith('.dmn')) return false;
  const info = await drgInfo(r.content);
  if (!info) return false; // not readable: the engine's deploy names the problem
  const row = await appSql()
    .selectFrom('decision_versions')
    .select('id')
    .where('drgId', '=', info.drgId)
    .where('checksum', '=', sha256(r.content))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Deploys the product's processes, decisions and forms; unchanged files create no new version, so this runs at every
 * start. Every version it creates is recorded (process_versions, form_versions, decision_versions, audit by `system`)
 * like an administrator's deploy, so the administration lists and diffs the product's versions too; the engine's
 * answer for an unchanged file is its existing version, which is recorded once. A decision file deployed before is
 * left out (see {@link alreadySeeded}).
 */
export async function deployProduct(engine: WorkflowEngine, root?: URL): Promise<DeployResult> {
  const resources: DeployResource[] = [];
  for (const r of readProductResources(root)) if (!(await alreadySeeded(r))) resources.push(r);
  const result = await engine.deploy(resources);
  await recordDeployment(resources, result);
  await withAuditChain((chain) => recordDecisionsIn(chain, resources, SYSTEM_DEPLOYER));
  return result;
}
