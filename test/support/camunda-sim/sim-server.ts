import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type Clock, type UserTask } from '../../../engine/index.js';
import { DecisionInstances } from './decision-instances.js';
import { Problem, rejection, Router, type SimRequest } from './http.js';
import { JobActivation } from './job-activation.js';
import { stripListeners, type ElementListeners } from './listener-catalogue.js';
import { ListenerJobs } from './listener-jobs.js';
import { incidentView, page, processInstanceView, userTaskView } from './views.js';

/**
 * A test-only stand-in for the few `/v2` REST calls the camunda adapter makes, written from the requests
 * the official client sends (no Camunda API definition was copied), backed by our embedded engine so
 * that the BPMN really runs. See README.md beside this file for what it does and does not simulate.
 */
export interface CamundaSim {
  /** what CAMUNDA_REST_ADDRESS should say */
  url: string;
  engine: Engine;
  /** every request served: method, path, status */
  calls: Array<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

const TENANT = '<default>';
export interface CamundaSimOptions {
  onError?: (err: unknown) => void;
  /** how long a user-task command waits for its task listener before the gateway gives up (default 15 s) */
  taskListenerWaitMs?: number;
  /** the engine's clock: a TestClock lets process scenarios jump days on the "cluster" too */
  clock?: Clock;
  /** variable values longer than this (JSON characters) come back truncated from searches unless `truncateValues=false` (default 8191) */
  variableSizeThreshold?: number;
  /** false: answer as a gateway that ignores `truncateValues` and always truncates (the adapter must read such values one by one) */
  honourTruncateValues?: boolean;
}

export async function startCamundaSim(options: CamundaSimOptions = {}): Promise<CamundaSim> {
  const taskListenerWaitMs = options.taskListenerWaitMs ?? 15_000;
  const onError = options.onError ?? ((err: unknown) => console.error('[camunda-sim]', err));
  const dir = mkdtempSync(join(tmpdir(), 'ywtg-camunda-sim-'));
  const engine = await Engine.open({
    databaseUrl: `sqlite:${join(dir, 'engine.sqlite')}`,
    sqliteSynchronous: 'NORMAL',
    onError,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const listeners = new Map<string, Map<string, ElementListeners>>();
  const originals = new Map<string, string>();
  const versions = new Map<string, number>();
  let simKey = (3n << 51n) + 1n;
  const nextKey = () => String(simKey++);

  const versionOf = async (defKey: string): Promise<number> => {
    if (!versions.has(defKey)) for (const d of await engine.listDefinitions()) versions.set(d.processDefinitionKey, d.version);
    return versions.get(defKey) ?? 1;
  };
  const listenerJobs = new ListenerJobs(engine, (defKey, elementId) => listeners.get(defKey)?.get(elementId), onError);
  const activation = new JobActivation(engine, listenerJobs, versionOf);
  const decisions = new DecisionInstances(engine);

  const run = async <T>(command: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw rejection(command, err);
    }
  };
  const notFound = (what: string, key: string, command: string) =>
    new Problem(
      404,
      'NOT_FOUND',
      `Command '${command}' rejected with code 'NOT_FOUND': Expected to ${command.toLowerCase()} ${what} with key '${key}', but no such ${what} was found`,
    );
  const noContent = { status: 204 };
  const variableSizeThreshold = options.variableSizeThreshold ?? 8191;
  // the engine keys variables by scope and name; the REST API by a variable key: hand out one per pair
  const variableKeys = new Map<string, string>();
  const variableByKey = new Map<string, { scopeKey: string; name: string; processInstanceKey: string }>();
  const variableKey = (scopeKey: string, name: string, processInstanceKey: string) => {
    const id = `${scopeKey}\u0000${name}`;
    let key = variableKeys.get(id);
    if (!key) {
      variableKeys.set(id, (key = nextKey()));
      variableByKey.set(key, { scopeKey, name, processInstanceKey });
    }
    return key;
  };
  /** The scopes a user task sees: its element instance and the flow scopes around it, innermost first. */
  const taskScopes = async (task: UserTask): Promise<string[]> => {
    const scopeOf = new Map((await engine.listElementInstances(task.processInstanceKey)).map((e) => [e.elementInstanceKey, e.flowScopeKey]));
    const chain: string[] = [];
    for (let key: string | null | undefined = task.elementInstanceKey; key && scopeOf.has(key) && !chain.includes(key); key = scopeOf.get(key)) chain.push(key);
    if (!chain.includes(task.processInstanceKey)) chain.push(task.processInstanceKey);
    return chain;
  };

  /** Zeebe keeps only live tasks in its runtime state: a finished task is "not found" for commands. */
  const liveTask = async (key: string, command: string): Promise<UserTask> => {
    const task = await engine.getUserTask(key);
    if (!task || task.state !== 'CREATED') throw notFound('user task', key, command);
    return task;
  };
  const afterTaskListener = async (task: UserTask, eventType: string) => {
    if (!(await listenerJobs.waitForTaskListener(task.userTaskKey, task.processDefinitionKey, task.elementId, eventType, taskListenerWaitMs))) {
      throw new Problem(504, 'DEADLINE_EXCEEDED', `the ${eventType} listener of user task ${task.userTaskKey} did not complete in time`);
    }
    return noContent;
  };
  const taskView = async (t: UserTask) =>
    userTaskView(t, await versionOf(t.processDefinitionKey), t.formKey ?? (t.formId ? ((await engine.getForm(t.formId))?.formKey ?? null) : null));
  const stateFilter = (f: unknown): string[] | null => {
    if (f === undefined || f === null) return null;
    if (typeof f === 'string') return [f];
    const a = f as { $eq?: string; $in?: string[] };
    return a.$in ?? (a.$eq ? [a.$eq] : null);
  };

  const router = new Router()
    .add('GET', '/v2/topology', async () => ({
      status: 200,
      json: {
        brokers: [{ nodeId: 0, host: '127.0.0.1', port: 26501, version: 'camunda-sim', partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }] }],
        clusterSize: 1,
        partitionsCount: 1,
        replicationFactor: 1,
        gatewayVersion: 'camunda-sim',
      },
    }))

