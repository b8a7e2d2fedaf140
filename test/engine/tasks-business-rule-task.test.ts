import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { DeployResource, Engine } from '../../engine/index.js';
import { dmnFile, tableDecision } from './dmn/dmn-xml.js';
import { completedPath, fixture, oneJob, openTestEngine, refusal, type TestEngine } from './support/harness.js';
import { SCHEMA_VERSION } from '../../engine/index.js';

const rocketDmn: DeployResource = { name: 'rocket-launch.dmn', xml: readFileSync(new URL('./dmn/rocket-launch.dmn', import.meta.url), 'utf8') };

/** A one-decision DRG `time_limit` giving `days`, tagged `tag` when given (Camunda's `zeebe:versionTag` on a decision). */
function timeLimitDmn(days: number, tag?: string): DeployResource {
  const ext = tag ? `<extensionElements><zeebe:versionTag value="${tag}" /></extensionElements>` : '';
  return {
    name: 'time-limit.dmn',
    xml: `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="time-limit-drg" name="Time limit" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="time_limit" name="Time limit (days)">${ext}<literalExpression id="le_time_limit"><text>${days}</text></literalExpression></decision>
</definitions>`,
  };
}

async function decisionRecords(engine: Engine, instanceKey: string) {
  return (await engine.history(instanceKey)).filter((h) => h.intent === 'DECISION_EVALUATED').map((h) => h.payload!);
}

async function variable(engine: Engine, instanceKey: string, name: string): Promise<unknown> {
  return (await engine.getVariables(instanceKey))[name];
}

