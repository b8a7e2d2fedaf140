import { EngineError } from '../errors.js';
import type { FlowNode } from '../model/types.js';
import { planEventSubscription } from '../runtime/event-subscriptions.js';
import type { ElementRow } from '../runtime/rows.js';
import { Incident, MI_BODY, json, type Definition } from '../runtime/run.js';
import { visible } from '../runtime/variables.js';
import { appendHistory } from '../store/history.js';
import { selectInstance } from '../store/instances.js';
import * as store from '../store/migration.js';
import type { CommandContext } from './context.js';

/**
 * Process instance migration, as Camunda 8 documents it (docs.camunda.io, "Process instance migration",
 * components/concepts/process-instance-migration): a running instance is fitted to another deployed
 * definition by mapping instructions `sourceElementId → targetElementId`, interfering as little as possible
 * with its state. Every active element instance needs a mapping; it keeps its key, its variables, its job
 * (key, retries, worker, deadline and type), its user task (key, assignee, candidates, dates) and its
 * incidents; a catch event keeps its timer (same due time) or message subscription (same name and
 * correlation key: nothing is re-evaluated). Afterwards the instance follows the target's flow.
 *
 * Refused, naming each element and why (the whole command changes nothing):
 * - INVALID_ARGUMENT: an unknown target definition, a mapping whose source or target element does not
 *   exist, a source element mapped twice;
 * - INVALID_STATE: the instance is not active; an active element without a mapping; a mapping that changes
 *   the element's type (or a catch event's event kind); a mapping that adds, removes or changes a
 *   multi-instance body (parallel ↔ sequential); an active element whose target lies in another flow scope
 *   than where its scope was mapped to; tokens waiting at a converging gateway; an event-based gateway
 *   whose waiting events are not all mapped; a target scope whose event sub-process starts would not be
 *   listening.
 *
 * Catch events attached to a migrated element (boundary events, event sub-process starts): a mapped one
 * keeps its timer/subscription; an unmapped one is closed; a boundary event of the target that nothing is
 * mapped to is opened from the target's definition (a timer counts from the migration), as Camunda does.
 */

export interface MappingInstruction {
  sourceElementId: string;
  targetElementId: string;
}
export interface MigrationPlan {
  targetProcessDefinitionKey: string;
  mappingInstructions: MappingInstruction[];
}

export interface MigrationMove {
  elementInstanceKey: string;
  elementType: string;
  sourceElementId: string;
  targetElementId: string;
  jobKey?: string;
  userTaskKey?: string;
  incidentKeys?: string[];
  /** timers and subscriptions: `timer:<elementId>` / `message:<elementId>` / `signal:<elementId>`, by what happens to them */
  kept?: string[];
  closed?: string[];
  opened?: string[];
  notes?: string[];
}

export interface MigrationRefusal {
  code: 'INVALID_ARGUMENT' | 'INVALID_STATE';
  elementId: string | null;
  elementInstanceKey: string | null;
  reason: string;
}

export interface DefinitionRef {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
}

export interface MigrationPreview {
  processInstanceKey: string;
  source: DefinitionRef;
  target: DefinitionRef | null;
  migratable: boolean;
  moves: MigrationMove[];
  refusals: MigrationRefusal[];
}

const ref = (d: Definition): DefinitionRef => ({ processDefinitionKey: d.defKey, bpmnProcessId: d.processId, version: d.version });

interface Worked {
  preview: MigrationPreview;
  state: store.InstanceState;
  target: Definition | null;
  /** boundary events of the target to open after the rows moved: owner element key → target boundary ids */
  toOpen: Map<string, string[]>;
  /** subscription / timer keys to close */
  toClose: { timers: string[]; subscriptions: string[] };
  /** scopes whose waiting join tokens move: scope element key → the rewritten `data.joins` */
  joins: Map<string, Record<string, Record<string, number>>>;
  targetOf: Map<string, string>;
}