    .add('POST', '/v2/deployments', async (req) => {
      const files = (req.body?.files ?? []) as Array<{ name: string; content: string }>;
      if (!files.length) throw new Problem(400, 'INVALID_ARGUMENT', 'No resources given');
      const resources: Array<{ name: string; xml: string }> = [];
      const byResource = new Map<string, { original: string; catalogue: Awaited<ReturnType<typeof stripListeners>>['catalogue'] }>();
      for (const f of files) {
        if (f.name.endsWith('.form') || f.name.endsWith('.dmn')) {
          resources.push({ name: f.name, xml: f.content });
          continue;
        }
        const stripped = await stripListeners(f.name, f.content);
        resources.push({ name: f.name, xml: stripped.xml });
        byResource.set(f.name, { original: f.content, catalogue: stripped.catalogue });
      }
      const deployed = await run('CREATE', () => engine.deploy(resources)).catch((p: Problem) => {
        throw new Problem(
          400,
          'INVALID_ARGUMENT',
          `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to deploy new resources, but encountered the following errors:\n${p.detail.replace(/^.*?deployment rejected:\s*/s, '')}`,
        );
      });
      const deployments: unknown[] = [];
      for (const d of deployed) {
        const src = byResource.get(d.resourceName)!;
        originals.set(d.processDefinitionKey, src.original);
        listeners.set(d.processDefinitionKey, src.catalogue.get(d.bpmnProcessId) ?? new Map());
        versions.set(d.processDefinitionKey, d.version);
        deployments.push({
          processDefinition: {
            processDefinitionId: d.bpmnProcessId,
            processDefinitionVersion: d.version,
            resourceName: d.resourceName,
            tenantId: TENANT,
            processDefinitionKey: d.processDefinitionKey,
          },
        });
      }
      const forms = await engine.listForms();
      for (const f of files.filter((x) => x.name.endsWith('.form'))) {
        const id = (JSON.parse(f.content) as { id: string }).id;
        const latest = forms.filter((x) => x.formId === id).sort((a, b) => b.version - a.version)[0];
        if (latest)
          deployments.push({ form: { formId: latest.formId, version: latest.version, resourceName: f.name, tenantId: TENANT, formKey: latest.formKey } });
      }
      return { status: 200, json: { deploymentKey: nextKey(), tenantId: TENANT, deployments } };
    })

