import { readFileSync, readdirSync } from 'node:fs';
import { loadConfig } from '../../../config/load.js';
import { CamundaWorkflowEngine } from '../../../port/camunda/camunda-engine.js';
import { settingsFrom, type CamundaSettings } from '../../../port/camunda/config.js';
import { EmbeddedWorkflowEngine } from '../../../port/embedded/embedded-engine.js';
import type { DeployResource, EngineEvent, WorkflowEngine } from '../../../port/workflow-engine.js';
import { Engine } from '../../../engine/index.js';
import { dropEngineTables, engineTestUrl } from '../../engine/support/harness.js';
import { startCamundaSim, type CamundaSim } from '../../support/camunda-sim/sim-server.js';

/**
 * What a target can show through `subscribe`:
 * - `history`: the embedded engine's full stream (every element, flows, terminations, incidents);
 * - `listeners`: what Zeebe's execution listeners allow (ACTIVATED / COMPLETED, not on every element type);
 * - `workers`: listeners switched off, only the elements our own workers handled.
 * Task events are pushed (task listeners, embedded history) or polled (user-task search).
 */
export interface Capabilities {
  elementEvents: 'history' | 'listeners' | 'workers';
  taskEvents: 'push' | 'poll';
  /** reads that back an error code come from secondary storage and may lag (a real cluster) */
  eventualReads: boolean;
}

export interface OpenTarget {
  engine: WorkflowEngine;
  events: EngineEvent[];
  waitForEvent(match: (e: EngineEvent) => boolean, what: string, timeoutMs?: number): Promise<EngineEvent>;
  /** the active incident of an instance, found outside the port (the port has no incident query) */
  findIncident(processInstanceKey: string): Promise<string>;
  /** element ids completed in an instance, read beside the port where we can (the engine behind it); null on a real cluster */
  completedElements(processInstanceKey: string): Promise<string[] | null>;
  /** whether the instance has ended, read beside the port where we can; null on a real cluster */
  instanceEnded(processInstanceKey: string): Promise<boolean | null>;
  close(): Promise<void>;
}

export interface PortTarget {
  name: string;
  capabilities: Capabilities;
  open(): Promise<OpenTarget>;
}

const FIXTURES = new URL('../bpmn/', import.meta.url);

export function fixtures(): DeployResource[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.bpmn') || f.endsWith('.form'))
    .map((name) => ({ name, content: readFileSync(new URL(name, FIXTURES), 'utf8') }));
}