/** Business-rule tasks with zeebe:calledDecision: the engine evaluates the DMN decision itself (Camunda 8 docs, Business rule tasks). */
describe('engine / business-rule task: DMN decisions', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  it('given the rocket-launch decision deployed beside its process, when instances start with clear or stormy weather, then the decision picks the flow and the history names the rule that matched', async () => {
    await t.engine.deploy([fixture('dmn-rocket-launch.bpmn'), rocketDmn]);
    expect((await t.engine.listDecisions()).map((d) => [d.decisionId, d.version, d.decisionRequirementsId, d.resourceName])).to.deep.equal([
      ['launch_decision', 1, 'rocket-launch-drg', 'rocket-launch.dmn'],
    ]);

    const go = await t.engine.createInstance({ bpmnProcessId: 'dmn-rocket-launch', variables: { weather: 'clear', fuelLevel: 95 } });
    expect(await variable(t.engine, go.processInstanceKey, 'decision')).to.deep.equal({ launch: true, reason: 'go' });
    await t.engine.completeJob((await oneJob(t.engine, 'dmn-launch')).key, {});
    expect(await completedPath(t.engine, go.processInstanceKey)).to.deep.equal(['start', 'decide', 'launch_or_not', 'launch', 'launched']);
    const [record] = await decisionRecords(t.engine, go.processInstanceKey);
    expect(record).to.deep.include({
      decisionId: 'launch_decision',
      decisionVersion: 1,
      drgId: 'rocket-launch-drg',
      resultVariable: 'decision',
      result: { launch: true, reason: 'go' },
    });
    const evaluated = record!['evaluatedDecisions'] as Array<{ matchedRules: Array<{ ruleId: string }>; inputs: Array<{ value: unknown }> }>;
    expect(evaluated.map((e) => e.matchedRules.map((r) => r.ruleId))).to.deep.equal([['rule_clear_full']]);
    expect(evaluated[0]!.inputs.map((i) => i.value)).to.deep.equal(['clear', 95]);

    const storm = await t.engine.createInstance({ bpmnProcessId: 'dmn-rocket-launch', variables: { weather: 'storm', fuelLevel: 100 } });
    expect(await variable(t.engine, storm.processInstanceKey, 'decision')).to.deep.equal({ launch: false, reason: 'wait for storm to pass' });
    await t.engine.completeJob((await oneJob(t.engine, 'dmn-abort')).key, {});
    expect(await completedPath(t.engine, storm.processInstanceKey)).to.deep.equal(['start', 'decide', 'launch_or_not', 'abort', 'aborted']);
    expect(
      (await decisionRecords(t.engine, storm.processInstanceKey)).map(
        (r) => (r['evaluatedDecisions'] as Array<{ matchedRules: Array<{ ruleId: string }> }>)[0]!.matchedRules[0]!.ruleId,
      ),
    ).to.deep.equal(['rule_storm']);
  });

  it('given a decision id computed by FEEL that is not deployed, when the instance reaches the task, then a CALLED_DECISION_ERROR incident names it; once it is deployed and the incident resolved, the task evaluates it and the output mapping applies', async () => {
    await t.engine.deploy([fixture('dmn-routing.bpmn')]);
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'dmn-routing', variables: { ruleSet: 'city', category: 'noise' } });
    const [incident] = await t.engine.listIncidents({ processInstanceKey: pik });
    expect(incident).to.include({ elementId: 'route', errorType: 'CALLED_DECISION_ERROR', state: 'ACTIVE' });
    expect(incident!.errorMessage).to.include("'routing_city'").and.include('no decision found');
    expect(await t.engine.listJobs({ processInstanceKey: pik })).to.deep.equal([]);

    await t.engine.deploy([
      {
        name: 'routing.dmn',
        xml: dmnFile('routing-drg', [
          tableDecision({
            id: 'routing_city',
            hitPolicy: 'FIRST',
            inputs: ['category'],
            outputs: [{ name: 'unit' }, { name: 'days' }],
            rules: [
              [['"noise"'], ['"D-HB"', '3']],
              [['-'], ['"D-CGJ"', '5']],
            ],
          }),
        ]),
      },
    ]);
    await t.engine.resolveIncident(incident!.incidentKey);
    expect((await t.engine.listIncidents({ processInstanceKey: pik }))[0]).to.include({ state: 'RESOLVED' });
    const job = await oneJob(t.engine, 'dmn-handle');
    expect(job.processInstanceKey).to.equal(pik);
    // with an output mapping the result variable stays local to the task; only the mapped value reaches the instance
    const vars = await t.engine.getVariables(pik);
    expect(vars).to.include({ unitCode: 'D-HB' });
    expect(vars).to.not.have.property('routing');
    await t.engine.completeJob(job.key, {});
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
  });

  it('given a UNIQUE table that two rules match, when the task evaluates it, then a DECISION_EVALUATION_ERROR incident carries the cause; after the variable is corrected and the incident resolved, the instance goes on', async () => {
    await t.engine.deploy([
      fixture('dmn-routing.bpmn'),
      {
        name: 'routing.dmn',
        xml: dmnFile('routing-drg', [
          tableDecision({
            id: 'routing_town',
            inputs: ['category', 'urgent'],
            outputs: [{ name: 'unit' }, { name: 'days' }],
            rules: [
              [
                ['"noise"', '-'],
                ['"D-HB"', '3'],
              ],
              [
                ['-', 'true'],
                ['"D-YJ"', '1'],
              ],
            ],
          }),
        ]),
      },
    ]);
    const { processInstanceKey: pik } = await t.engine.createInstance({
      bpmnProcessId: 'dmn-routing',
      variables: { ruleSet: 'town', category: 'noise', urgent: true },
    });
    const [incident] = await t.engine.listIncidents({ processInstanceKey: pik });
    expect(incident).to.include({ elementId: 'route', errorType: 'DECISION_EVALUATION_ERROR' });
    expect(incident!.errorMessage).to.match(/^Expected to evaluate decision 'routing_town', but .*hit policy UNIQUE.*routing_town_r1, routing_town_r2/);
    expect(await decisionRecords(t.engine, pik)).to.deep.equal([]);

    await t.engine.setVariables(pik, { urgent: false });
    await t.engine.resolveIncident(incident!.incidentKey);
    expect(await variable(t.engine, pik, 'unitCode')).to.equal('D-HB');
    expect((await oneJob(t.engine, 'dmn-handle')).processInstanceKey).to.equal(pik);
  });

  it('given time_limit version 1 (tagged "stable") and then version 2, when each binding type evaluates it, then latest picks version 2, deployment keeps the version deployed with the process and versionTag the tagged one, also after a restart', async () => {
    await t.engine.deploy([
      fixture('dmn-binding-deployment.bpmn'),
      fixture('dmn-binding-latest.bpmn'),
      fixture('dmn-binding-versionTag.bpmn'),
      timeLimitDmn(5, 'stable'),
    ]);
    const before = await t.engine.createInstance({ bpmnProcessId: 'dmn-binding-latest' });
    expect((await decisionRecords(t.engine, before.processInstanceKey)).map((r) => r['result'])).to.deep.equal([5]);

    const [again] = await t.engine.deploy([fixture('dmn-binding-latest.bpmn'), timeLimitDmn(5, 'stable')]);
    expect(again).to.include({ isNew: false });
    expect((await t.engine.listDecisions()).map((d) => d.version)).to.deep.equal([1]); // identical file: no new version
    await t.engine.deploy([timeLimitDmn(3)]);
    expect((await t.engine.listDecisions()).map((d) => [d.decisionId, d.version, d.versionTag])).to.deep.equal([
      ['time_limit', 1, 'stable'],
      ['time_limit', 2, null],
    ]);

    const check = async (engine: Engine) => {
      const out: Record<string, unknown> = {};
      for (const binding of ['latest', 'deployment', 'versionTag']) {
        const { processInstanceKey } = await engine.createInstance({ bpmnProcessId: `dmn-binding-${binding}` });
        expect((await engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
        const [record] = await decisionRecords(engine, processInstanceKey);
        // the instance has completed (its variables are gone): the result as the history recorded it
        const created = (await engine.history(processInstanceKey)).find((h) => h.intent === 'VARIABLE_CREATED' && h.payload!['name'] === 'limitDays');
        out[binding] = [created!.payload!['value'], record!['decisionVersion'], record!['result']];
      }
      return out;
    };
    const expected = { latest: [3, 2, 3], deployment: [5, 1, 5], versionTag: [5, 1, 5] };
    expect(await check(t.engine)).to.deep.equal(expected);
    expect(await check(await t.restart())).to.deep.equal(expected);
  });

  it('given bindingType versionTag and no version carrying the tag, when the task runs, then a CALLED_DECISION_ERROR incident names id and tag; a tagged version deployed and the incident resolved, it evaluates that one', async () => {
    await t.engine.deploy([fixture('dmn-binding-versionTag.bpmn'), timeLimitDmn(5)]);
    const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'dmn-binding-versionTag' });
    const [incident] = await t.engine.listIncidents({ processInstanceKey: pik });
    expect(incident).to.include({ elementId: 'limit', errorType: 'CALLED_DECISION_ERROR' });
    expect(incident!.errorMessage).to.include("decision with id 'time_limit' and version tag 'stable', but no such decision found");

    await t.engine.deploy([timeLimitDmn(4, 'stable')]);
    await t.engine.resolveIncident(incident!.incidentKey);
    expect((await t.engine.getInstance(pik))!.state).to.equal('COMPLETED');
    expect((await decisionRecords(t.engine, pik)).map((r) => [r['decisionVersion'], r['versionTag'], r['result']])).to.deep.equal([[2, 'stable', 4]]);
  });

  it('given a broken .dmn beside a valid process, when they are deployed, then DEPLOY_REJECTED names each broken element and nothing is deployed', async () => {
    const broken: DeployResource = {
      name: 'broken.dmn',
      xml: dmnFile('broken-drg', [
        tableDecision({
          id: 'broken_table',
          inputs: ['amount'],
          outputs: [{ name: 'level' }],
          rules: [
            [['[1..'], ['"high"']],
            [['<= 3', '-'], ['"low"']],
          ],
        }),
      ]),
    };
    const error = await refusal(t.engine.deploy([fixture('dmn-rocket-launch.bpmn'), broken]));
    expect(error.code).to.equal('DEPLOY_REJECTED');
    const problems = error.details as Array<{ resource: string; elementId: string | null; message: string }>;
    expect(problems.map((p) => [p.resource, p.elementId])).to.deep.equal([
      ['broken.dmn', 'broken_table_r1'],
      ['broken.dmn', 'broken_table_r2'],
    ]);
    expect(problems[0]!.message).to.include('FEEL unary-tests syntax error');
    expect(problems[1]!.message).to.include('2 input entries for 1 inputs');
    expect(error.message).to.include('broken.dmn [broken_table_r1]');
    expect(await t.engine.listDecisions()).to.deep.equal([]);
    expect(await t.engine.listDefinitions()).to.deep.equal([]);

    const notXml = await refusal(t.engine.deploy([{ name: 'notes.dmn', xml: 'not a decision' }]));
    expect((notXml.details as Array<{ resource: string }>)[0]).to.include({ resource: 'notes.dmn' });
  });

  it('given bindingType deployment with a static decision id, when the decision is not in the same deployment, then the deploy is rejected naming the task (as Zeebe checks it)', async () => {
    await t.engine.deploy([timeLimitDmn(5)]);
    const error = await refusal(t.engine.deploy([fixture('dmn-binding-deployment.bpmn')]));
    expect(error.details).to.deep.equal([
      {
        resource: 'dmn-binding-deployment.bpmn',
        elementId: 'limit',
        message: 'called decision \'time_limit\' is not in this deployment (bindingType "deployment")',
        key: 'decision_not_in_deployment',
        params: { id: 'time_limit' },
      },
    ]);
  });

  it('given a database of engine schema version 1 (before DMN), when the engine opens it, then the DMN tables are added, the current version recorded, and a decision deploys and runs', async () => {
    await t.engine.deploy([fixture('dmn-rocket-launch.bpmn')]);
    for (const table of ['eng_definition_decision', 'eng_decision', 'eng_drg']) await t.engine.driver.exec(`DROP TABLE ${table}`);
    await t.engine.driver.run("UPDATE eng_meta SET value = '1' WHERE name = 'schema_version'");
    const engine = await t.restart();
    expect(await engine.driver.get<{ value: string }>("SELECT value FROM eng_meta WHERE name = 'schema_version'")).to.deep.equal({
      value: String(SCHEMA_VERSION),
    });
    await engine.deploy([rocketDmn]);
    const { processInstanceKey } = await engine.createInstance({ bpmnProcessId: 'dmn-rocket-launch', variables: { weather: 'cloudy', fuelLevel: 40 } });
    expect(await variable(engine, processInstanceKey, 'decision')).to.deep.equal({ launch: false, reason: 'refuel first' });
  });
});