    .add('GET', '/v2/process-definitions/:key/xml', async (req) => {
      const xml = originals.get(req.params['key']!);
      if (!xml) throw new Problem(404, 'NOT_FOUND', `Process definition with key '${req.params['key']}' not found`);
      return { status: 200, xml };
    })

    .add('POST', '/v2/process-instances', async (req) => {
      const b = req.body as { processDefinitionId?: string; variables?: Record<string, unknown> };
      if (!b.processDefinitionId)
        throw new Problem(400, 'INVALID_ARGUMENT', 'processDefinitionId is required (the simulation does not start by definition key)');
      const r = await run('CREATE', () => engine.createInstance({ bpmnProcessId: b.processDefinitionId!, variables: b.variables ?? {} }));
      return {
        status: 200,
        json: {
          processDefinitionId: r.bpmnProcessId,
          processDefinitionVersion: r.version,
          tenantId: TENANT,
          variables: {},
          processDefinitionKey: r.processDefinitionKey,
          processInstanceKey: r.processInstanceKey,
        },
      };
    })

    .add('GET', '/v2/process-instances/:key', async (req) => {
      const p = await engine.getInstance(req.params['key']!);
      if (!p) throw new Problem(404, 'NOT_FOUND', `Process instance with key '${req.params['key']}' not found`);
      const incidents = await engine.listIncidents({ processInstanceKey: p.processInstanceKey, state: 'ACTIVE' });
      return { status: 200, json: processInstanceView(p, incidents.length > 0) };
    })

    // by key only (what the adapter's getInstance asks): Operate's other filters are not simulated
    .add('POST', '/v2/process-instances/search', async (req) => {
      const f = (req.body as { filter?: Record<string, unknown> }).filter ?? {};
      const other = Object.keys(f).filter((k) => k !== 'processInstanceKey');
      if (typeof f['processInstanceKey'] !== 'string' || other.length)
        throw new Problem(400, 'INVALID_ARGUMENT', 'the simulation searches process instances by processInstanceKey only');
      const p = await engine.getInstance(f['processInstanceKey']);
      const views = p ? [processInstanceView(p, (await engine.listIncidents({ processInstanceKey: p.processInstanceKey, state: 'ACTIVE' })).length > 0)] : [];
      return { status: 200, json: page(views, req.body) };
    })

    .add('POST', '/v2/process-instances/:key/migration', async (req) => {
      const key = req.params['key']!;
      const b = req.body as { targetProcessDefinitionKey?: string; mappingInstructions?: Array<{ sourceElementId: string; targetElementId: string }> };
      if (!(await engine.getInstance(key))) throw notFound('process instance', key, 'MIGRATE');
      await run('MIGRATE', () =>
        engine.migrateInstance(key, {
          targetProcessDefinitionKey: String(b.targetProcessDefinitionKey ?? ''),
          mappingInstructions: b.mappingInstructions ?? [],
        }),
      );
      return noContent;
    })

    .add('POST', '/v2/process-instances/:key/cancellation', async (req) => {
      const key = req.params['key']!;
      const p = await engine.getInstance(key);
      if (!p || p.state !== 'ACTIVE') throw notFound('process instance', key, 'CANCEL');
      await run('CANCEL', () => engine.cancelInstance(key));
      return noContent;
    })

    .add('POST', '/v2/messages/publication', async (req) => {
      const b = req.body as { name?: string; correlationKey?: string; timeToLive?: number; messageId?: string; variables?: Record<string, unknown> };
      const r = await run('PUBLISH', () =>
        engine.publishMessage({
          name: b.name ?? '',
          correlationKey: b.correlationKey ?? '',
          timeToLiveMs: b.timeToLive ?? 0,
          variables: b.variables ?? {},
          ...(b.messageId ? { messageId: b.messageId } : {}),
        }),
      );
      return { status: 200, json: { tenantId: TENANT, messageKey: r.messageKey } };
    })

