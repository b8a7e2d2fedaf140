import type { ActivatedJob, Engine } from '../../../engine/index.js';
import type { ListenerJobs, SimListenerJob } from './listener-jobs.js';

export interface ActivationRequest {
  type: string;
  worker: string;
  maxJobsToActivate: number;
  timeout: number;
  requestTimeout?: number;
  fetchVariable?: string[];
}

/** The gateway's default long-poll timeout, used when a request says 0. */
const DEFAULT_LONG_POLL_MS = 10_000;

/**
 * `POST /v2/jobs/activation` with long polling: engine jobs and listener jobs of the type, else the
 * request is held until a job of the type shows up (the engine's `jobs` event, a listener job queued) or
 * `requestTimeout` runs out. Jobs found for a client that has gone meanwhile are handed back.
 */
export class JobActivation {
  constructor(
    private readonly engine: Engine,
    private readonly listenerJobs: ListenerJobs,
    private readonly versionOf: (processDefinitionKey: string) => Promise<number>,
  ) {}

  async activate(r: ActivationRequest, closed: () => boolean, onClose: (cb: () => void) => void): Promise<unknown[]> {
    const longPoll = r.requestTimeout === undefined || r.requestTimeout === 0 ? DEFAULT_LONG_POLL_MS : Math.max(0, r.requestTimeout);
    const until = Date.now() + longPoll;
    for (;;) {
      const listener = this.listenerJobs.activate(r.type, r.maxJobsToActivate, r.worker, r.timeout);
      const engineJobs =
        listener.length < r.maxJobsToActivate
          ? await this.engine.activateJobs({
              type: r.type,
              maxJobsToActivate: r.maxJobsToActivate - listener.length,
              timeoutMs: r.timeout,
              worker: r.worker,
              ...(r.fetchVariable?.length ? { fetchVariables: r.fetchVariable } : {}),
            })
          : [];
      if (listener.length || engineJobs.length) {
        if (closed()) {
          for (const j of listener) this.listenerJobs.release(j.key);
          // the engine has no "un-activate": a failure with the same retries and no back-off puts the job back
          for (const j of engineJobs)
            await this.engine.failJob(j.key, { retries: j.retries, errorMessage: 'activation not delivered (client gone)' }).catch(() => undefined);
          return [];
        }
        return [...(await Promise.all(listener.map((j) => this.listenerView(j)))), ...(await Promise.all(engineJobs.map((j) => this.engineView(j))))];
      }
      if (closed() || Date.now() >= until) return [];
      await this.wake(r.type, until - Date.now(), onClose);
    }
  }

  private wake(type: string, ms: number, onClose: (cb: () => void) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.engine.off('jobs', onJobs);
        this.listenerJobs.off('available', onJobs);
        resolve();
      };
      const onJobs = (t: string) => {
        if (t === type) finish();
      };
      // a safety net besides the events: back-off ends and timed-out jobs are noticed within 100 ms
      const timer = setTimeout(finish, Math.min(ms, 100));
      this.engine.on('jobs', onJobs);
      this.listenerJobs.on('available', onJobs);
      onClose(finish);
    });
  }

  private async engineView(j: ActivatedJob) {
    return {
      jobKey: j.key,
      type: j.type,
      processDefinitionId: j.bpmnProcessId,
      processDefinitionVersion: await this.versionOf(j.processDefinitionKey),
      processDefinitionKey: j.processDefinitionKey,
      processInstanceKey: j.processInstanceKey,
      elementId: j.elementId,
      elementInstanceKey: j.elementInstanceKey,
      customHeaders: j.customHeaders,
      worker: j.worker,
      retries: j.retries,
      deadline: j.deadline,
      variables: j.variables,
      tenantId: '<default>',
      kind: 'BPMN_ELEMENT',
      listenerEventType: 'UNSPECIFIED',
    };
  }

  /**
   * The instance's variables now; for an execution listener whose instance has already ended, those read at its
   * element's event. The simulated engine does not wait for a start listener, so a task completed at once can end
   * its instance before the listener job is handed out; on a cluster the element waits and the job sees the scope.
   */
  private async variablesOf(j: SimListenerJob): Promise<Record<string, unknown>> {
    if (j.kind === 'EXECUTION_LISTENER' && j.variablesAtEvent && (await this.engine.getInstance(j.processInstanceKey))?.state !== 'ACTIVE')
      return j.variablesAtEvent;
    return this.engine.getVariables(j.processInstanceKey);
  }

  private async listenerView(j: SimListenerJob) {
    return {
      jobKey: j.key,
      type: j.type,
      processDefinitionId: j.bpmnProcessId,
      processDefinitionVersion: j.version,
      processDefinitionKey: j.processDefinitionKey,
      processInstanceKey: j.processInstanceKey,
      elementId: j.elementId,
      elementInstanceKey: j.elementInstanceKey,
      customHeaders: {},
      worker: j.worker,
      retries: j.retries,
      deadline: j.deadline,
      variables: await this.variablesOf(j),
      tenantId: '<default>',
      kind: j.kind,
      listenerEventType: j.listenerEventType,
      ...(j.userTask ? { userTask: j.userTask } : {}),
    };
  }
}
