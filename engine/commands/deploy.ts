import { createHash } from 'node:crypto';
import type { DeployedDecision, DeployedDrgVersion } from '../decisions.js';
import { parseDrg } from '../dmn/parse.js';
import type { DeployedDrg } from '../dmn/types.js';
import { EngineError } from '../errors.js';
import { evaluateFeelRaw } from '../feel/feel.js';
import { parseBpmn } from '../model/parse.js';
import { deployProblem, type DeployProblemKey, type DeployProblemParams } from '../model/problem-messages.js';
import type { DeployProblem, ProcessModel } from '../model/types.js';
import * as store from '../store/definitions.js';
import { deleteStartSubscriptions, insertStartSubscription } from '../store/subscriptions.js';
import { deleteStartTimers } from '../store/timers.js';
import type { Definition } from '../runtime/run.js';
import { firstDueTime } from '../runtime/timer-plan.js';
import { insertTimer } from '../runtime/timers.js';
import type { CommandContext } from './context.js';

export interface DeployResource {
  name: string;
  xml: string;
}

export interface DeployedProcess {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  resourceName: string;
  /** false when identical XML was already deployed: the existing version is returned */
  isNew: boolean;
}

/**
 * Deploys BPMN resources (and form-js `.form` and DMN `.dmn` resources) all or nothing: any problem in any resource
 * rejects the whole deployment with every problem listed. Identical XML for a process creates no new
 * version. The newest version owns the message, signal and timer start events.
 */
