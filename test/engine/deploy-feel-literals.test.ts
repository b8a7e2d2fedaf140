import { expect } from 'chai';
import { oneJob, openTestEngine, type TestEngine } from './support/harness.js';
import { straight } from './support/bpmn-xml.js';

/**
 * FEEL constructs of real models that Camunda 8.8 deploys (issue #15's corpus): a string literal with a line break in it
 * (an attribute with `&#10;`, or an element body across lines) and backtick names (`first name`).
 */
describe('engine / deployment: FEEL string literals with line breaks, backtick names', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  it('given a script whose string literal holds line breaks and a mapping reading a backtick name, when deployed and run, then the text keeps its line breaks and the name is read', async () => {
    const xml = straight('feel-literals', [
      `<bpmn:scriptTask id="compose"><bpmn:extensionElements>
         <zeebe:script expression="= &quot;尊敬的 &quot; + \`first name\` + &quot;：&#10;您的诉求已受理。&#10;12345 热线&quot;" resultVariable="letter" />
       </bpmn:extensionElements></bpmn:scriptTask>`,
      `<bpmn:serviceTask id="send"><bpmn:extensionElements><zeebe:taskDefinition type="send-letter" />
         <zeebe:ioMapping><zeebe:input source="= \`first name\`" target="to" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>`,
    ]);
    await t.engine.deploy([{ name: 'feel-literals.bpmn', xml }]);
    await t.engine.createInstance({ bpmnProcessId: 'feel-literals', variables: { 'first name': '王芳' } });
    const job = await oneJob(t.engine, 'send-letter');
    expect(job.variables['letter']).to.equal('尊敬的 王芳：\n您的诉求已受理。\n12345 热线');
    expect(job.variables['to']).to.equal('王芳');
  });

  it('given a condition written over several lines with a line break inside its string literal, when deployed, then the flow is taken as the condition says', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">
  <bpmn:process id="feel-multiline" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="gw" default="fNo"><bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>fYes</bpmn:outgoing><bpmn:outgoing>fNo</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:serviceTask id="yes"><bpmn:extensionElements><zeebe:taskDefinition type="yes" /></bpmn:extensionElements><bpmn:incoming>fYes</bpmn:incoming></bpmn:serviceTask>
    <bpmn:serviceTask id="no"><bpmn:extensionElements><zeebe:taskDefinition type="no" /></bpmn:extensionElements><bpmn:incoming>fNo</bpmn:incoming></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="gw" />
    <bpmn:sequenceFlow id="fYes" sourceRef="gw" targetRef="yes"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=note = "line one
line two"</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="fNo" sourceRef="gw" targetRef="no" />
  </bpmn:process>
</bpmn:definitions>`;
    await t.engine.deploy([{ name: 'feel-multiline.bpmn', xml }]);
    await t.engine.createInstance({ bpmnProcessId: 'feel-multiline', variables: { note: 'line one\nline two' } });
    expect((await oneJob(t.engine, 'yes')).variables).to.deep.equal({ note: 'line one\nline two' });
  });
});
