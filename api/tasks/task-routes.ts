import { Router, type Request } from 'express';
import { readCase } from '../../domain/cases/case-detail.js';
import { redispatchOffered } from '../../domain/cases/order-redispatch.js';
import { stuckCases } from '../../domain/operations/index.js';
import { claimTask, completeTask, getTask, listTasks, unclaimTask, type TaskFilter } from '../../domain/inbox/tasks.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth, requireRole } from '../auth/middleware.js';
import { idempotent } from '../http/idempotency.js';
import { afterParam, keysetPageSize, offsetNote } from '../http/paging-schema.js';
import { validate } from '../http/validate.js';

export const taskListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { enum: ['created', 'completed', 'cancelled'] },
    unit: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    dueSoon: { type: 'boolean' },
    overdue: { type: 'boolean' },
    light: { enum: ['green', 'yellow', 'red'] },
    category: { type: 'string', minLength: 1, maxLength: 16 },
    township: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
    after: afterParam,
    limit: keysetPageSize(50),
    offset: { type: 'integer', minimum: 0, maximum: 100000, description: offsetNote },
  },
  not: { required: ['after', 'offset'], properties: { after: {}, offset: {} } },
};
export const taskKeyParams = { type: 'object', required: ['key'], properties: { key: { type: 'string', pattern: '^[0-9]{1,20}$' } } };
export const completeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: { data: { type: 'object' } },
};

/** The task inbox: list (unit-scoped), read with form and case, claim, unclaim, complete with form data. */
export function taskRoutes(port: WorkflowEngine): Router {
  const r = Router();
  r.use('/tasks', requireAuth);
  r.get('/tasks', validate({ query: taskListQuery }), async (req, res) => {
    res.json(await listTasks(actorOf(req), req.query as TaskFilter));
  });
  // before /tasks/:key: the cases stopped on an open incident, which wait at no task (the centre's inbox shows them)
  r.get('/tasks/incidents', requireRole('admin', 'operator'), validate({}), async (_req, res) => {
    res.json(await stuckCases(port));
  });
  r.get('/tasks/:key', validate({ params: taskKeyParams }), async (req, res) => {
    const actor = actorOf(req);
    const found = await getTask(actor, String(req.params['key']), new Date(), port);
    const caseDetail = found.caseId ? await readCase(actor, found.caseId).catch(() => null) : null;
    // the centre's 改派 is offered beside a unit's open task of a case whose process has it
    const centre = actor.role === 'operator' || actor.role === 'admin';
    const redispatchable = centre && !!caseDetail && found.task.state === 'created' && (await redispatchOffered(caseDetail.id, found.task.elementId));
    res.json({ task: found.task, form: found.form, case: caseDetail, variables: found.variables, redispatchable });
  });
  const key = (req: Request) => String(req.params['key']);
  r.post('/tasks/:key/claim', validate({ params: taskKeyParams }), async (req, res) => {
    res.json(await claimTask(port, actorOf(req), key(req)));
  });
  r.post('/tasks/:key/unclaim', validate({ params: taskKeyParams }), async (req, res) => {
    res.json(await unclaimTask(port, actorOf(req), key(req)));
  });
  r.post(
    '/tasks/:key/complete',
    validate({ params: taskKeyParams, body: completeBody }),
    idempotent(
      (req) => `POST /tasks/${key(req)}/complete:${actorOf(req).userId}`,
      async (req: Request) => {
        const data = (req.body as { data: Record<string, unknown> }).data;
        const done = await completeTask(port, actorOf(req), key(req), data);
        return { status: 200, body: done };
      },
    ),
  );
  return r;
}