export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Subscribes once for the whole suite and keeps every event, so scenarios can wait for theirs. */
async function collect(
  engine: WorkflowEngine,
  extra: Omit<OpenTarget, 'engine' | 'events' | 'waitForEvent' | 'close'>,
  cleanup: () => Promise<void>,
): Promise<OpenTarget> {
  const events: EngineEvent[] = [];
  const waiters = new Set<() => void>();
  const subscription = await engine.subscribe(`port-suite-${process.pid}-${Date.now()}`, async (e) => {
    events.push(e);
    for (const w of [...waiters]) w();
  });
  return {
    engine,
    events,
    ...extra,
    waitForEvent(match, what, timeoutMs = 15_000) {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}`));
        }, timeoutMs);
        const check = () => {
          const e = events.find(match);
          if (!e) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(e);
        };
        waiters.add(check);
      });
    },
    async close() {
      await subscription.close();
      await engine.close();
      await cleanup();
    },
  };
}

const completedIn = async (engine: Engine, key: string) =>
  (await engine.history(key)).filter((h) => h.intent === 'ELEMENT_COMPLETED' && h.elementType !== 'process').map((h) => h.elementId!);

const endedIn = async (engine: Engine, key: string) =>
  (await engine.history(key)).some((h) => h.elementType === 'process' && (h.intent === 'ELEMENT_COMPLETED' || h.intent === 'ELEMENT_TERMINATED'));

const quiet = (err: unknown) => {
  // a cancelled job the worker still tried to complete, … : expected noise in these scenarios
  if (process.env['PORT_TEST_VERBOSE']) console.error(err);
};

function embedded(): PortTarget {
  return {
    name: 'the embedded adapter',
    capabilities: { elementEvents: 'history', taskEvents: 'push', eventualReads: false },
    async open() {
      const { url, cleanup } = engineTestUrl();
      await dropEngineTables(url);
      const port = new EmbeddedWorkflowEngine(await Engine.open({ databaseUrl: url, onError: quiet }));
      return collect(
        port,
        {
          findIncident: (key) =>
            eventually(`an incident in ${key}`, async () => (await port.engine.listIncidents({ processInstanceKey: key, state: 'ACTIVE' }))[0]?.incidentKey),
          completedElements: (key) => completedIn(port.engine, key),
          instanceEnded: (key) => endedIn(port.engine, key),
        },
        async () => cleanup(),
      );
    },
  };
}

function camundaIncidentFinder(engine: CamundaWorkflowEngine) {
  return (key: string) =>
    eventually(
      `an incident in ${key}`,
      async () => {
        const r = await engine.client.searchIncidents({ filter: { processInstanceKey: key as never, state: 'ACTIVE' } }, { consistency: { waitUpToMs: 0 } });
        return r.items?.[0]?.incidentKey ? String(r.items[0].incidentKey) : null;
      },
      30_000,
    );
}

function simulated(historyListeners: boolean): PortTarget {
  return {
    name: `the camunda adapter against the simulation (listeners ${historyListeners ? 'on' : 'off'})`,
    capabilities: { elementEvents: historyListeners ? 'listeners' : 'workers', taskEvents: historyListeners ? 'push' : 'poll', eventualReads: false },
    async open() {
      const sim: CamundaSim = await startCamundaSim({ onError: quiet });
      const port = new CamundaWorkflowEngine({
        restAddress: sim.url,
        authStrategy: 'NONE',
        historyListeners,
        longPollMs: 5_000,
        taskPollIntervalMs: 100,
        eventualWaitMs: 1_000,
        onError: quiet,
      });
      return collect(
        port,
        {
          findIncident: camundaIncidentFinder(port),
          completedElements: (key) => completedIn(sim.engine, key),
          instanceEnded: (key) => endedIn(sim.engine, key),
        },
        async () => {
          // PORT_TEST_CALLS=1 lists the REST calls the adapter made: the surface the simulation has to cover
          if (process.env['PORT_TEST_CALLS']) {
            const seen = new Map<string, number>();
            for (const c of sim.calls) {
              const k = `${c.method} ${c.path.replace(/\/\d+(?=\/|$)/g, '/{key}')} → ${c.status}`;
              seen.set(k, (seen.get(k) ?? 0) + 1);
            }
            console.log(
              [...seen]
                .sort()
                .map(([k, n]) => `      ${k}  ×${n}`)
                .join('\n'),
            );
          }
          await sim.close();
        },
      );
    },
  };
}

/** A real cluster: CAMUNDA_TEST_ADDRESS, with the usual CAMUNDA_AUTH_STRATEGY / CAMUNDA_CLIENT_ID … for credentials. */
function realCluster(address: string): PortTarget {
  const historyListeners = process.env['CAMUNDA_HISTORY_LISTENERS'] !== 'false';
  return {
    name: `the camunda adapter against the cluster at ${address}`,
    capabilities: { elementEvents: historyListeners ? 'listeners' : 'workers', taskEvents: historyListeners ? 'push' : 'poll', eventualReads: true },
    async open() {
      const settings: CamundaSettings = { ...settingsFrom(loadConfig({ ...process.env, ENGINE: 'camunda', CAMUNDA_REST_ADDRESS: address })), onError: quiet };
      const port = await CamundaWorkflowEngine.open(settings);
      return collect(
        port,
        { findIncident: camundaIncidentFinder(port), completedElements: async () => null, instanceEnded: async () => null },
        async () => undefined,
      );
    },
  };
}

export function portTargets(): PortTarget[] {
  const targets = [embedded(), simulated(true), simulated(false)];
  const address = process.env['CAMUNDA_TEST_ADDRESS'];
  if (address) targets.push(realCluster(address));
  return targets;
}
