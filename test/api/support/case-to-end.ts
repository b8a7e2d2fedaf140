import { Cases, Grids, InboxTasks } from '../../support/tables.js';
import { CASE_HISTORY_SUBSCRIBER } from '../../../domain/history/record-events.js';
import { INBOX_SUBSCRIBER } from '../../../domain/inbox/sync.js';
import { eventually } from '../../processes/support/process-harness.js';
import type { ApiWorld } from './api-world.js';

/** What each task of the demo processes is completed with on the straight path to 结案. */
const FORM_DATA: Record<string, (unitCode: string) => Record<string, unknown>> = {
  accept: () => ({ filed: true, eventTypeCode: 'BJ-0101' }),
  dispatch: (unitCode) => ({ unitCode, dispatchNote: '请尽快处理' }),
  handle: () => ({ handleOutcome: 'done', handleResult: '已处理完毕' }),
  verify: () => ({ verified: true }),
};

/** Every instance of a case's call tree, root first. */
export async function treeOf(api: ApiWorld, rootKey: string): Promise<string[]> {
  const keys = [rootKey];
  for (let i = 0; i < keys.length; i++) {
    const children = await api.world.engine.driver.read<{ instance_key: string }>('SELECT instance_key FROM eng_instance WHERE parent_instance_key = ?', [
      keys[i]!,
    ]);
    keys.push(...children.map((c) => c.instance_key));
  }
  return keys;
}

/**
 * Files a report through the API as the operator and takes it to its end as people would: the admin claims
 * and completes each task (受理, 派遣 when routing leaves it to the centre, 处置, 核查), the reporter rates
 * the closed case on the public page (回访), and the process ends. Resolves once the case history and the
 * inbox have read the last record of its instances.
 */
export async function caseToEnd(
  api: ApiWorld,
  description: string,
  options: {
    unitCode?: string;
    timeoutMs?: number;
    /** runs before each step (e.g. to bring the test clock up to real time) */ beforeStep?: () => Promise<void>;
  } = {},
): Promise<{ caseId: string; rootKey: string }> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const operator = await api.login('operator');
  const admin = await api.login('admin');
  const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
  await options.beforeStep?.();
  const filed = await api.call<{ id: string; trackingToken: string }>('POST', '/cases', {
    token: operator,
    body: { description, lat: grid.centroidLat, lng: grid.centroidLng, reporterPhone: '13900002222' },
  });
  if (filed.status !== 201) throw new Error(`filing failed: ${filed.status} ${JSON.stringify(filed.body)}`);
  const caseId = filed.body.id;
  let rated = false;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = (await Cases.findByPk(caseId))!;
    const root = c.processInstanceKey ? await api.world.engine.getInstance(c.processInstanceKey) : null;
    if (root && root.state !== 'ACTIVE') break;
    const task = await InboxTasks.findOne({ where: { caseId, state: 'created' }, order: [['id', 'ASC']] });
    if (task) {
      await options.beforeStep?.();
      const data = FORM_DATA[task.elementId];
      if (!data) throw new Error(`no form data for task ${task.elementId}`);
      await api.call('POST', `/tasks/${task.userTaskKey}/claim`, { token: admin });
      const done = await api.call('POST', `/tasks/${task.userTaskKey}/complete`, { token: admin, body: { data: data(options.unitCode ?? 'D-CGJ') } });
      // a task the engine already moved past (the inbox lags a moment) answers 409: look again
      if (done.status !== 200 && done.status !== 409) throw new Error(`completing ${task.elementId}: ${done.status} ${JSON.stringify(done.body)}`);
    } else if (c.status === 'closed' && !rated) {
      await options.beforeStep?.();
      const rating = await api.call('POST', `/public/reports/${filed.body.trackingToken}/rating`, { body: { satisfied: true, rating: 5 } });
      if (rating.status !== 202) throw new Error(`rating: ${rating.status} ${JSON.stringify(rating.body)}`);
      rated = true;
    } else {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (Date.now() > until) throw new Error(`case ${caseId} did not end in ${timeoutMs} ms (status ${c.status})`);
  }
  const rootKey = (await Cases.findByPk(caseId))!.processInstanceKey!;
  const keys = await treeOf(api, rootKey);
  const marks = keys.map(() => '?').join(', ');
  const [{ last }] = (await api.world.engine.driver.read<{ last: number }>(
    `SELECT MAX(position) AS last FROM eng_history WHERE instance_key IN (${marks})`,
    keys,
  )) as [{ last: number }];
  await eventually(
    "the history readers to pass the case's last record",
    async () =>
      (await api.world.engine.exporterPosition(CASE_HISTORY_SUBSCRIBER)) >= Number(last) &&
      (await api.world.engine.exporterPosition(INBOX_SUBSCRIBER)) >= Number(last),
    timeoutMs,
  );
  return { caseId, rootKey };
}