    .add('POST', '/v2/signals/broadcast', async (req) => {
      const b = req.body as { signalName?: string; variables?: Record<string, unknown> };
      await run('BROADCAST', () => engine.broadcastSignal({ name: b.signalName ?? '', variables: b.variables ?? {} }));
      return { status: 200, json: { tenantId: TENANT, signalKey: nextKey() } };
    })

    .add('PUT', '/v2/element-instances/:key/variables', async (req) => {
      const b = req.body as { variables?: Record<string, unknown>; local?: boolean };
      await run('UPDATE', () => engine.setVariables(req.params['key']!, b.variables ?? {}, { local: b.local ?? false }));
      return noContent;
    })

    .add('POST', '/v2/jobs/activation', async (req) => {
      const jobs = await activation.activate(req.body, req.closed, req.onClose);
      return { status: 200, json: { jobs } };
    })

    .add('POST', '/v2/jobs/:key/completion', async (req) => {
      const key = req.params['key']!;
      const b = req.body as { variables?: Record<string, unknown> | null; result?: { denied?: boolean; corrections?: Record<string, unknown> | null } };
      const listenerJob = listenerJobs.get(key);
      if (listenerJob) {
        // as on a cluster: a task listener job takes no variables; denials and corrections are not simulated
        if (listenerJob.kind === 'TASK_LISTENER' && b.variables && Object.keys(b.variables).length) {
          throw new Problem(
            400,
            'INVALID_ARGUMENT',
            `Command 'COMPLETE' rejected with code 'INVALID_ARGUMENT': Task Listener job completion with variables payload provided is not supported (job ${key})`,
          );
        }
        if (b.result?.denied || (b.result?.corrections && Object.keys(b.result.corrections).length)) {
          throw new Problem(400, 'INVALID_ARGUMENT', 'the simulation does not apply task listener denials or corrections');
        }
        await run('COMPLETE', async () => void listenerJobs.complete(key));
        return noContent;
      }
      await run('COMPLETE', () => engine.completeJob(key, b.variables ?? {}));
      return noContent;
    })

    .add('POST', '/v2/jobs/:key/failure', async (req) => {
      const key = req.params['key']!;
      const b = req.body as { retries?: number; errorMessage?: string; retryBackOff?: number; variables?: Record<string, unknown> };
      if (listenerJobs.has(key)) {
        await run('FAIL', async () => listenerJobs.fail(key, b.retries ?? 0, b.retryBackOff ?? 0, b.errorMessage ?? null));
        return noContent;
      }
      await run('FAIL', () =>
        engine.failJob(key, {
          retries: b.retries ?? 0,
          ...(b.errorMessage ? { errorMessage: b.errorMessage } : {}),
          ...(b.retryBackOff ? { retryBackOffMs: b.retryBackOff } : {}),
          ...(b.variables ? { variables: b.variables } : {}),
        }),
      );
      return noContent;
    })

    .add('POST', '/v2/jobs/:key/error', async (req) => {
      const key = req.params['key']!;
      if (listenerJobs.has(key))
        throw new Problem(
          400,
          'INVALID_ARGUMENT',
          `Command 'THROW_ERROR' rejected with code 'INVALID_ARGUMENT': listener job ${key} cannot throw a BPMN error`,
        );
      const b = req.body as { errorCode?: string; errorMessage?: string; variables?: Record<string, unknown> };
      await run('THROW_ERROR', () =>
        engine.throwError(key, {
          errorCode: b.errorCode ?? '',
          ...(b.errorMessage ? { errorMessage: b.errorMessage } : {}),
          ...(b.variables ? { variables: b.variables } : {}),
        }),
      );
      return noContent;
    })