function checkPlan(plan: MigrationPlan): void {
  if (!plan || typeof plan !== 'object') throw new EngineError('INVALID_ARGUMENT', 'a migration plan is required');
  if (typeof plan.targetProcessDefinitionKey !== 'string' || !/^[0-9]{1,19}$/.test(plan.targetProcessDefinitionKey)) {
    throw new EngineError('INVALID_ARGUMENT', 'targetProcessDefinitionKey must be a key (decimal string)');
  }
  if (!Array.isArray(plan.mappingInstructions)) throw new EngineError('INVALID_ARGUMENT', 'mappingInstructions must be a list');
  for (const m of plan.mappingInstructions) {
    if (!m || typeof m.sourceElementId !== 'string' || typeof m.targetElementId !== 'string' || !m.sourceElementId || !m.targetElementId) {
      throw new EngineError('INVALID_ARGUMENT', 'each mapping instruction needs a sourceElementId and a targetElementId');
    }
  }
}

const CATCH_KINDS = new Set(['timer', 'message', 'signal']);

/** Works out the whole migration from the instance's rows, writing nothing. */
async function work(ctx: CommandContext, instanceKey: string, plan: MigrationPlan): Promise<Worked> {
  checkPlan(plan);
  const inst = await selectInstance(ctx.driver, instanceKey);
  if (!inst) throw new EngineError('NOT_FOUND', `process instance ${instanceKey} not found`);
  const source = ctx.definitions.get(inst.def_key);
  const target = ctx.definitions.find(plan.targetProcessDefinitionKey) ?? null;
  const refusals: MigrationRefusal[] = [];
  const refuse = (code: MigrationRefusal['code'], elementId: string | null, elementInstanceKey: string | null, reason: string) =>
    refusals.push({ code, elementId, elementInstanceKey, reason });
  const preview: MigrationPreview = {
    processInstanceKey: instanceKey,
    source: ref(source),
    target: target ? ref(target) : null,
    migratable: false,
    moves: [],
    refusals,
  };
  const state = await store.selectInstanceState(ctx.driver, instanceKey);
  const worked: Worked = { preview, state, target, toOpen: new Map(), toClose: { timers: [], subscriptions: [] }, joins: new Map(), targetOf: new Map() };

  if (!target) refuse('INVALID_ARGUMENT', null, null, `no deployed process definition with key ${plan.targetProcessDefinitionKey}`);
  if (inst.state !== 'ACTIVE')
    refuse('INVALID_STATE', null, null, `process instance ${instanceKey} is ${inst.state.toLowerCase()}: only active instances migrate`);
  const mapping = new Map<string, string>();
  for (const m of plan.mappingInstructions) {
    if (mapping.has(m.sourceElementId)) refuse('INVALID_ARGUMENT', m.sourceElementId, null, `source element ${m.sourceElementId} is mapped more than once`);
    else mapping.set(m.sourceElementId, m.targetElementId);
    // a sequence flow is mapped for the tokens a joining gateway holds (Camunda 8.8 docs: joining gateways)
    const isFlow = Boolean(source.model.flows[m.sourceElementId]);
    if (!source.model.nodes[m.sourceElementId] && !isFlow)
      refuse(
        'INVALID_ARGUMENT',
        m.sourceElementId,
        null,
        `source element ${m.sourceElementId} does not exist in ${source.processId} version ${source.version}`,
      );
    if (target && !(isFlow ? target.model.flows[m.targetElementId] : target.model.nodes[m.targetElementId])) {
      refuse(
        'INVALID_ARGUMENT',
        m.targetElementId,
        null,
        `target ${isFlow ? 'sequence flow' : 'element'} ${m.targetElementId} does not exist in ${target.processId} version ${target.version}`,
      );
    }
  }
  if (!target || refusals.length) return worked;

  const byKey = new Map(state.elements.map((e) => [e.key, e]));
  const targetOf = worked.targetOf;
  // the process itself goes to the target process; every other active element needs a mapping
  for (const el of state.elements) {
    if (el.type === 'process') {
      targetOf.set(el.key, target.processId);
      continue;
    }
    const to = mapping.get(el.elementId);
    if (to === undefined)
      refuse('INVALID_STATE', el.elementId, el.key, `active element ${el.elementId} has no mapping instruction: elements cannot be migrated without one`);
    else targetOf.set(el.key, to);
  }

  for (const el of state.elements) {
    const to = targetOf.get(el.key);
    if (to === undefined) continue;
    const move: MigrationMove = { elementInstanceKey: el.key, elementType: el.type, sourceElementId: el.elementId, targetElementId: to };
    preview.moves.push(move);
    if (el.type === 'process') {
      moveJoins(el);
      checkEventSubProcessStarts(el, source.model.nodes[el.elementId] ?? null, target.model.nodes[to] ?? null, target);
      continue;
    }
    const from = source.model.nodes[el.elementId]!;
    const into = target.model.nodes[to]!;
    const why = (reason: string) => refuse('INVALID_STATE', el.elementId, el.key, reason);
    if (from.type !== into.type) why(`element ${el.elementId} is a ${from.type} and cannot become ${to}, a ${into.type}: the element type must not change`);
    else if (from.type === 'userTask' && !from.job !== !into.job) {
      // a job-worker user task (no zeebe:userTask) is a job of type io.camunda.zeebe:userTask here
      why(
        !from.job
          ? `user task ${el.elementId} is a Camunda user task and cannot become ${to}, a job-worker user task: the implementation can only change the other way`
          : `user task ${el.elementId} is a job-worker user task and ${to} a Camunda user task: the embedded engine does not change a task's implementation by migration (Camunda 8.8.17 does)`,
      );
    } else if (from.event && into.event && from.event.kind !== into.event.kind)
      why(`catch event ${el.elementId} waits for a ${from.event.kind} and cannot become ${to}, which waits for a ${into.event.kind}`);
    if (!!from.multiInstance !== !!into.multiInstance) {
      why(
        `element ${el.elementId} ${from.multiInstance ? 'is' : 'is not'} multi-instance and ${to} ${into.multiInstance ? 'is' : 'is not'}: a multi-instance body cannot be added or removed by migration`,
      );
    } else if (from.multiInstance && into.multiInstance && from.multiInstance.sequential !== into.multiInstance.sequential) {
      why(
        `multi-instance ${el.elementId} is ${from.multiInstance.sequential ? 'sequential' : 'parallel'} and ${to} is ${into.multiInstance.sequential ? 'sequential' : 'parallel'}: the loop characteristics cannot change`,
      );
    }
    // flow scope: the target must lie where the element's scope goes (an inner instance of a multi-instance lies in its body)
    const scope = el.scopeKey ? byKey.get(el.scopeKey) : undefined;
    const innerOfMi = scope?.type === MI_BODY && scope.elementId === el.elementId;
    if (scope && !innerOfMi) {
      const scopeTarget = targetOf.get(scope.key);
      if (scopeTarget !== undefined && into.scopeId !== scopeTarget) {
        why(
          `element ${el.elementId} would move from flow scope ${scope.elementId} (mapped to ${scopeTarget}) into flow scope ${into.scopeId}: a migrated element must stay in the flow scope its scope was mapped to`,
        );
      }
    }
    moveJoins(el);

    const job = state.jobs.find((j) => j.element_key === el.key);
    if (job) {
      move.jobKey = job.job_key;
      const targetType = into.job?.type;
      if (targetType && !targetType.feel && targetType.text !== job.type)
        (move.notes ??= []).push(`job ${job.job_key} keeps its type '${job.type}' (the target defines '${targetType.text}')`);
    }
    const task = state.userTasks.find((t) => t.element_key === el.key);
    if (task) move.userTaskKey = task.task_key;
    const incidents = state.incidents.filter((i) => i.element_key === el.key).map((i) => i.incident_key);
    if (incidents.length) move.incidentKeys = incidents;
    if (from.type === 'eventBasedGateway') {
      const unmapped = [...state.timers, ...state.subscriptions].filter((s) => s.element_key === el.key && !mapping.has(s.element_id)).map((s) => s.element_id);
      if (unmapped.length) why(`event-based gateway ${el.elementId} waits for ${[...new Set(unmapped)].join(', ')}, which have no mapping instruction`);
    }
    if (from.type === 'subProcess' || from.type === 'eventSubProcess') checkEventSubProcessStarts(el, from, into, target);
  }

  // timers and subscriptions: the element's own (a catch event, a receive task) move with it; attached ones by their mapping
  const moveOf = new Map(preview.moves.map((m) => [m.elementInstanceKey, m]));
  const waits = [
    ...state.timers.map((t) => ({ kind: 'timer', key: t.timer_key, ownerKey: t.element_key, elementId: t.element_id, timer: true })),
    ...state.subscriptions.map((s) => ({ kind: s.kind, key: s.sub_key, ownerKey: s.element_key, elementId: s.element_id, timer: false })),
  ];
  const catchTargets = new Map<string, string>();
  for (const w of waits) {
    if (!w.ownerKey) continue;
    const owner = byKey.get(w.ownerKey);
    const move = moveOf.get(w.ownerKey);
    if (!owner || !move) continue;
    const label = `${w.kind}:${w.elementId}`;
    if (w.elementId === owner.elementId) {
      (move.kept ??= []).push(label);
      continue;
    }
    const to = mapping.get(w.elementId);
    if (to === undefined) {
      (move.closed ??= []).push(label);
      (w.timer ? worked.toClose.timers : worked.toClose.subscriptions).push(w.key);
      continue;
    }
    const a = source.model.nodes[w.elementId]!;
    const b = target.model.nodes[to]!;
    const earlier = catchTargets.get(to);
    if (earlier !== undefined && earlier !== w.elementId) {
      refuse(
        'INVALID_STATE',
        w.elementId,
        owner.key,
        `catch events ${earlier} and ${w.elementId} are both mapped to ${to}: each catch event can be the target of one mapping instruction only`,
      );
      continue;
    }
    catchTargets.set(to, w.elementId);
    if (a.type !== b.type || a.event?.kind !== b.event?.kind) {
      refuse(
        'INVALID_STATE',
        w.elementId,
        owner.key,
        `catch event ${w.elementId} (${a.type}, ${a.event?.kind}) cannot become ${to} (${b.type}, ${b.event?.kind}): its type and event must not change`,
      );
    } else if (a.type === 'boundaryEvent' && b.attachedTo !== move.targetElementId) {
      refuse(
        'INVALID_STATE',
        w.elementId,
        owner.key,
        `boundary event ${w.elementId} would be attached to ${b.attachedTo ?? 'nothing'}, not to ${move.targetElementId} where its element goes`,
      );
    } else (move.kept ??= []).push(`${label}→${to}`);
  }

  // boundary events of the target that nothing maps to are opened from the target's definition
  const mappedTargets = new Set(mapping.values());
  for (const el of state.elements) {
    const move = moveOf.get(el.key);
    if (!move || el.type === 'process') continue;
    const scope = el.scopeKey ? byKey.get(el.scopeKey) : undefined;
    if (scope?.type === MI_BODY && scope.elementId === el.elementId) continue; // the body holds the boundary events
    const into = target.model.nodes[move.targetElementId];
    if (!into) continue;
    const open = into.boundaryEvents.filter((id) => !mappedTargets.has(id) && CATCH_KINDS.has(target.model.nodes[id]?.event?.kind ?? ''));
    if (open.length) {
      worked.toOpen.set(el.key, [...(worked.toOpen.get(el.key) ?? []), ...open]);
      (move.opened ??= []).push(...open.map((id) => `${target.model.nodes[id]!.event!.kind}:${id}`));
    }
  }
  preview.migratable = refusals.length === 0;
  return worked;

  /**
   * The event sub-process starts (timer, message, signal) of the scope's target that no subscription of the
   * scope is mapped to are opened from the target's definition, as Camunda 8 opens a catch event that is not
   * the target of a mapping instruction; unmapped ones of the source are closed with the other waits.
   */
  function checkEventSubProcessStarts(el: ElementRow, from: FlowNode | null, into: FlowNode | null, t: Definition): void {
    if (!into || !from) return;
    const listening = new Set(
      [...state.timers, ...state.subscriptions].filter((s) => s.element_key === el.key && mapping.has(s.element_id)).map((s) => mapping.get(s.element_id)!),
    );
    const open: string[] = [];
    for (const espId of into.eventSubProcesses) {
      for (const startId of t.model.nodes[espId]?.startEvents ?? []) {
        const kind = t.model.nodes[startId]?.event?.kind ?? '';
        if (CATCH_KINDS.has(kind) && !listening.has(startId)) open.push(startId);
      }
    }
    if (!open.length) return;
    worked.toOpen.set(el.key, [...(worked.toOpen.get(el.key) ?? []), ...open]);
    const move = preview.moves.find((m) => m.elementInstanceKey === el.key);
    if (move) (move.opened ??= []).push(...open.map((id) => `${t.model.nodes[id]!.event!.kind}:${id}`));
  }

  /**
   * Tokens waiting at a joining parallel or inclusive gateway of this scope move with the gateway (Camunda 8.8
   * docs, *Migrating joining parallel and inclusive gateways*): the gateway must be mapped to one of the same
   * type with at least as many incoming flows, and each flow that holds a token to an incoming flow of it
   * (by a mapping instruction, or the same id).
   */
  function moveJoins(el: ElementRow): void {
    const joins = (el.data.joins ?? {}) as Record<string, Record<string, number>>;
    const moved: Record<string, Record<string, number>> = {};
    let any = false;
    for (const [gatewayId, tokens] of Object.entries(joins)) {
      const taken = Object.entries(tokens).filter(([, n]) => n > 0);
      if (!taken.length) continue;
      any = true;
      const targetId = mapping.get(gatewayId);
      const from = source.model.nodes[gatewayId];
      const into = targetId === undefined ? undefined : target!.model.nodes[targetId];
      if (targetId === undefined || !from || !into) {
        refuse('INVALID_STATE', gatewayId, el.key, `tokens wait at joining gateway ${gatewayId}: it needs a mapping instruction to a gateway of the target`);
        continue;
      }
      if (from.type !== into.type) {
        refuse('INVALID_STATE', gatewayId, el.key, `joining gateway ${gatewayId} is a ${from.type} and cannot become ${targetId}, a ${into.type}`);
        continue;
      }
      if (into.incoming.length < from.incoming.length) {
        refuse(
          'INVALID_STATE',
          gatewayId,
          el.key,
          `joining gateway ${targetId} has ${into.incoming.length} incoming flows, fewer than the ${from.incoming.length} of ${gatewayId}`,
        );
        continue;
      }
      const next: Record<string, number> = {};
      for (const [flowId, n] of taken) {
        const to = mapping.get(flowId) ?? flowId;
        if (!into.incoming.includes(to)) {
          refuse(
            'INVALID_STATE',
            flowId,
            el.key,
            `sequence flow ${flowId} holds a token for gateway ${gatewayId}: map it to an incoming flow of ${targetId} (${into.incoming.join(', ')})`,
          );
          continue;
        }
        next[to] = (next[to] ?? 0) + n;
      }
      moved[targetId] = next;
    }
    if (any) worked.joins.set(el.key, moved);
  }
}

