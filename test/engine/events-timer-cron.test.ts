import { expect } from 'chai';
import { nextCronTime, parseCron } from '../../engine/runtime/cron.js';
import { DAY, HOUR, jobsOf, openTestEngine, refusal, type TestEngine } from './support/harness.js';
import { chain, process } from './support/bpmn-xml.js';

/**
 * Timer cycles written as cron expressions (Camunda 8.8 docs, *Timer events*, "Time cycle": Spring's CronExpression
 * format, six fields with seconds), read on the UTC calendar, repeating without end. The test clock starts on
 * Monday 2026-03-02 01:00 UTC.
 */
const job = (id: string, type: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const timer = (cycle: string) =>
  `<bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition>`;

const weekdayPatrol = (cycle: string) => ({
  name: 'cron-start.bpmn',
  xml: process('cron-start', chain(`<bpmn:startEvent id="weekdays">${timer(cycle)}</bpmn:startEvent>`, job('patrol', 'patrol'), '<bpmn:endEvent id="end" />')),
});

const reminders = {
  name: 'cron-boundary.bpmn',
  xml: process(
    'cron-boundary',
    chain('<bpmn:startEvent id="start" />', job('handle', 'handle-case'), '<bpmn:endEvent id="done" />') +
      `<bpmn:boundaryEvent id="every2h" cancelActivity="false" attachedToRef="handle"><bpmn:outgoing>f_every2h</bpmn:outgoing>${timer('0 0 */2 * * *')}</bpmn:boundaryEvent>` +
      '<bpmn:serviceTask id="remind"><bpmn:extensionElements><zeebe:taskDefinition type="send-reminder" /></bpmn:extensionElements><bpmn:incoming>f_every2h</bpmn:incoming></bpmn:serviceTask>' +
      '<bpmn:sequenceFlow id="f_every2h" sourceRef="every2h" targetRef="remind" />',
  ),
};

async function startedInstances(t: TestEngine): Promise<number[]> {
  return (await t.engine.listInstances({ bpmnProcessId: 'cron-start' })).map((i) => i.startedAt).sort();
}

describe('engine / events: cron time cycles', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  it('given a timer start event "0 0 9 * * MON-FRI", when a week passes, then an instance starts at 09:00 UTC on each weekday and none on the weekend', async () => {
    await t.engine.deploy([weekdayPatrol('0 0 9 * * MON-FRI')]);
    const monday9 = Date.parse('2026-03-02T09:00:00Z');
    expect((await t.engine.listTimers({})).map((x) => x.dueAt)).to.deep.equal([monday9]);

    await t.clock.advance(8 * HOUR - 1);
    expect(await startedInstances(t)).to.deep.equal([]);
    await t.clock.advance(1);
    expect(await startedInstances(t)).to.deep.equal([monday9]);

    // one day at a time: Tuesday to Friday add one each, Saturday and Sunday none, Monday one
    const counts: number[] = [];
    for (let d = 1; d <= 7; d++) {
      await t.clock.advance(DAY);
      counts.push((await startedInstances(t)).length);
    }
    expect(counts).to.deep.equal([2, 3, 4, 5, 5, 5, 6]);
    const days = [0, 1, 2, 3, 4, 7].map((d) => monday9 + d * DAY);
    const fired = (await t.engine.readHistory(0, 1000)).filter((h) => h.intent === 'TIMER_TRIGGERED').map((h) => h.at);
    expect(fired).to.deep.equal(days);
    expect(await jobsOf(t.engine, 'patrol')).to.have.length(6);
    expect((await t.engine.listTimers({})).map((x) => x.dueAt)).to.deep.equal([monday9 + 8 * DAY]);
  });

  it('given the cron cycle from a FEEL expression, when deployed, then it is evaluated at deploy like any start timer', async () => {
    await t.engine.deploy([weekdayPatrol('= "0 30 " + string(6) + " * * *"')]);
    expect((await t.engine.listTimers({})).map((x) => new Date(x.dueAt).toISOString())).to.deep.equal(['2026-03-02T06:30:00.000Z']);
  });

  it('given a non-interrupting boundary "0 0 */2 * * *" on a task, when the task waits 5 hours, then a reminder goes out at 02:00 and 04:00, and none once the task is done', async () => {
    await t.engine.deploy([reminders]);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'cron-boundary' });
    expect((await t.engine.listTimers({ processInstanceKey })).map((x) => new Date(x.dueAt).toISOString())).to.deep.equal(['2026-03-02T02:00:00.000Z']);

    await t.clock.advance(4 * HOUR);
    const sent = await jobsOf(t.engine, 'send-reminder');
    expect(sent).to.have.length(2);
    for (const j of sent) await t.engine.completeJob(j.key);
    expect((await t.engine.listTimers({ processInstanceKey })).map((x) => new Date(x.dueAt).toISOString())).to.deep.equal(['2026-03-02T06:00:00.000Z']);

    const [handle] = await jobsOf(t.engine, 'handle-case');
    await t.engine.completeJob(handle!.key);
    expect(await t.engine.listTimers({ processInstanceKey })).to.deep.equal([]);
    await t.clock.advance(4 * HOUR);
    expect(await jobsOf(t.engine, 'send-reminder')).to.have.length(0);
  });

  it('given a cron cycle with an hour 25, when deployed, then it is refused naming the event', async () => {
    const error = await refusal(t.engine.deploy([weekdayPatrol('0 0 25 * * *')]));
    expect(error.details).to.deep.equal([
      {
        resource: 'cron-start.bpmn',
        elementId: 'weekdays',
        message:
          "timer cycle '0 0 25 * * *' is not a valid cron expression (six fields: second minute hour day-of-month month day-of-week, e.g. 0 0 9-17 * * MON-FRI)",
        key: 'timer_cycle',
        params: {
          text: '0 0 25 * * *',
          detail:
            "timer cycle '0 0 25 * * *' is not a valid cron expression (six fields: second minute hour day-of-month month day-of-week, e.g. 0 0 9-17 * * MON-FRI)",
        },
      },
    ]);
  });
});