export async function deploy(ctx: CommandContext, resources: DeployResource[]): Promise<DeployedProcess[]> {
  const problems: DeployProblem[] = [];
  const parsed: Array<{ resource: DeployResource; model: ProcessModel }> = [];
  const forms: Array<{ resource: DeployResource; formId: string }> = [];
  const drgs: Array<{ resource: DeployResource; drg: DeployedDrg }> = [];
  const seen = new Set<string>();
  for (const resource of resources) {
    if (resource.name.endsWith('.dmn')) {
      const result = await parseDrg(resource.xml);
      problems.push(...result.problems.map((p) => ({ resource: resource.name, elementId: p.elementId || null, message: p.message })));
      if (result.drg && !result.drg.id) problems.push(deployProblem(resource.name, null, 'dmn_without_id'));
      else if (result.drg) drgs.push({ resource, drg: result.drg });
      continue;
    }
    if (resource.name.endsWith('.form')) {
      const formId = formIdOf(resource);
      if (typeof formId !== 'string') problems.push(deployProblem(resource.name, null, formId.key, formId.params));
      else if (forms.some((f) => f.formId === formId)) problems.push(deployProblem(resource.name, formId, 'form_twice'));
      else forms.push({ resource, formId });
      continue;
    }
    const result = await parseBpmn(resource.name, resource.xml);
    problems.push(...result.problems);
    for (const model of result.processes) {
      if (seen.has(model.processId)) problems.push(deployProblem(resource.name, model.processId, 'process_twice'));
      seen.add(model.processId);
      parsed.push({ resource, model });
    }
  }
  const deployedDecisionIds = decisionIdsOnce(drgs, problems);
  for (const { resource, model } of parsed) {
    for (const node of Object.values(model.nodes)) {
      // Zeebe checks a static decision id at deploy only when it must come from the same deployment
      if (node.decision?.bindingType === 'deployment' && !node.decision.decisionId.feel && !deployedDecisionIds.has(node.decision.decisionId.text)) {
        problems.push(deployProblem(resource.name, node.id, 'decision_not_in_deployment', { id: node.decision.decisionId.text }));
      }
      // a called process is looked up when the call activity runs (CALLED_ELEMENT_ERROR if missing), except that
      // bindingType="deployment" must find a static one in this deployment, as Zeebe checks
      if (node.call?.bindingType === 'deployment' && !node.call.processId.feel && !seen.has(node.call.processId.text)) {
        problems.push(deployProblem(resource.name, node.id, 'process_not_in_deployment', { id: node.call.processId.text }));
      }
    }
  }
  if (problems.length) {
    const lines = problems.map((p) => `${p.resource}${p.elementId ? ` [${p.elementId}]` : ''}: ${p.message}`);
    throw new EngineError('DEPLOY_REJECTED', `deployment rejected:\n  ${lines.join('\n  ')}`, problems);
  }
  const added: Definition[] = [];
  const addedDrgs: DeployedDrgVersion[] = [];
  const addedDecisions: DeployedDecision[] = [];
  const db = ctx.driver;
  return ctx
    .command(
      async (run) => {
        const out: DeployedProcess[] = [];
        // decision id → key of the version this deployment holds (new or identical to the latest)
        const deploymentDecisions: Record<string, string> = {};
        for (const { resource, drg } of drgs) {
          const checksum = createHash('sha256').update(resource.xml).digest('hex');
          const latest = ctx.decisions.latestDrg(drg.id);
          if (latest && (await store.drgChecksum(db, latest.drgKey)) === checksum) {
            for (const d of ctx.decisions.list()) if (d.drgKey === latest.drgKey) deploymentDecisions[d.decisionId] = d.decisionKey;
            continue;
          }
          const version: DeployedDrgVersion = { drgKey: ctx.keys.nextKey(), drgId: drg.id, version: (latest?.version ?? 0) + 1, drg };
          await store.insertDrg(db, {
            drgKey: version.drgKey,
            drgId: drg.id,
            version: version.version,
            resource: resource.name,
            checksum,
            xml: resource.xml,
            deployedAt: ctx.clock.now(),
          });
          addedDrgs.push(version);
          // every decision of a changed file gets a new version, each counted per decision id
          for (const d of Object.values(drg.decisions)) {
            const decision: DeployedDecision = {
              decisionKey: ctx.keys.nextKey(),
              decisionId: d.id,
              version: (ctx.decisions.latest(d.id)?.version ?? 0) + 1,
              versionTag: d.versionTag,
              drgKey: version.drgKey,
              drgId: drg.id,
              drgVersion: version.version,
              drg,
            };
            await store.insertDecision(db, {
              decisionKey: decision.decisionKey,
              decisionId: d.id,
              version: decision.version,
              versionTag: d.versionTag,
              name: d.name,
              drgKey: version.drgKey,
              deployedAt: ctx.clock.now(),
            });
            await run.history(null, 'DECISION_DEPLOYED', {
              decisionKey: decision.decisionKey,
              decisionId: d.id,
              version: decision.version,
              versionTag: d.versionTag,
              drgKey: version.drgKey,
              drgId: drg.id,
              resource: resource.name,
            });
            addedDecisions.push(decision);
            deploymentDecisions[d.id] = decision.decisionKey;
          }
        }
        // process id → key of the version this deployment holds (new or identical to the latest), for bindingType="deployment"
        const deploymentProcesses: Record<string, string> = {};
        for (const { resource, model } of parsed) {
          const checksum = createHash('sha256').update(model.processId).update('\0').update(resource.xml).digest('hex');
          const latest = ctx.definitions.latest(model.processId);
          const latestChecksum = latest ? await store.definitionChecksum(db, latest.defKey) : undefined;
          if (latest && latestChecksum === checksum) {
            deploymentProcesses[model.processId] = latest.defKey;
            out.push({
              processDefinitionKey: latest.defKey,
              bpmnProcessId: model.processId,
              version: latest.version,
              resourceName: resource.name,
              isNew: false,
            });
            continue;
          }
          const def: Definition = { defKey: ctx.keys.nextKey(), processId: model.processId, version: (latest?.version ?? 0) + 1, model };
          await store.insertDefinition(db, {
            defKey: def.defKey,
            processId: def.processId,
            version: def.version,
            resource: resource.name,
            checksum,
            xml: resource.xml,
            deployedAt: ctx.clock.now(),
          });
          deploymentProcesses[def.processId] = def.defKey;
          if (Object.values(model.nodes).some((n) => n.decision?.bindingType === 'deployment')) {
            def.decisionKeys = { ...deploymentDecisions };
            for (const [decisionId, decisionKey] of Object.entries(deploymentDecisions))
              await store.insertDefinitionDecision(db, def.defKey, decisionId, decisionKey);
          }
          if (latest) {
            // the newest version owns the start events: retire the previous version's
            await deleteStartSubscriptions(db, latest.defKey);
            await deleteStartTimers(db, latest.defKey);
          }
          for (const id of model.messageStarts) {
            const ev = model.nodes[id]!.event!;
            if (ev.kind === 'message') await insertStartSubscription(db, def.defKey, id, 'message', ev.messageName.text, def.processId);
          }
          for (const id of model.signalStarts) {
            const ev = model.nodes[id]!.event!;
            if (ev.kind === 'signal') await insertStartSubscription(db, def.defKey, id, 'signal', ev.signalName.text, def.processId);
          }
          added.push(def);
          ctx.definitions.addPending(def); // visible to this transaction's own start timers
          for (const id of model.timerStarts) {
            const ev = model.nodes[id]!.event!;
            if (ev.kind !== 'timer') continue;
            // a start timer has no instance yet: its FEEL sees no variables (Zeebe evaluates it at deploy too)
            const value = ev.timer.value.feel ? evaluateFeelRaw(ev.timer.value.text, {}) : { ok: true as const, value: ev.timer.value.text };
            if (!value.ok) throw new EngineError('DEPLOY_REJECTED', `${resource.name} [${id}]: start timer ${value.message}`);
            const plan = firstDueTime(ev.timer.type, value.value, ctx.clock.now());
            if (typeof plan === 'string') throw new EngineError('DEPLOY_REJECTED', `${resource.name} [${id}]: start timer ${plan}`);
            await insertTimer(run, null, id, plan, def.defKey);
          }
          await run.history(null, 'PROCESS_DEPLOYED', {
            processDefinitionKey: def.defKey,
            bpmnProcessId: def.processId,
            version: def.version,
            resource: resource.name,
          });
          out.push({ processDefinitionKey: def.defKey, bpmnProcessId: def.processId, version: def.version, resourceName: resource.name, isNew: true });
        }
        for (const def of added) {
          if (!Object.values(def.model.nodes).some((n) => n.call?.bindingType === 'deployment')) continue;
          def.processKeys = { ...deploymentProcesses };
          for (const [processId, calledKey] of Object.entries(deploymentProcesses)) await store.insertDefinitionProcess(db, def.defKey, processId, calledKey);
        }
        for (const { resource, formId } of forms) {
          const checksum = createHash('sha256').update(resource.xml).digest('hex');
          const latest = await store.latestForm(db, formId);
          if (latest?.checksum === checksum) continue;
          await store.insertForm(db, {
            formKey: ctx.keys.nextKey(),
            formId,
            version: Number(latest?.version ?? 0) + 1,
            resource: resource.name,
            checksum,
            content: resource.xml,
            deployedAt: ctx.clock.now(),
          });
        }
        return out;
      },
      {
        exclusive: true,
        afterCommit: () => {
          added.forEach((d) => ctx.definitions.add(d));
          addedDrgs.forEach((d) => ctx.decisions.addDrg(d));
          addedDecisions.forEach((d) => ctx.decisions.add(d));
        },
      },
    )
    .catch((err: unknown) => {
      for (const d of added) ctx.definitions.forget(d.defKey);
      throw err;
    });
}

