import { expect } from 'chai';
import { EngineError } from '../../engine/index.js';
import { fixture, openTestEngine, type TestEngine } from './support/harness.js';

interface Problem {
  resource: string;
  elementId: string | null;
  message: string;
}

async function rejection(p: Promise<unknown>): Promise<{ error: EngineError; problems: Problem[] }> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(EngineError);
    const error = err as EngineError;
    expect(error.code).to.equal('DEPLOY_REJECTED');
    expect(error.details).to.be.an('array');
    return { error, problems: error.details as Problem[] };
  }
  return expect.fail('the deployment was accepted');
}

/** All-or-nothing deployment: every problem is reported with its element id, nothing is deployed. */
describe('engine / deployment: rejection', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  const invalid = () => fixture('jt-deploy-invalid.bpmn');
  const extra = () => fixture('jt-deploy-extra.bpmn');

  it('given a resource with several problems, when it is deployed, then the deployment is rejected with every problem listed by element id', async () => {
    const { error, problems } = await rejection(t.engine.deploy([invalid()]));
    const expected: Array<[string, RegExp]> = [
      ['complex', /not supported/i], // bpmn:complexGateway
      ['waitCondition', /conditional/i], // conditional intermediate catch event
      ['tx', /not supported/i], // bpmn:transaction
      ['flowBadFeel', /FEEL/], // condition `= a +`
      ['noType', /job type/i], // zeebe:taskDefinition without type
      ['flowDangling', /target|unknown element/i], // targetRef="ghost"
      ['flowNoCondition', /condition/i], // exclusive gateway flow without condition, not the default
    ];
    for (const [elementId, message] of expected) {
      const found = problems.filter((p) => p.elementId === elementId);
      expect(found, `a problem for ${elementId}`).to.not.be.empty;
      expect(
        found.some((p) => message.test(p.message)),
        `${elementId}: ${found.map((p) => p.message).join(' | ')}`,
      ).to.equal(true);
      expect(error.message).to.contain(elementId);
    }
    expect(problems.every((p) => p.resource === 'jt-deploy-invalid.bpmn')).to.equal(true);
    expect(
      problems.map((p) => p.elementId),
      'valid elements are not blamed',
    ).to.not.include.members(['start', 'decide', 'end', 'adhoc']); // ad-hoc sub-processes run (Camunda 8.8)
    expect(await t.engine.listDefinitions()).to.deep.equal([]);
  });

  it('given a valid resource deployed together with an invalid one, when the deployment is rejected, then the valid resource is not deployed either', async () => {
    const { problems } = await rejection(t.engine.deploy([extra(), invalid()]));
    expect(problems.filter((p) => p.resource === 'jt-deploy-extra.bpmn')).to.deep.equal([]);
    expect(await t.engine.listDefinitions()).to.deep.equal([]);
    const notThere = await t.engine.createInstance({ bpmnProcessId: 'jt-deploy-extra' }).then(
      () => null,
      (err: EngineError) => err.code,
    );
    expect(notThere).to.equal('NOT_FOUND');

    const [alone] = await t.engine.deploy([extra()]);
    expect(alone).to.include({ bpmnProcessId: 'jt-deploy-extra', version: 1, isNew: true });
    expect((await t.engine.listDefinitions()).map((d) => d.bpmnProcessId)).to.deep.equal(['jt-deploy-extra']);
  });

  it('given two resources with the same process id in one deployment, when deployed, then it is rejected and neither is deployed', async () => {
    const { problems } = await rejection(t.engine.deploy([fixture('jt-versioned-v1.bpmn'), fixture('jt-versioned-v2.bpmn')]));
    expect(problems.map((p) => p.elementId)).to.include('jt-versioned');
    expect(await t.engine.listDefinitions()).to.deep.equal([]);
  });

  describe('given a valid process with one problem introduced, when it is deployed, then exactly that element is blamed', () => {
    const cases: Array<[string, (xml: string) => string, string, RegExp]> = [
      ['a service task without a job type', (x) => x.replace('type="jt-archive" ', ''), 'archive', /job type/i],
      [
        'a sequence flow to a missing element',
        (x) => x.replace('sourceRef="archive" targetRef="end"', 'sourceRef="archive" targetRef="nowhere"'),
        'f2',
        /target|unknown element/i,
      ],
      ['an invalid FEEL job type', (x) => x.replace('type="jt-archive"', 'type="= a +"'), 'archive', /FEEL/],
    ];
    for (const [what, mutate, elementId, message] of cases) {
      it(`${what}: rejected, naming ${elementId}`, async () => {
        const xml = mutate(extra().xml);
        expect(xml).to.not.equal(extra().xml);
        const { problems } = await rejection(t.engine.deploy([{ name: 'mutated.bpmn', xml }]));
        expect([...new Set(problems.map((p) => p.elementId))]).to.deep.equal([elementId]);
        expect(
          problems.some((p) => message.test(p.message)),
          problems.map((p) => p.message).join(' | '),
        ).to.equal(true);
        expect(await t.engine.listDefinitions()).to.deep.equal([]);
      });
    }
  });
});
