import { expect } from 'chai';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ClassifyExamples, ClassifyModels } from '../../test/support/tables.js';
import { demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { recordDecision, retrain, retrainIfNewDecisions } from './index.js';

describe('retraining off the event loop, on a schedule too (domain/classify)', function () {
  this.timeout(120_000);
  let db: Db;
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given the shipped corpus, when a new version is trained, then the event loop is never held anywhere near the 1–2 s training takes and a 10 ms timer keeps firing meanwhile', async () => {
    const examples = await ClassifyExamples.count();
    expect(examples).to.be.greaterThan(1500);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 10);
    delay.enable();
    const started = performance.now();
    const made = await retrain('event-loop test');
    const tookMs = performance.now() - started;
    delay.disable();
    clearInterval(timer);
    expect(made!.examples).to.be.greaterThan(1500);
    expect(made!.typeTop1).to.be.greaterThan(0.3); // it really trained and measured (chance is 1 in 63)
    const maxMs = delay.max / 1e6;
    // on the main thread the same retrain held the loop 1–2 s in one piece; off it, what remains on the main
    // thread (reading the examples, storing and loading the model) stays near 100 ms on a quiet machine and
    // was seen at 100–600 ms with the two cores shared by several test runs, so the bound is set between
    console.log(`      max event-loop delay ${maxMs.toFixed(1)} ms, ${ticks} timer ticks, over a ${tookMs.toFixed(0)} ms retrain`);
    expect(maxMs, `max event-loop delay ${maxMs.toFixed(1)} ms over a ${tookMs.toFixed(0)} ms retrain`).to.be.below(750);
    expect(ticks, `${ticks} ticks of a 10 ms timer in ${tookMs.toFixed(0)} ms`).to.be.greaterThan(tookMs / 10 / 4);
  });

  it('given no operator decision since the newest version, when the scheduled retrain runs, then no version is made; given one decision, then a version that has seen it is made', async () => {
    await retrain('baseline');
    const before = await ClassifyModels.count();
    expect(await retrainIfNewDecisions()).to.deep.equal({ fresh: 0, version: null, active: null });
    expect(await ClassifyModels.count()).to.equal(before);

    await recordDecision({ caseId: '900000000000000123', text: '小区门口的路灯坏了好几天，晚上一片黑', eventTypeCode: 'BJ-0108', filed: true });
    const run = await retrainIfNewDecisions();
    expect(run.fresh).to.equal(1);
    const newest = (await ClassifyModels.findOne({ order: [['id', 'DESC']], attributes: ['id', 'lastExampleId', 'operatorExamples'] }))!;
    expect(run.version).to.equal(newest.id);
    const example = (await ClassifyExamples.findOne({ where: { code: 'OP-900000000000000123' } }))!;
    expect(newest.lastExampleId).to.be.at.least(example.id);
    expect(newest.operatorExamples).to.be.at.least(1);
    expect(await retrainIfNewDecisions()).to.deep.include({ fresh: 0, version: null });
  });
});