    .add('PATCH', '/v2/jobs/:key', async (req) => {
      const key = req.params['key']!;
      const retries = (req.body as { changeset?: { retries?: number } }).changeset?.retries;
      if (retries === undefined) return noContent; // timeout changes are not simulated
      if (listenerJobs.has(key)) listenerJobs.updateRetries(key, retries);
      else await run('UPDATE', () => engine.updateJobRetries(key, retries));
      return noContent;
    })

    .add('GET', '/v2/incidents/:key', async (req) => {
      const incident = (await engine.listIncidents()).find((i) => i.incidentKey === req.params['key']);
      if (!incident) throw new Problem(404, 'NOT_FOUND', `Incident with key '${req.params['key']}' not found`);
      return { status: 200, json: incidentView(incident, (await engine.getInstance(incident.processInstanceKey))?.processDefinitionKey ?? '') };
    })

    .add('POST', '/v2/incidents/search', async (req) => {
      const f = (req.body as { filter?: { processInstanceKey?: string; state?: 'ACTIVE' | 'RESOLVED'; errorType?: string } }).filter ?? {};
      const all = (
        await engine.listIncidents({ ...(f.processInstanceKey ? { processInstanceKey: f.processInstanceKey } : {}), ...(f.state ? { state: f.state } : {}) })
      ).filter((i) => !f.errorType || i.errorType === f.errorType);
      const views = await Promise.all(all.map(async (i) => incidentView(i, (await engine.getInstance(i.processInstanceKey))?.processDefinitionKey ?? '')));
      return { status: 200, json: page(views, req.body) };
    })

    .add('POST', '/v2/decision-instances/search', async (req) => ({ status: 200, json: page(await decisions.search(req.body), req.body) }))

    .add('GET', '/v2/decision-instances/:key', async (req) => ({ status: 200, json: decisions.get(req.params['key']!) }))

    .add('POST', '/v2/incidents/:key/resolution', async (req) => {
      const key = req.params['key']!;
      const incident = (await engine.listIncidents({ state: 'ACTIVE' })).find((i) => i.incidentKey === key);
      if (!incident) throw notFound('incident', key, 'RESOLVE');
      await run('RESOLVE', () => engine.resolveIncident(key));
      return noContent;
    })

    .add('GET', '/v2/user-tasks/:key', async (req) => {
      const t = await engine.getUserTask(req.params['key']!);
      if (!t) throw new Problem(404, 'NOT_FOUND', `User task with key '${req.params['key']}' not found`);
      return { status: 200, json: await taskView(t) };
    })

    .add('POST', '/v2/user-tasks/search', async (req) => {
      const f = (req.body as { filter?: Record<string, unknown> }).filter ?? {};
      const states = stateFilter(f['state']);
      const all = (
        await engine.listUserTasks({
          ...(states?.length === 1 ? { state: states[0] as UserTask['state'] } : {}),
          ...(typeof f['processInstanceKey'] === 'string' ? { processInstanceKey: f['processInstanceKey'] } : {}),
          ...(typeof f['assignee'] === 'string' ? { assignee: f['assignee'] } : {}),
          ...(typeof f['elementId'] === 'string' ? { elementId: f['elementId'] } : {}),
          ...(typeof f['candidateGroup'] === 'string' ? { candidateGroup: f['candidateGroup'] } : {}),
          limit: 1000,
        })
      )
        .filter((t) => !states || states.includes(t.state))
        .filter((t) => typeof f['userTaskKey'] !== 'string' || t.userTaskKey === f['userTaskKey']);
      return { status: 200, json: page(await Promise.all(all.map(taskView)), req.body) };
    })