/** Decision ids of the deployment's DMN files; a DRG id or decision id twice in one deployment is a problem. */
function decisionIdsOnce(drgs: Array<{ resource: DeployResource; drg: DeployedDrg }>, problems: DeployProblem[]): Set<string> {
  const ids = new Set<string>();
  const drgIds = new Set<string>();
  for (const { resource, drg } of drgs) {
    if (drgIds.has(drg.id)) problems.push(deployProblem(resource.name, drg.id, 'drg_twice'));
    drgIds.add(drg.id);
    for (const id of Object.keys(drg.decisions)) {
      if (ids.has(id)) problems.push(deployProblem(resource.name, id, 'decision_twice'));
      ids.add(id);
    }
  }
  return ids;
}

/** A form-js form is JSON with a string `id` (the formId user tasks refer to) and a `components` list. */
function formIdOf(resource: DeployResource): string | { key: DeployProblemKey; params?: DeployProblemParams } {
  let form: unknown;
  try {
    form = JSON.parse(resource.xml);
  } catch (err) {
    return { key: 'form_not_json', params: { detail: (err as Error).message } };
  }
  const f = form as { id?: unknown; components?: unknown };
  if (typeof f.id !== 'string' || !f.id) return { key: 'form_without_id' };
  if (!Array.isArray(f.components)) return { key: 'form_without_components' };
  return f.id;
}
