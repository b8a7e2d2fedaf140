import { expect } from 'chai';
import { pruneEngineDatabase, type Engine } from '../../engine/index.js';
import { ownTransactions } from '../../engine/retention/prune-database.js';
import { pruneFinishedInstances } from '../../engine/retention/prune-finished.js';
import { openDriver } from '../../engine/store/driver.js';
import { DAY, deploy, oneJob, openTask, openTestEngine, type TestEngine } from './support/harness.js';

/** Every table that can hold a row naming a process instance. */
const INSTANCE_TABLES = [
  'eng_instance',
  'eng_element',
  'eng_variable',
  'eng_job',
  'eng_user_task',
  'eng_timer',
  'eng_subscription',
  'eng_incident',
  'eng_history',
] as const;
const ORDER: Record<(typeof INSTANCE_TABLES)[number], string> = {
  eng_instance: 'instance_key',
  eng_element: 'element_key',
  eng_variable: 'scope_key, name',
  eng_job: 'job_key',
  eng_user_task: 'task_key',
  eng_timer: 'timer_key',
  eng_subscription: 'sub_key',
  eng_incident: 'incident_key',
  eng_history: 'position',
};

/** Every row of every table that names one of the instances, in a stable order: what "untouched" compares. */
async function rowsOf(engine: Engine, keys: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const marks = keys.map(() => '?').join(', ');
  for (const table of INSTANCE_TABLES) {
    out[table] = (
      await engine.driver.read<Record<string, unknown>>(`SELECT * FROM ${table} WHERE instance_key IN (${marks}) ORDER BY ${ORDER[table]}`, keys)
    ).map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])));
  }
  return out;
}

async function rowCount(engine: Engine, keys: string[]): Promise<number> {
  return Object.values(await rowsOf(engine, keys)).reduce((n, rows) => n + rows.length, 0);
}

async function childOf(engine: Engine, parentKey: string): Promise<string> {
  const [row] = await engine.driver.read<{ instance_key: string }>('SELECT instance_key FROM eng_instance WHERE parent_instance_key = ?', [parentKey]);
  if (!row) throw new Error(`no called instance of ${parentKey}`);
  return row.instance_key;
}

const caseVars = { reportedAt: '2026-03-02T18:00:00+08:00', followUpAt: '2026-03-04T09:00:00+08:00', urgent: true, grid: 'G7' };

