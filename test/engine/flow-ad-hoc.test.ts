import { expect } from 'chai';
import type { Engine } from '../../engine/index.js';
import { activeElements, completedPath, jobsOf, oneJob, openTestEngine, refusal, terminated, type TestEngine } from './support/harness.js';

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const task = (id: string, extra = '', name = id, flows = '') =>
  `<bpmn:serviceTask id="${id}" name="${name}"><bpmn:extensionElements><zeebe:taskDefinition type="${id}" />${extra}</bpmn:extensionElements>${flows}</bpmn:serviceTask>`;

/** start → ad-hoc sub-process `tools` (attributes, extension, inner) → end */
function adHocProcess(id: string, o: { attrs?: string; adHoc?: string; io?: string; inner: string; condition?: string; mi?: string }) {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d_${id}" targetNamespace="t">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:adHocSubProcess id="tools" ${o.attrs ?? ''}>
      <bpmn:extensionElements>${o.adHoc ?? ''}${o.io ?? ''}</bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      ${o.mi ?? ''}
      ${o.inner}
      ${o.condition ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${o.condition}</bpmn:completionCondition>` : ''}
    </bpmn:adHocSubProcess>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tools" />
    <bpmn:sequenceFlow id="f2" sourceRef="tools" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
  return { name: `${id}.bpmn`, xml };
}

const THREE_TASKS = `${task('a', '', 'a', '<bpmn:outgoing>a_a2</bpmn:outgoing>')}${task('a2', '', 'a2', '<bpmn:incoming>a_a2</bpmn:incoming>')}${task('b')}${task('c')}<bpmn:sequenceFlow id="a_a2" sourceRef="a" targetRef="a2" />`;

/** Ad-hoc sub-processes as Camunda 8.8 documents them (docs, *Ad-hoc sub-processes*), incl. the AI agent tool shapes. */
describe('engine / ad-hoc sub-processes', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  const start = async (engine: Engine, id: string, variables: Record<string, unknown>) =>
    (await engine.createInstance({ bpmnProcessId: id, variables })).processInstanceKey;
  /** The last value a variable of that name was given (finished instances keep no variables, the history does). */
  const lastValue = async (pi: string, name: string) =>
    (await t.engine.history(pi))
      .filter((h) => (h.intent === 'VARIABLE_CREATED' || h.intent === 'VARIABLE_UPDATED') && (h.payload as { name: string }).name === name)
      .map((h) => (h.payload as { value: unknown }).value)
      .pop();
  const done = async (type: string, variables: Record<string, unknown> = {}) => t.engine.completeJob((await oneJob(t.engine, type)).key, variables);

  it('given an active elements collection and no completion condition, when the sub-process starts, then exactly those elements run (a connected one after its predecessor), their outputs are collected, and it completes when nothing is left', async () => {
    await t.engine.deploy([
      adHocProcess('ah-all', {
        adHoc: '<zeebe:adHoc activeElementsCollection="=toRun" outputCollection="results" outputElement="=result" />',
        io: '<zeebe:ioMapping><zeebe:output source="=results" target="collected" /></zeebe:ioMapping>',
        inner: THREE_TASKS,
      }),
    ]);
    const pi = await start(t.engine, 'ah-all', { toRun: ['a', 'b'] });
    expect(await activeElements(t.engine, pi)).to.deep.equal(['a', 'b', 'tools']);
    const vars = await t.engine.getVariables((await t.engine.listElementInstances(pi)).find((e) => e.elementId === 'tools')!.elementInstanceKey);
    expect(vars['results']).to.deep.equal([]);
    expect(
      (vars['adHocSubProcessElements'] as Array<{ elementId: string }>).map((e) => e.elementId),
      'a2 has an incoming flow: not activatable',
    ).to.deep.equal(['a', 'b', 'c']);

    await done('a', { result: 'A' });
    expect(await activeElements(t.engine, pi), 'a goes on to a2: its path has not ended').to.deep.equal(['a2', 'b', 'tools']);
    await done('b', { result: 'B' });
    await done('a2', { result: 'A2' });
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
    expect(await lastValue(pi, 'collected')).to.deep.equal(['B', 'A2']);
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start', 'a', 'b', 'a2', 'tools', 'end']);
  });

  it('given a completion condition, when a path ends and it holds, then the remaining inner instances are terminated (cancelRemainingInstances default) and the sub-process completes', async () => {
    await t.engine.deploy([
      adHocProcess('ah-cond', {
        adHoc: '<zeebe:adHoc activeElementsCollection="=[&#34;a&#34;, &#34;b&#34;, &#34;c&#34;]" />',
        inner: THREE_TASKS,
        condition: '=enough = true',
      }),
    ]);
    const pi = await start(t.engine, 'ah-cond', { enough: false });
    await done('b');
    expect(await activeElements(t.engine, pi), 'false: the others go on').to.deep.equal(['a', 'c', 'tools']);
    await done('c', { enough: true });
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
    expect(await terminated(t.engine, pi)).to.deep.equal(['a']);
    expect(await jobsOf(t.engine, 'a')).to.have.length(0);
  });

  it('given cancelRemainingInstances="false", when the condition holds, then the sub-process waits for the running instances before it completes', async () => {
    await t.engine.deploy([
      adHocProcess('ah-keep', {
        attrs: 'cancelRemainingInstances="false"',
        adHoc: '<zeebe:adHoc activeElementsCollection="=[&#34;b&#34;, &#34;c&#34;]" />',
        inner: THREE_TASKS,
        condition: '=enough = true',
      }),
    ]);
    const pi = await start(t.engine, 'ah-keep', { enough: true });
    await done('b');
    expect(await activeElements(t.engine, pi)).to.deep.equal(['c', 'tools']);
    await done('c');
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start', 'b', 'c', 'tools', 'end']);
  });

  it('given an empty collection, when the sub-process starts, then it waits with nothing inside until elements are activated by command (with local variables)', async () => {
    await t.engine.deploy([adHocProcess('ah-later', { adHoc: '<zeebe:adHoc activeElementsCollection="=[]" />', inner: THREE_TASKS })]);
    const pi = await start(t.engine, 'ah-later', {});
    expect(await activeElements(t.engine, pi)).to.deep.equal(['tools']);
    const tools = (await t.engine.listElementInstances(pi)).find((e) => e.elementId === 'tools')!.elementInstanceKey;
    expect((await refusal(t.engine.activateAdHocSubProcessActivities(tools, [{ elementId: 'a2' }]))).code, 'a2 is not activatable').to.equal(
      'INVALID_ARGUMENT',
    );
    expect((await refusal(t.engine.activateAdHocSubProcessActivities(pi, [{ elementId: 'a' }]))).code).to.equal('NOT_FOUND');
    await t.engine.activateAdHocSubProcessActivities(tools, [{ elementId: 'c', variables: { note: 'urgent' } }]);
    const job = await oneJob(t.engine, 'c');
    expect(job.variables).to.include({ note: 'urgent' });
    await t.engine.completeJob(job.key);
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
  });

  it('given a collection naming an element the sub-process does not have, when it starts, then an EXTRACT_VALUE_ERROR incident names it, and resolving after a fix runs on', async () => {
    await t.engine.deploy([adHocProcess('ah-bad', { adHoc: '<zeebe:adHoc activeElementsCollection="=toRun" />', inner: THREE_TASKS })]);
    const pi = await start(t.engine, 'ah-bad', { toRun: ['a', 'z'] });
    const [incident] = await t.engine.listIncidents({ processInstanceKey: pi, state: 'ACTIVE' });
    expect(incident).to.include({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'tools' });
    expect(incident!.errorMessage).to.contain('Failed to activate ad-hoc elements').and.to.contain("'z'");
    await t.engine.setVariables(pi, { toRun: ['b'] });
    await t.engine.resolveIncident(incident!.incidentKey);
    await done('b');
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
  });

  it('given start or end events inside or no activity, when deployed, then the deployment is refused', async () => {
    const err = await refusal(t.engine.deploy([adHocProcess('ah-invalid', { inner: '<bpmn:startEvent id="inner-start" /><bpmn:endEvent id="inner-end" />' })]));
    expect(JSON.stringify(err.details)).to.contain('must not have start or end events').and.to.contain('at least one activity');
  });

  it('given the AI agent tool shape (a parallel multi-instance ad-hoc sub-process over the tool calls, each activating the tool it names), when the agent asks for two tools, then both run and their results are collected per call', async () => {
    const weather = task(
      'getWeather',
      '<zeebe:ioMapping><zeebe:input source="=fromAi(toolCall.city, &#34;the city to look up&#34;, &#34;string&#34;)" target="city" /></zeebe:ioMapping>',
      'Get weather',
    );
    const time = task('getTime', '', 'Get time');
    await t.engine.deploy([
      adHocProcess('ah-agent-tools', {
        adHoc: '<zeebe:adHoc activeElementsCollection="=[toolCall._meta.name]" />',
        io: '<zeebe:ioMapping><zeebe:input source="=null" target="toolCallResult" /></zeebe:ioMapping>',
        mi: `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=agent.toolCalls" inputElement="toolCall"
        outputCollection="toolCallResults" outputElement="={id: toolCall._meta.id, name: toolCall._meta.name, content: toolCallResult}" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`,
        inner: weather + time,
      }),
    ]);
    const toolCalls = [{ _meta: { id: 'call-1', name: 'getWeather' }, city: 'Hangzhou' }, { _meta: { id: 'call-2', name: 'getTime' } }];
    const pi = await start(t.engine, 'ah-agent-tools', { agent: { toolCalls } });
    const w = await oneJob(t.engine, 'getWeather');
    expect(w.variables).to.include({ city: 'Hangzhou' });
    const meta = w.variables['adHocSubProcessElements'] as Array<{ elementId: string; elementName: string; parameters: unknown[] }>;
    expect(meta.find((e) => e.elementId === 'getWeather')).to.deep.include({
      elementName: 'Get weather',
      parameters: [{ name: 'city', description: 'the city to look up', type: 'string' }],
    });
    await t.engine.completeJob(w.key, { toolCallResult: 'sunny' });
    await done('getTime', { toolCallResult: '09:00' });
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
    expect(await lastValue(pi, 'toolCallResults')).to.deep.equal([
      { id: 'call-1', name: 'getWeather', content: 'sunny' },
      { id: 'call-2', name: 'getTime', content: '09:00' },
    ]);
  });

  it('given a job worker ad-hoc sub-process (the AI agent sub-process of 8.8), when its job activates tools and later declares completion, then a new job follows every finished tool and the sub-process completes', async () => {
    await t.engine.deploy([
      adHocProcess('ah-agent-job', {
        adHoc: '<zeebe:taskDefinition type="ai-agent" retries="3" />',
        io: '<zeebe:ioMapping><zeebe:output source="=agentAnswer" target="answer" /></zeebe:ioMapping>',
        inner:
          task('getWeather', '<zeebe:ioMapping><zeebe:input source="=fromAi(toolCall.city, &#34;the city&#34;)" target="city" /></zeebe:ioMapping>') +
          task('getTime'),
      }),
    ]);
    const pi = await start(t.engine, 'ah-agent-job', { question: 'weather?' });
    const first = await oneJob(t.engine, 'ai-agent');
    expect(first).to.include({ elementId: 'tools', kind: 'AD_HOC_SUB_PROCESS' });
    expect((first.variables['adHocSubProcessElements'] as Array<{ elementId: string }>).map((e) => e.elementId)).to.deep.equal(['getWeather', 'getTime']);
    expect((await refusal(t.engine.completeJob(first.key, {}, { activateElements: [{ elementId: 'nope' }] }))).code).to.equal('INVALID_ARGUMENT');
    await t.engine.completeJob(
      first.key,
      { agentContext: { turn: 1 } },
      { activateElements: [{ elementId: 'getWeather', variables: { toolCall: { city: 'Hangzhou' } } }] },
    );
    expect(await jobsOf(t.engine, 'ai-agent'), 'no job while the tool runs').to.have.length(0);
    const tool = await oneJob(t.engine, 'getWeather');
    expect(tool.variables).to.include({ city: 'Hangzhou' });
    await t.engine.completeJob(tool.key, { weather: 'sunny' });
    const second = await oneJob(t.engine, 'ai-agent');
    expect(second.variables).to.deep.include({ agentContext: { turn: 1 }, weather: 'sunny' });
    await t.engine.completeJob(second.key, { agentAnswer: 'It is sunny in Hangzhou' }, { isCompletionConditionFulfilled: true });
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
    expect(await lastValue(pi, 'answer')).to.equal('It is sunny in Hangzhou');
    const rootVariables = (await t.engine.history(pi))
      .filter((h) => h.intent === 'VARIABLE_CREATED' && h.elementInstanceKey === pi)
      .map((h) => (h.payload as { name: string }).name);
    expect(rootVariables, "the worker's variables stay in the sub-process").to.not.include('agentContext');
  });
});
