import { expect } from 'chai';
import { oneJob, openTestEngine, refusal, type TestEngine } from './support/harness.js';
import { chain, definitions, processElement } from './support/bpmn-xml.js';

/** A collaboration with a pool that is not executable beside the executable one: Zeebe (since 8.2) ignores that pool. */
const citizen = processElement(
  'citizen',
  chain('<bpmn:startEvent id="c_start" />', '<bpmn:task id="c_call" name="Calls the hotline" />', '<bpmn:endEvent id="c_end" />'),
  { executable: false },
);
const hotline = processElement(
  'hotline-intake',
  chain(
    '<bpmn:startEvent id="start" />',
    '<bpmn:serviceTask id="register"><bpmn:extensionElements><zeebe:taskDefinition type="register" /></bpmn:extensionElements></bpmn:serviceTask>',
    '<bpmn:endEvent id="end" />',
  ),
);
const collaboration =
  `<bpmn:collaboration id="collab"><bpmn:participant id="p_citizen" name="Citizen" processRef="citizen" /><bpmn:participant id="p_hotline" name="Hotline" processRef="hotline-intake" />` +
  '<bpmn:messageFlow id="mf" sourceRef="c_call" targetRef="register" /></bpmn:collaboration>';

describe('engine / deployment: a non-executable pool beside the executable one', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  it('given a collaboration whose citizen pool has isExecutable="false", when deployed, then only the executable process is deployed and it runs', async () => {
    const deployed = await t.engine.deploy([{ name: 'hotline.bpmn', xml: definitions('hotline', collaboration + citizen + hotline) }]);
    expect(deployed.map((d) => d.bpmnProcessId)).to.deep.equal(['hotline-intake']);
    expect((await t.engine.listDefinitions()).map((d) => d.bpmnProcessId)).to.deep.equal(['hotline-intake']);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'hotline-intake' });
    expect((await oneJob(t.engine, 'register')).processInstanceKey).to.equal(processInstanceKey);
    expect(
      await t.engine.createInstance({ bpmnProcessId: 'citizen' }).then(
        () => 'started',
        (e: { code?: string }) => e.code,
      ),
    ).to.equal('NOT_FOUND');
  });

  it('given a resource whose only process is not executable, when deployed, then it is refused as Zeebe refuses it', async () => {
    const error = await refusal(t.engine.deploy([{ name: 'citizen.bpmn', xml: definitions('citizen', citizen) }]));
    expect(error.code).to.equal('DEPLOY_REJECTED');
    expect(error.details).to.deep.equal([
      {
        resource: 'citizen.bpmn',
        elementId: 'citizen',
        message: 'no executable process in the resource: every process has isExecutable="false"',
        key: 'no_executable_process',
      },
    ]);
    expect(await t.engine.listDefinitions()).to.deep.equal([]);
  });
});