/** jt-user-tasks through both its user tasks to its end. */
async function finishedWithTasks(engine: Engine): Promise<string> {
  const { processInstanceKey } = await engine.createInstance({ bpmnProcessId: 'jt-user-tasks', variables: caseVars });
  for (const id of ['review', 'approve']) await engine.completeUserTask((await openTask(engine, processInstanceKey, id)).userTaskKey, { [id]: true });
  expect((await engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
  return processInstanceKey;
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => expect.fail('expected the prune to fail'),
    (err: unknown) => err as Error,
  );
}

/** A trigger that fails deleting one instance's row: a transaction that breaks halfway, after its other deletes ran. */
async function failDeleteOf(engine: Engine, instanceKey: string): Promise<void> {
  await engine.driver.exec(
    engine.driver.dialect === 'sqlite'
      ? `CREATE TRIGGER rt_fail BEFORE DELETE ON eng_instance WHEN OLD.instance_key = '${instanceKey}' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`
      : `CREATE TRIGGER rt_fail BEFORE DELETE ON eng_instance FOR EACH ROW BEGIN IF OLD.instance_key = '${instanceKey}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk on fire'; END IF; END`,
  );
}

describe('engine / retention of finished instances', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(
      t.engine,
      'jt-user-tasks.bpmn',
      'fl-call-child.bpmn',
      'fl-call-parent.bpmn',
      'ev-timer-catch.bpmn',
      'fl-exclusive-incident.bpmn',
      'rt-long-wait.bpmn',
    );
  });
  afterEach(() => t.close());

  it('given finished trees older than the age beside newer, running, timer-waiting and calling instances, when pruned, then exactly the old finished trees are gone and every other instance is untouched and still completes', async () => {
    // day 0: four trees that will be old and finished …
    const withTasks = await finishedWithTasks(t.engine);
    const parent = (await t.engine.createInstance({ bpmnProcessId: 'fl-call-parent' })).processInstanceKey;
    const child = await childOf(t.engine, parent);
    await t.engine.completeJob((await oneJob(t.engine, 'child-work')).key, { childResult: 'ok' });
    await t.engine.completeJob((await oneJob(t.engine, 'after-call')).key);
    const cancelled = (await t.engine.createInstance({ bpmnProcessId: 'ev-timer-catch' })).processInstanceKey;
    await t.engine.cancelInstance(cancelled);
    const withIncident = (await t.engine.createInstance({ bpmnProcessId: 'fl-exclusive-incident', variables: { priority: 'medium' } })).processInstanceKey;
    await t.engine.setVariables(withIncident, { priority: 'high' });
    await t.engine.resolveIncident((await t.engine.listIncidents({ processInstanceKey: withIncident }))[0]!.incidentKey);
    const old = [withTasks, parent, child, cancelled, withIncident];
    for (const k of [withTasks, parent, child, withIncident]) expect((await t.engine.getInstance(k))!.state).to.equal('COMPLETED');
    expect((await t.engine.getInstance(cancelled))!.state).to.equal('TERMINATED');
    // … and, started the same day, instances still running 31 days later: one on a 45-day timer, one whose
    // called instance still works, one whose called instance finished on day 0 while it runs on
    const waiting = (await t.engine.createInstance({ bpmnProcessId: 'rt-long-wait' })).processInstanceKey;
    const calling = (await t.engine.createInstance({ bpmnProcessId: 'fl-call-parent' })).processInstanceKey;
    const working = await childOf(t.engine, calling);
    const runningParent = (await t.engine.createInstance({ bpmnProcessId: 'fl-call-parent' })).processInstanceKey;
    const finishedChild = await childOf(t.engine, runningParent);
    await t.engine.completeJob((await t.engine.listJobs({ type: 'child-work', processInstanceKey: finishedChild }))[0]!.jobKey, { childResult: 'early' });
    expect((await t.engine.getInstance(finishedChild))!.state).to.equal('COMPLETED');

    await t.clock.advance(31 * DAY);
    const recent = await finishedWithTasks(t.engine);
    const untouched = [recent, waiting, calling, working, runningParent, finishedChild];
    const oldRows = await rowsOf(t.engine, old);
    const before = await rowsOf(t.engine, untouched);
    const deployments = await t.engine.driver.read('SELECT position FROM eng_history WHERE instance_key IS NULL ORDER BY position');
    expect(oldRows['eng_user_task']).to.have.length(2);
    expect(oldRows['eng_incident']).to.have.length(1);

    const result = await t.engine.pruneFinishedInstances({ endedBefore: t.clock.now() - 30 * DAY, batchSize: 2 });

    expect(await rowCount(t.engine, old), 'rows left of the pruned trees').to.equal(0);
    for (const k of old) expect(await t.engine.getInstance(k)).to.equal(null);
    expect(await rowsOf(t.engine, untouched)).to.deep.equal(before);
    expect(result).to.deep.include({ roots: 4, instances: 5, batches: 2, kept: 0, slowestExporter: null });
    expect(result.rows).to.deep.equal({
      eng_history: oldRows['eng_history']!.length,
      eng_variable: 0,
      eng_element: 0,
      eng_user_task: 2,
      eng_incident: 1,
      eng_instance: 5,
    });
    expect(
      await t.engine.driver.read('SELECT position FROM eng_history WHERE instance_key IS NULL ORDER BY position'),
      'deployment records stay',
    ).to.deep.equal(deployments);
    expect((await t.engine.listDefinitions()).length).to.equal(6);

    // the survivors go on as if nothing happened
    await t.engine.completeJob((await t.engine.listJobs({ type: 'child-work', processInstanceKey: working }))[0]!.jobKey);
    for (const job of await t.engine.activateJobs({ type: 'after-call', maxJobsToActivate: 10, timeoutMs: 60_000, worker: 'test' }))
      await t.engine.completeJob(job.key);
    await t.clock.advance(15 * DAY);
    await t.engine.completeJob((await oneJob(t.engine, 'rt-after-wait')).key);
    for (const k of [waiting, calling, working, runningParent]) expect((await t.engine.getInstance(k))!.state, k).to.equal('COMPLETED');
  });

  it('given a finished tree whose last records an exporter has not read, when pruned, then it is kept until the exporter has read them; a required exporter with no position holds everything back', async () => {
    const first = await finishedWithTasks(t.engine);
    const second = await finishedWithTasks(t.engine);
    const lastOf = async (k: string) => Math.max(...(await t.engine.history(k)).map((h) => h.position));
    await t.engine.saveExporterPosition('audit-export', await lastOf(second));
    const firstLast = await lastOf(first);
    await t.engine.saveExporterPosition('inbox', firstLast); // behind: it has not read the second one's records
    await t.clock.advance(31 * DAY);
    const endedBefore = t.clock.now() - 30 * DAY;

    const held = await t.engine.pruneFinishedInstances({ endedBefore, exporters: ['audit-export', 'not-started-yet'] });
    expect(held).to.deep.include({ roots: 0, kept: 2, slowestExporter: { name: 'not-started-yet', position: 0 } });
    expect(await rowCount(t.engine, [first, second])).to.be.greaterThan(0);

    const partly = await t.engine.pruneFinishedInstances({ endedBefore, exporters: ['audit-export'] });
    expect(partly).to.deep.include({ roots: 1, kept: 1, slowestExporter: { name: 'inbox', position: firstLast } });
    expect(await rowCount(t.engine, [first])).to.equal(0);
    expect((await rowsOf(t.engine, [second]))['eng_instance']).to.have.length(1);

    await t.engine.saveExporterPosition('inbox', await lastOf(second));
    expect(await t.engine.pruneFinishedInstances({ endedBefore, exporters: ['audit-export'] })).to.deep.include({ roots: 1, kept: 0 });
    expect(await rowCount(t.engine, [second])).to.equal(0);
  });

  it('given a transaction that fails halfway through its deletes, when pruned, then the batches before it are gone, its trees are whole, and a later prune finishes the work', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) {
      keys.push(await finishedWithTasks(t.engine));
      await t.clock.advance(1000); // distinct end times: batches in this order
    }
    await t.clock.advance(31 * DAY);
    const before = await rowsOf(t.engine, keys.slice(2));
    await failDeleteOf(t.engine, keys[3]!); // the second batch's second tree: the first one's rows are deleted by then

    expect((await failure(t.engine.pruneFinishedInstances({ endedBefore: t.clock.now() - 30 * DAY, batchSize: 2 }))).message).to.contain('disk on fire');
    expect(await rowCount(t.engine, keys.slice(0, 2)), 'the first batch committed').to.equal(0);
    expect(await rowsOf(t.engine, keys.slice(2)), 'the failed batch and the rest untouched').to.deep.equal(before);

    await t.engine.driver.exec('DROP TRIGGER rt_fail');
    const result = await t.engine.pruneFinishedInstances({ endedBefore: t.clock.now() - 30 * DAY, batchSize: 2 });
    expect(result).to.deep.include({ roots: 3, batches: 2 });
    expect(await rowCount(t.engine, keys)).to.equal(0);
  });

  it('given the prune run by hand (no engine in the process) and a transaction that fails, when run, then it too leaves whole trees', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) {
      keys.push(await finishedWithTasks(t.engine));
      await t.clock.advance(1000);
    }
    await t.clock.advance(31 * DAY);
    const before = await rowsOf(t.engine, keys.slice(2));
    await failDeleteOf(t.engine, keys[3]!);
    await t.engine.close(); // MySQL's one-engine lock: the command run by hand needs the database to itself

    expect((await failure(pruneEngineDatabase(t.url, { endedBefore: t.clock.now() - 30 * DAY, batchSize: 2 }))).message).to.contain('disk on fire');
    await t.restart();
    expect(await rowCount(t.engine, keys.slice(0, 2))).to.equal(0);
    expect(await rowsOf(t.engine, keys.slice(2))).to.deep.equal(before);
  });

  it('given many finished trees, when pruned one root per transaction on the synchronous SQLite driver too, then the event loop gets a turn between every two transactions', async () => {
    for (let i = 0; i < 4; i++) await finishedWithTasks(t.engine);
    await t.clock.advance(31 * DAY);
    await t.engine.close();
    let turns = 0;
    let pruning = true;
    const tick = () => {
      turns++;
      if (pruning) setImmediate(tick);
    };
    setImmediate(tick);
    const driver = await openDriver(t.url);
    const own = ownTransactions(driver);
    const turnsAtStart: number[] = [];
    const result = await pruneFinishedInstances(
      driver,
      (work) => {
        turnsAtStart.push(turns);
        return own(work);
      },
      { endedBefore: t.clock.now() - 30 * DAY, batchSize: 1 },
    );
    pruning = false;
    await driver.close();
    await t.restart();
    expect(result).to.deep.include({ roots: 4, batches: 4 });
    expect(turnsAtStart).to.have.length(5); // the fifth finds nothing
    for (let i = 1; i < turnsAtStart.length; i++) expect(turnsAtStart[i]!, `turns before transaction ${i + 1}`).to.be.greaterThan(turnsAtStart[i - 1]!);
  });

  it('given a finished root whose called instance is (against every rule) still marked running, when pruned, then the whole tree is kept', async () => {
    const parent = (await t.engine.createInstance({ bpmnProcessId: 'fl-call-parent' })).processInstanceKey;
    const child = await childOf(t.engine, parent);
    await t.engine.completeJob((await oneJob(t.engine, 'child-work')).key);
    await t.engine.completeJob((await oneJob(t.engine, 'after-call')).key);
    await t.clock.advance(31 * DAY);
    await t.engine.driver.run("UPDATE eng_instance SET state = 'ACTIVE', ended_at = NULL WHERE instance_key = ?", [child]);
    const before = await rowsOf(t.engine, [parent, child]);
    expect(await t.engine.pruneFinishedInstances({ endedBefore: t.clock.now() - 30 * DAY })).to.deep.include({ roots: 0, kept: 1 });
    expect(await rowsOf(t.engine, [parent, child])).to.deep.equal(before);
  });

  it('given an engine running on the database, when the prune is run by hand, then MySQL refuses it (the server prunes on its schedule) and SQLite runs it beside the engine', async () => {
    const key = await finishedWithTasks(t.engine);
    await t.clock.advance(31 * DAY);
    const run = pruneEngineDatabase(t.url, { endedBefore: t.clock.now() - 30 * DAY });
    if (t.engine.driver.dialect === 'mysql') {
      expect(
        (
          await run.then(
            () => null,
            (err: unknown) => err as Error,
          )
        )?.message,
      ).to.match(/another engine process already runs/);
      expect(await rowCount(t.engine, [key])).to.be.greaterThan(0);
    } else {
      expect(await run).to.deep.include({ roots: 1 });
      expect(await rowCount(t.engine, [key])).to.equal(0);
      expect(await finishedWithTasks(t.engine)).to.match(/^\d+$/); // the engine writes on after it
    }
  });

  it('given a database made before the retention indexes, when the engine opens it, then the indexes are added', async () => {
    const mysql = t.engine.driver.dialect === 'mysql';
    const present = async () =>
      mysql
        ? (
            await t.engine.driver.read<{ n: number }>(
              "SELECT COUNT(DISTINCT INDEX_NAME) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME IN ('eng_instance_parent_ended', 'eng_user_task_instance')",
            )
          )[0]!.n
        : (
            await t.engine.driver.read<{ n: number }>(
              "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name IN ('eng_instance_parent_ended', 'eng_user_task_instance')",
            )
          )[0]!.n;
    await t.engine.driver.exec(mysql ? 'DROP INDEX eng_instance_parent_ended ON eng_instance' : 'DROP INDEX eng_instance_parent_ended');
    await t.engine.driver.exec(mysql ? 'DROP INDEX eng_user_task_instance ON eng_user_task' : 'DROP INDEX eng_user_task_instance');
    expect(Number(await present())).to.equal(0);
    await t.restart();
    expect(Number(await present())).to.equal(2);
  });
});