    // every variable of every scope the task sees (a name may come once per scope); values as JSON text
    .add('POST', '/v2/user-tasks/:key/variables/search', async (req) => {
      const task = await engine.getUserTask(req.params['key']!);
      if (!task) throw new Problem(404, 'NOT_FOUND', `User task with key '${req.params['key']}' not found`);
      const truncate = options.honourTruncateValues === false || req.query.get('truncateValues') !== 'false';
      const name = (req.body as { filter?: { name?: unknown } }).filter?.name;
      const items: unknown[] = [];
      for (const scopeKey of await taskScopes(task)) {
        for (const [n, value] of Object.entries(await engine.getVariables(scopeKey))) {
          if (typeof name === 'string' && n !== name) continue;
          const text = JSON.stringify(value);
          const cut = truncate && text.length > variableSizeThreshold;
          items.push({
            name: n,
            value: cut ? text.slice(0, variableSizeThreshold) : text,
            isTruncated: cut,
            tenantId: TENANT,
            variableKey: variableKey(scopeKey, n, task.processInstanceKey),
            scopeKey,
            processInstanceKey: task.processInstanceKey,
          });
        }
      }
      return { status: 200, json: page(items, req.body) };
    })

    .add('GET', '/v2/variables/:key', async (req) => {
      const found = variableByKey.get(req.params['key']!);
      const values = found ? await engine.getVariables(found.scopeKey) : {};
      if (!found || !Object.hasOwn(values, found.name)) throw new Problem(404, 'NOT_FOUND', `Variable with key '${req.params['key']}' not found`);
      return {
        status: 200,
        json: {
          name: found.name,
          value: JSON.stringify(values[found.name]),
          tenantId: TENANT,
          variableKey: req.params['key'],
          scopeKey: found.scopeKey,
          processInstanceKey: found.processInstanceKey,
        },
      };
    })

    .add('POST', '/v2/user-tasks/:key/assignment', async (req) => {
      const key = req.params['key']!;
      const b = req.body as { assignee?: string; allowOverride?: boolean };
      const task = await liveTask(key, 'ASSIGN');
      if (!b.assignee) throw new Problem(400, 'INVALID_ARGUMENT', 'No assignee provided');
      if (b.allowOverride === false && task.assignee) {
        throw new Problem(
          409,
          'INVALID_STATE',
          `Command 'ASSIGN' rejected with code 'INVALID_STATE': Expected to assign user task with key '${key}', but it is already assigned`,
        );
      }
      await run('ASSIGN', () => engine.assignUserTask(key, b.assignee!));
      return afterTaskListener(task, 'assigning');
    })

    .add('DELETE', '/v2/user-tasks/:key/assignee', async (req) => {
      const key = req.params['key']!;
      const task = await liveTask(key, 'ASSIGN');
      await run('ASSIGN', () => engine.assignUserTask(key, null));
      return afterTaskListener(task, 'assigning');
    })

    .add('PATCH', '/v2/user-tasks/:key', async (req) => {
      const key = req.params['key']!;
      const c = ((req.body as { changeset?: Record<string, unknown> }).changeset ?? {}) as {
        dueDate?: string | null;
        followUpDate?: string | null;
        candidateGroups?: string[] | null;
        candidateUsers?: string[] | null;
        priority?: number | null;
      };
      const task = await liveTask(key, 'UPDATE');
      // the REST API clears a date with "", keeps it with null or when absent
      const changes: Parameters<Engine['updateUserTask']>[1] = {};
      if (typeof c.dueDate === 'string') changes.dueDate = c.dueDate === '' ? null : c.dueDate;
      if (typeof c.followUpDate === 'string') changes.followUpDate = c.followUpDate === '' ? null : c.followUpDate;
      if (c.candidateGroups) changes.candidateGroups = c.candidateGroups;
      if (c.candidateUsers) changes.candidateUsers = c.candidateUsers;
      if (typeof c.priority === 'number') changes.priority = c.priority;
      await run('UPDATE', () => engine.updateUserTask(key, changes));
      return afterTaskListener(task, 'updating');
    })

    .add('POST', '/v2/user-tasks/:key/completion', async (req: SimRequest) => {
      const key = req.params['key']!;
      const task = await liveTask(key, 'COMPLETE');
      await run('COMPLETE', () => engine.completeUserTask(key, (req.body as { variables?: Record<string, unknown> }).variables ?? {}));
      return afterTaskListener(task, 'completing');
    });

  const server: Server = createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    engine,
    calls: router.calls,
    async close() {
      listenerJobs.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