function refusalError(p: MigrationPreview): EngineError {
  const code = p.refusals.some((r) => r.code === 'INVALID_ARGUMENT') ? 'INVALID_ARGUMENT' : 'INVALID_STATE';
  const lines = p.refusals.map((r) => `${r.elementId ?? 'plan'}: ${r.reason}`);
  return new EngineError(code, `process instance ${p.processInstanceKey} cannot be migrated:\n  ${lines.join('\n  ')}`, { refusals: p.refusals });
}

/** What a migration would do, writing nothing: the moves and, if any, every refusal. */
export async function previewMigration(ctx: CommandContext, instanceKey: string, plan: MigrationPlan): Promise<MigrationPreview> {
  return ctx.command(async () => (await work(ctx, instanceKey, plan)).preview);
}

/** Migrates the instance all or nothing in one transaction; refused with every reason when any element cannot move. */
export async function migrateInstance(ctx: CommandContext, instanceKey: string, plan: MigrationPlan): Promise<MigrationPreview> {
  return ctx.command(async (run) => {
    const w = await work(ctx, instanceKey, plan);
    if (!w.preview.migratable || !w.target) throw refusalError(w.preview);
    const target = w.target;
    const db = ctx.driver;
    const sourceRef = w.preview.source;
    await store.retargetInstance(db, instanceKey, target.defKey, target.processId, target.version);
    const inst = await run.instance(instanceKey);
    Object.assign(inst, { def_key: target.defKey, process_id: target.processId, version: target.version });
    const targetOfElementId = new Map<string, string>();
    for (const m of w.preview.moves) {
      targetOfElementId.set(m.sourceElementId, m.targetElementId);
      await store.retargetElement(db, m.elementInstanceKey, m.targetElementId);
      const cached = await run.element(m.elementInstanceKey);
      if (cached) cached.elementId = m.targetElementId;
      if (m.jobKey) await store.retargetJob(db, m.jobKey, m.targetElementId, target.processId, target.defKey);
      if (m.userTaskKey) await store.retargetUserTask(db, m.userTaskKey, m.targetElementId, target.processId, target.defKey);
      for (const k of m.incidentKeys ?? []) await store.retargetIncident(db, k, m.targetElementId, target.processId);
    }
    for (const [scopeKey, joins] of w.joins) {
      const scope = (await run.element(scopeKey))!;
      scope.data.joins = joins;
      await run.saveElement(scope);
    }
    for (const k of w.toClose.timers) await db.write('DELETE FROM eng_timer WHERE timer_key = ?', [k]);
    for (const k of w.toClose.subscriptions) await db.write('DELETE FROM eng_subscription WHERE sub_key = ?', [k]);
    const mapping = new Map(plan.mappingInstructions.map((m) => [m.sourceElementId, m.targetElementId]));
    const closed = new Set([...w.toClose.timers, ...w.toClose.subscriptions]);
    for (const t of w.state.timers) {
      if (closed.has(t.timer_key) || !t.element_key) continue;
      await store.retargetTimer(db, t.timer_key, mapping.get(t.element_id) ?? targetOfElementId.get(t.element_id) ?? t.element_id, target.defKey);
    }
    for (const s of w.state.subscriptions) {
      if (closed.has(s.sub_key)) continue;
      await store.retargetSubscription(db, s.sub_key, mapping.get(s.element_id) ?? targetOfElementId.get(s.element_id) ?? s.element_id, target.processId);
    }
    // catch events the target adds (boundary events, event sub-process starts): evaluated and opened now, from the target's definition
    for (const [ownerKey, ids] of w.toOpen) {
      const owner = (await run.element(ownerKey))!;
      const context = await visible(run, owner.key);
      for (const id of ids) {
        try {
          const open = await planEventSubscription(run, owner, target.model.nodes[id]!, context, id);
          if (open) await open();
        } catch (err) {
          if (!(err instanceof Incident)) throw err;
          throw refusalError({
            ...w.preview,
            migratable: false,
            refusals: [
              {
                code: 'INVALID_STATE',
                elementId: id,
                elementInstanceKey: owner.key,
                reason: `catch event ${id} of the target cannot be opened: ${err.message}`,
              },
            ],
          });
        }
      }
    }
    for (const m of w.preview.moves) {
      await appendHistory(db, {
        instanceKey,
        processId: target.processId,
        elementKey: m.elementInstanceKey,
        elementId: m.targetElementId,
        elementType: m.elementType,
        intent: 'ELEMENT_MIGRATED',
        at: ctx.clock.now(),
        payload: json({
          sourceElementId: m.sourceElementId,
          sourceProcessDefinitionKey: sourceRef.processDefinitionKey,
          sourceVersion: sourceRef.version,
          targetProcessDefinitionKey: target.defKey,
          targetVersion: target.version,
        }),
      });
    }
    // the task's readers (the inbox) learn its new element and definition, as Zeebe's user task MIGRATED record tells them
    for (const m of w.preview.moves) {
      if (!m.userTaskKey) continue;
      await appendHistory(db, {
        instanceKey,
        processId: target.processId,
        elementKey: m.elementInstanceKey,
        elementId: m.targetElementId,
        elementType: m.elementType,
        intent: 'USER_TASK_MIGRATED',
        at: ctx.clock.now(),
        payload: json({ userTaskKey: m.userTaskKey }),
      });
      run.effects.userTaskEvents.push({ intent: 'MIGRATED', taskKey: m.userTaskKey });
    }
    // a buffered message matching a newly opened subscription correlates now
    await run.drain();
    return w.preview;
  });
}
