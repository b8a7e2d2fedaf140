import { expect } from 'chai';
import { JOB_TYPE_NAMES } from '../processes/contract.js';
import { demoDatabase, makeJob, testDeps, type Db } from '../test/support/case-fixtures.js';
import { createJobHandlers } from './registry.js';

describe('worker registry', () => {
  let db: Db;
  const specs = createJobHandlers(testDeps().deps);
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given the contract in processes/contract.ts, when the registry is built, then it has exactly one handler per job type', () => {
    expect(JOB_TYPE_NAMES).to.have.length(13);
    expect(specs.map((s) => s.type).sort()).to.deep.equal([...JOB_TYPE_NAMES].sort());
  });

  it('given a case that does not exist, when any worker gets a job for it, then it fails with retries 0 and says which case', async () => {
    for (const { type, handler } of specs) {
      const outcome = await handler(makeJob(type, { caseId: '424242' }, { stage: 'handle', level: '1', event: 'accepted', action: 'accepted' }));
      expect(outcome, type).to.deep.include({ outcome: 'fail', retries: 0 });
      expect((outcome as { errorMessage: string }).errorMessage, type).to.contain('case 424242 not found');
    }
  });

  it('given a job without caseId, when any worker gets it, then it fails with retries 0 naming the variable', async () => {
    for (const { type, handler } of specs) {
      const outcome = await handler(makeJob(type, {}));
      expect(outcome, type).to.deep.include({ outcome: 'fail', retries: 0 });
      expect((outcome as { errorMessage: string }).errorMessage, type).to.contain('caseId');
    }
  });
});
