import type { CamundaClient, UserTaskKey } from '@camunda8/orchestration-cluster-api';
import type { EngineEvent, UserTask } from '../workflow-engine.js';
import type { MetadataCache } from './bpmn-metadata.js';

type TaskEvent = Extract<EngineEvent, { kind: 'userTask' }>;

interface SearchedTask {
  userTaskKey: string;
  state?: string;
  name?: string;
  assignee?: string;
  elementId?: string;
  elementInstanceKey?: string;
  candidateGroups?: string[];
  candidateUsers?: string[];
  processDefinitionId?: string;
  processDefinitionKey?: string;
  processInstanceKey?: string;
  dueDate?: string;
  followUpDate?: string;
  priority?: number;
}

function iso(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

const FINISHED: Record<string, 'COMPLETED' | 'CANCELED'> = { COMPLETED: 'COMPLETED', CANCELED: 'CANCELED' };

/**
 * The task inbox without listeners (CAMUNDA_HISTORY_LISTENERS=false): polls the user-task search
 * (`POST /v2/user-tasks/search`, state CREATED) and turns what changed since the last poll into events:
 * a new task → CREATED (and ASSIGNED when it already has an assignee), another assignee → ASSIGNED,
 * other dates / groups / priority → UPDATED, a task gone from the open list → its final state read with
 * `GET /v2/user-tasks/{key}` → COMPLETED or CANCELED.
 *
 * Weaker than the listeners, and says so: the search reads secondary storage (seconds behind), changes
 * between two polls fold into one event, the snapshot lives in memory (after a restart every open task is
 * delivered as CREATED again, and a task that finished while no process polled is never reported).
 */
export class TaskPoller {
  private readonly known = new Map<string, TaskEvent['task']>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly client: CamundaClient,
    private readonly metadata: MetadataCache,
    private readonly deliver: (event: TaskEvent) => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.running = this.poll()
        .catch(this.onError)
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
  }

  private async openTasks(): Promise<SearchedTask[]> {
    const out: SearchedTask[] = [];
    for (let from = 0; ; from += 100) {
      const page = await this.client.searchUserTasks(
        { filter: { state: 'CREATED' }, sort: [{ field: 'creationDate', order: 'ASC' }], page: { from, limit: 100 } },
        { consistency: { waitUpToMs: 0 } },
      );
      const items = (page.items ?? []) as SearchedTask[];
      out.push(...items);
      if (items.length < 100) return out;
    }
  }

  private async toTask(t: SearchedTask, state: UserTask['state']): Promise<UserTask> {
    const bpmnProcessId = String(t.processDefinitionId ?? '');
    const info = t.processDefinitionKey && t.elementId ? await this.metadata.element(String(t.processDefinitionKey), bpmnProcessId, String(t.elementId)) : null;
    return {
      userTaskKey: String(t.userTaskKey),
      state,
      processInstanceKey: String(t.processInstanceKey ?? ''),
      bpmnProcessId,
      elementId: String(t.elementId ?? ''),
      elementInstanceKey: String(t.elementInstanceKey ?? ''),
      name: t.name ?? info?.name ?? null,
      assignee: t.assignee || null,
      candidateGroups: t.candidateGroups ?? [],
      candidateUsers: t.candidateUsers ?? [],
      dueDate: iso(t.dueDate),
      followUpDate: iso(t.followUpDate),
      formId: info?.formId ?? null,
      priority: t.priority ?? 50,
    };
  }

  private async emit(intent: TaskEvent['intent'], task: UserTask): Promise<void> {
    await this.deliver({ kind: 'userTask', intent, task, at: new Date().toISOString() });
  }

  private async poll(): Promise<void> {
    const open = await this.openTasks();
    const seen = new Set<string>();
    for (const raw of open) {
      if (this.stopped) return;
      const task = await this.toTask(raw, 'CREATED');
      seen.add(task.userTaskKey);
      const before = this.known.get(task.userTaskKey);
      if (!before) {
        await this.emit('CREATED', task);
        if (task.assignee) await this.emit('ASSIGNED', task);
      } else {
        if (before.assignee !== task.assignee) await this.emit('ASSIGNED', task);
        const changed =
          (['dueDate', 'followUpDate', 'priority'] as const).some((k) => before[k] !== task[k]) ||
          JSON.stringify(before.candidateGroups) !== JSON.stringify(task.candidateGroups) ||
          JSON.stringify(before.candidateUsers) !== JSON.stringify(task.candidateUsers);
        if (changed) await this.emit('UPDATED', task);
      }
      this.known.set(task.userTaskKey, task);
    }
    for (const [key, before] of [...this.known]) {
      if (seen.has(key) || this.stopped) continue;
      let final: SearchedTask | null = null;
      try {
        final = (await this.client.getUserTask({ userTaskKey: key as unknown as UserTaskKey }, { consistency: { waitUpToMs: 0 } })) as SearchedTask;
      } catch (err) {
        if ((err as { status?: number })?.status !== 404) throw err;
      }
      if (!final) {
        this.known.delete(key);
        continue;
      }
      const state = FINISHED[final.state ?? ''];
      if (!state) continue; // in a transition (ASSIGNING, COMPLETING …): look again next time
      await this.emit(state, { ...(await this.toTask(final, state)), name: before.name, formId: before.formId });
      this.known.delete(key);
    }
  }
}
