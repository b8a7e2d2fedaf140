import { Cases, type Row } from '../../support/tables.js';
import { BusinessCalendar } from '../../../domain/calendar/index.js';
import { memoryLog } from '../../../domain/shared/log.js';
import { Engine, TestClock } from '../../../engine/index.js';
import { EmbeddedWorkflowEngine } from '../../../port/embedded/embedded-engine.js';
import { deployProduct } from '../../../domain/processes/product-resources.js';
import type { RunningWorkers, UserTask, Variables, WorkflowEngine } from '../../../port/workflow-engine.js';
import { CamundaWorkflowEngine } from '../../../port/camunda/camunda-engine.js';
import { startCamundaSim } from '../../support/camunda-sim/sim-server.js';
import { createJobHandlers } from '../../../workers/registry.js';
import { createCase, demoDatabase, type CaseSpec, type Db } from '../../support/case-fixtures.js';
import { engineTestUrl } from '../../engine/support/harness.js';
import { isMysql } from '../../support/database.js';

/**
 * The whole one-machine system on a test clock: the demo district in the app database, the embedded
 * engine behind the port, every job worker of the registry running in process.
 */
export interface ProcessWorld {
  db: Db;
  /** the engine behind the port, for reading state beside it (on the Camunda path: the simulation's engine) */
  engine: Engine;
  port: WorkflowEngine;
  clock: TestClock;
  workers: RunningWorkers;
  close(): Promise<void>;
}

export type Adapter = 'embedded' | 'camunda';

/** Both adapters, the same processes and the same workers: the port's promise. */
export const ADAPTERS: Array<{ adapter: Adapter; name: string }> = [
  { adapter: 'embedded', name: 'the embedded engine' },
  { adapter: 'camunda', name: 'the Camunda 8 adapter against the simulation' },
];

async function openPort(adapter: Adapter, clock: TestClock, appDbUrl: string) {
  if (adapter === 'embedded') {
    const engineUrl = isMysql(appDbUrl) ? { url: appDbUrl, cleanup: () => undefined } : engineTestUrl();
    const engine = await Engine.open({ databaseUrl: engineUrl.url, clock });
    const port = new EmbeddedWorkflowEngine(engine);
    return {
      engine,
      port,
      stop: async () => {
        await port.close();
        engineUrl.cleanup();
      },
    };
  }
  const quiet = () => undefined;
  const sim = await startCamundaSim({ clock, onError: quiet });
  const port = new CamundaWorkflowEngine({
    restAddress: sim.url,
    authStrategy: 'NONE',
    historyListeners: true,
    longPollMs: 2_000,
    taskPollIntervalMs: 100,
    eventualWaitMs: 1_000,
    onError: quiet,
  });
  // with listeners on, someone must take the listener jobs or the cluster waits: the app's subscriber does
  const subscription = await port.subscribe('process-scenarios', async () => undefined);
  return {
    engine: sim.engine,
    port,
    stop: async () => {
      await subscription.close();
      await port.close();
      await sim.close();
    },
  };
}

export async function openProcessWorld(start: Date, adapter: Adapter = 'embedded'): Promise<ProcessWorld> {
  const db = await demoDatabase();
  const clock = new TestClock(start.getTime());
  const { engine, port, stop } = await openPort(adapter, clock, db.url);
  await deployProduct(port);
  const deps = { calendar: new BusinessCalendar(), now: () => new Date(clock.now()), log: memoryLog() };
  const workers = await port.startWorkers(createJobHandlers(deps));
  return {
    db,
    engine,
    port,
    clock,
    workers,
    async close() {
      await workers.close();
      await stop();
      await db.close();
    },
  };
}

/** Files a case as the API does (row first) and starts its process (`variables`: more start variables, e.g. `assistUnits`). */
export async function reportCase(
  world: ProcessWorld,
  spec: CaseSpec,
  processId = 'case-generic',
  variables: Variables = {},
): Promise<{ caseRow: Row<'cases'>; instanceKey: string }> {
  const caseRow = await createCase(spec);
  const { processInstanceKey } = await world.port.createInstance({
    bpmnProcessId: processId,
    variables: {
      caseId: caseRow.id,
      caseNo: caseRow.caseNo,
      channel: caseRow.channel,
      eventTypeCode: spec.eventTypeCode ?? null,
      description: caseRow.description,
      gridCode: spec.gridCode ?? null,
      priority: caseRow.priority,
      ...variables,
    },
  });
  await Cases.updateRow(caseRow, { processInstanceKey, processId });
  return { caseRow, instanceKey: processInstanceKey };
}

/** Waits (in real time: workers run asynchronously) until `probe` returns a value. */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Completes the open task of `elementId` in the case's process tree with the form's variables. */
export async function completeTask(world: ProcessWorld, instanceKeys: () => Promise<string[]>, elementId: string, variables: Variables): Promise<UserTask> {
  const task = await eventually(`the ${elementId} task`, async () => {
    const keys = new Set(await instanceKeys());
    return (await world.engine.listUserTasks({ state: 'CREATED', elementId })).find((t) => keys.has(t.processInstanceKey)) ?? null;
  });
  await world.port.completeUserTask(task.userTaskKey, variables);
  return task as unknown as UserTask;
}

/** The case's root instance and every instance it called (the handling sub-process). */
export async function instanceTree(world: ProcessWorld, rootKey: string): Promise<string[]> {
  const all = await world.engine.listInstances({ limit: 1000 });
  const keys = [rootKey];
  for (let i = 0; i < keys.length; i++) for (const inst of all) if (inst.parentProcessInstanceKey === keys[i]) keys.push(inst.processInstanceKey);
  return keys;
}

export async function reload(caseRow: Row<'cases'>): Promise<Row<'cases'>> {
  return (await Cases.findByPk(caseRow.id))!;
}

/** A Beijing wall-clock time (`2026-09-30T16:00:00`) as an instant, and as the ISO string tasks carry. */
export const at = (local: string): Date => new Date(`${local}+08:00`);
export const iso = (local: string): string => at(local).toISOString();

/** The ids of the timer events that fired in an instance (the engine's history, on either adapter). */
export async function firedTimers(world: ProcessWorld, instanceKey: string): Promise<string[]> {
  return (await world.engine.history(instanceKey)).filter((h) => h.intent === 'TIMER_TRIGGERED').map((h) => String(h.payload?.['eventId'] ?? h.elementId));
}

/** The escalations thrown in the case's process tree: code and the catch event that caught it (null: nobody). */
export async function thrownEscalations(world: ProcessWorld, rootKey: string): Promise<Array<{ code: string; caughtBy: string | null }>> {
  const out: Array<{ code: string; caughtBy: string | null }> = [];
  for (const key of await instanceTree(world, rootKey)) {
    for (const h of await world.engine.history(key)) {
      if (h.intent === 'ESCALATION_THROWN')
        out.push({ code: String(h.payload?.['escalationCode']), caughtBy: (h.payload?.['caughtBy'] as string | null) ?? null });
    }
  }
  return out;
}

/** The ids of the elements that completed in one instance (not its called instances), in order. */
export async function completedElements(world: ProcessWorld, instanceKey: string): Promise<string[]> {
  return (await world.engine.history(instanceKey)).filter((h) => h.intent === 'ELEMENT_COMPLETED').map((h) => String(h.elementId));
}