describe("engine / cron expressions: the next times (examples of Spring's CronExpression documentation, which Camunda cites)", () => {
  // after Monday 2026-03-02 01:00:00 UTC
  const from = Date.parse('2026-03-02T01:00:00Z');
  const cases: Array<[string, string[]]> = [
    ['0 0 * * * *', ['2026-03-02T02:00:00Z', '2026-03-02T03:00:00Z']],
    ['*/10 * * * * *', ['2026-03-02T01:00:10Z', '2026-03-02T01:00:20Z']],
    ['0 0 8-10 * * *', ['2026-03-02T08:00:00Z', '2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z', '2026-03-03T08:00:00Z']],
    ['0 0 6,19 * * *', ['2026-03-02T06:00:00Z', '2026-03-02T19:00:00Z']],
    ['0 0/30 8-10 * * *', ['2026-03-02T08:00:00Z', '2026-03-02T08:30:00Z', '2026-03-02T09:00:00Z']],
    ['0 0 9-17 * * MON-FRI', ['2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z']],
    ['0 0 0 25 DEC ?', ['2026-12-25T00:00:00Z', '2027-12-25T00:00:00Z']],
    ['0 0 0 L * *', ['2026-03-31T00:00:00Z', '2026-04-30T00:00:00Z']],
    ['0 0 0 L-3 * *', ['2026-03-28T00:00:00Z', '2026-04-27T00:00:00Z']],
    ['0 0 0 1W * *', ['2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z']],
    ['0 0 0 LW * *', ['2026-03-31T00:00:00Z', '2026-04-30T00:00:00Z', '2026-05-29T00:00:00Z']],
    ['0 0 0 * * 5L', ['2026-03-27T00:00:00Z', '2026-04-24T00:00:00Z']],
    ['0 0 0 * * THUL', ['2026-03-26T00:00:00Z', '2026-04-30T00:00:00Z']],
    ['0 0 0 ? * 5#2', ['2026-03-13T00:00:00Z', '2026-04-10T00:00:00Z']],
    ['0 0 0 ? * MON#1', ['2026-04-06T00:00:00Z', '2026-05-04T00:00:00Z']],
    ['@daily', ['2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z']],
    ['@weekly', ['2026-03-08T00:00:00Z', '2026-03-15T00:00:00Z']],
    ['0 0 0 * * 7', ['2026-03-08T00:00:00Z']], // 7 is Sunday, as 0
  ];
  for (const [expression, expected] of cases) {
    it(`given "${expression}", then it next fires at ${expected.join(', ')}`, () => {
      const schedule = parseCron(expression)!;
      expect(schedule, expression).to.not.equal(null);
      const got: string[] = [];
      let at = from;
      for (let i = 0; i < expected.length; i++) {
        at = nextCronTime(schedule, at)!;
        got.push(new Date(at).toISOString().replace('.000Z', 'Z'));
      }
      expect(got).to.deep.equal(expected);
    });
  }

  it('given malformed expressions, then none parses', () => {
    for (const bad of [
      '0 0 25 * * *',
      '0 60 * * * *',
      '* * * * *',
      '0 0 0 32 * *',
      '0 0 0 * 13 *',
      '0 0 0 * * 8',
      'R3/PT1H',
      '0 0 0 * * MON#6',
      '0 */0 * * * *',
    ]) {
      expect(parseCron(bad), bad).to.equal(null);
    }
  });
});
