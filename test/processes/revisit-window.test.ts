import { expect } from 'chai';
import { CaseEvents } from '../support/tables.js';
import { startCaseHistory } from '../../domain/history/record-events.js';
import type { DecisionEvaluation } from '../../port/workflow-engine.js';
import { ADAPTERS, at, completeTask, eventually, instanceTree, openProcessWorld, reportCase, type ProcessWorld } from './support/process-harness.js';

const DAY = 86_400_000;

/**
 * 回访时限 (issue 15): how long case-followup waits for the reporter's rating is a DMN decision table
 * (processes/revisit-window.dmn) that administrators edit, called by the business-rule task `revisitWindow`
 * on both adapters; the case history keeps which rule decided.
 */
for (const { adapter, name } of ADAPTERS)
  describe(`process / case-followup on ${name}: the rating window comes from the revisit-window decision`, function () {
    this.timeout(60_000);
    let world: ProcessWorld;
    let history: { close(): Promise<void> };
    beforeEach(async () => {
      world = await openProcessWorld(at('2026-11-02T09:00:00'), adapter);
      history = await startCaseHistory(world.port);
    });
    afterEach(async () => {
      await history.close();
      await world.close();
    });

    /** Files a case on `channel` and drives it to 结案, until case-followup waits for the rating. */
    async function closedCase(channel: 'photo' | 'hotline' | 'grid_worker') {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '路边垃圾桶破损', channel });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已更换' });
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually('the 回访 wait', async () =>
        (await world.engine.listSubscriptions()).some((s) => s.name === 'case-rating' && s.correlationKey === caseRow.id),
      );
      const timer = await eventually('the rating timer', async () => (await world.engine.listTimers()).find((t) => t.elementId === 'revisitTimeout'));
      return { caseRow, instanceKey, timer };
    }

    it('given a 随手拍 report, when the case is closed, then the decision gives the reporter a week: still waiting after three days, ended without a rating after seven', async () => {
      const closedAt = world.clock.now();
      const { instanceKey, timer } = await closedCase('photo');
      // the timer is due a week after 结案 (the clock stood still while the case was driven)
      expect(timer.dueAt - closedAt).to.equal(7 * DAY);
      await world.clock.advance(3 * DAY + 60_000);
      expect((await world.engine.getInstance(instanceKey))?.state).to.equal('ACTIVE');
      await world.clock.advance(4 * DAY);
      await eventually('the instance to complete', async () => (await world.engine.getInstance(instanceKey))?.state === 'COMPLETED');
    });

    it('given a hotline call and a grid worker report, when their cases are closed, then they wait three days and one day', async () => {
      const start = world.clock.now();
      const hotline = await closedCase('hotline');
      const grid = await closedCase('grid_worker');
      expect(hotline.timer.dueAt - start).to.equal(3 * DAY);
      expect(grid.timer.dueAt - start).to.equal(1 * DAY);
    });

    it("given a closed 随手拍 case, when its history is read, then the decision's evaluation is there: the channel it saw, the rule that matched, the wait it chose", async () => {
      await closedCase('photo');
      // one case in this world; which case a called instance belongs to is the inbox sync's business, not running here
      const row = await eventually('the decision in the case history', () => CaseEvents.findOne({ where: { intent: 'DECISION_EVALUATED' } }));
      expect(row.elementId).to.equal('revisitWindow');
      expect(row.bpmnProcessId).to.equal('case-followup');
      const d = row.detail as unknown as DecisionEvaluation;
      expect(d).to.include({ decisionId: 'revisit-window', decisionName: '回访评价等待时限', resultVariable: 'revisitWait', result: 'P7D' });
      expect(d.evaluatedDecisions).to.have.length(1);
      expect(d.evaluatedDecisions[0]!.inputs).to.deep.equal([{ inputId: 'in_channel', inputName: '上报渠道', value: 'photo' }]);
      expect(d.evaluatedDecisions[0]!.matchedRules).to.deep.equal([{ ruleId: 'rule_app', ruleIndex: 1, outputs: { revisitWait: 'P7D' } }]);
      // the task's completion carries the variable it set, like a job's
      const completed = await eventually('the task completed in the history', () =>
        CaseEvents.findOne({ where: { intent: 'COMPLETED', elementId: 'revisitWindow' } }),
      );
      if (adapter === 'embedded') expect(completed.detail).to.deep.include({ variables: { revisitWait: 'P7D' } });
    });
  });
