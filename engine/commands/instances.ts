import { EngineError } from '../errors.js';
import { createInstance as startInstance } from '../behaviours/process.js';
import { terminate } from '../runtime/termination.js';
import { setVariables as setScopeVariables } from '../runtime/variables.js';
import { rootInstanceStartedAs } from '../store/instances.js';
import { checkVariables, type CommandContext, type Variables } from './context.js';

export interface CreateInstanceRequest {
  bpmnProcessId: string;
  variables?: Variables;
  version?: number;
  /** kept as the instance's start correlation key: the caller's own reference to the start (intake: `intake:<case id>`) */
  startReference?: string;
  /** with a startReference: answer the root instance already started under it instead of starting a second (crash recovery) */
  reuseStarted?: boolean;
}

export async function createInstance(
  ctx: CommandContext,
  request: CreateInstanceRequest,
): Promise<{ processInstanceKey: string; processDefinitionKey: string; bpmnProcessId: string; version: number }> {
  checkVariables(request.variables);
  const def = request.version === undefined ? ctx.definitions.latest(request.bpmnProcessId) : ctx.definitions.version(request.bpmnProcessId, request.version);
  if (!def) throw new EngineError('NOT_FOUND', `no deployed process '${request.bpmnProcessId}'${request.version ? ` version ${request.version}` : ''}`);
  if (!def.model.noneStart)
    throw new EngineError('INVALID_STATE', `process '${def.processId}' has no none start event; start it with a message, signal or timer`);
  const { startReference: ref, reuseStarted } = request;
  const key = await ctx.command(async (run) => {
    const started = ref && reuseStarted ? await rootInstanceStartedAs(run.db, def.processId, ref) : undefined;
    return started ?? startInstance(run, def, request.variables ?? {}, null, ref ? { start_correlation_key: ref } : {});
  });
  return { processInstanceKey: key, processDefinitionKey: def.defKey, bpmnProcessId: def.processId, version: def.version };
}

/** Terminates a root instance and everything inside it (runtime/termination.ts). */
export async function cancelInstance(ctx: CommandContext, instanceKey: string): Promise<void> {
  await ctx.command(async (run) => {
    const inst = await run.instance(instanceKey);
    if (inst.state !== 'ACTIVE') throw new EngineError('INVALID_STATE', `process instance ${instanceKey} is ${inst.state.toLowerCase()}`);
    if (inst.parent_instance_key)
      throw new EngineError(
        'INVALID_STATE',
        `process instance ${instanceKey} was started by a call activity; cancel its root instance ${inst.parent_instance_key}`,
      );
    const root = await run.element(instanceKey);
    if (root) await terminate(run, root);
  });
}

export async function setVariables(ctx: CommandContext, scopeKey: string, variables: Variables, options: { local?: boolean } = {}): Promise<void> {
  checkVariables(variables);
  await ctx.command((run) => setScopeVariables(run, scopeKey, variables, options.local ?? false));
}
