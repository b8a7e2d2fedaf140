import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { DEPLOY_PROBLEMS, parseBpmn, type DeployProblemKey } from '../../engine/index.js';
import { ENGINE_MESSAGES_ZH } from '../../domain/lint/engine-messages.js';
import { problemZh } from '../../api/http/problem-messages.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

interface Problem {
  path?: string;
  elementId: string | null;
  message: string;
  rule: string;
  key?: string;
  params?: Record<string, string>;
}

const INVALID = readFileSync(new URL('../engine/bpmn/jt-deploy-invalid.bpmn', import.meta.url), 'utf8');
const placeholders = (template: string) => new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
const CJK = /[\u4e00-\u9fff]/;

/** One process, start → a timer catch event with a duration that is no ISO 8601 → end. */
const badTimer = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="msg-timer" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>4 hours</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe("api: the engine's deploy and lint refusals and a form's speak the caller's language (domain/lint/engine-messages.ts, domain/forms/form-messages.ts)", function () {
  this.timeout(60_000);

  it('given every deploy problem the engine knows, then its Chinese names no parameter the problem does not carry', () => {
    // the timer problems carry the refused value as `text` beside the timer check's own English
    const extra: Partial<Record<DeployProblemKey, string[]>> = {
      timer_duration: ['text'],
      timer_date: ['text'],
      timer_cycle: ['text'],
      feel_syntax: ['expression'],
      mapping_feel_syntax: ['expression'],
    };
    for (const key of Object.keys(DEPLOY_PROBLEMS) as DeployProblemKey[]) {
      const carried = new Set([...placeholders(DEPLOY_PROBLEMS[key]), ...(extra[key] ?? [])]);
      const zh: string = ENGINE_MESSAGES_ZH[key].zh;
      expect(
        [...placeholders(zh)].filter((p) => !carried.has(p)),
        key,
      ).to.deep.equal([]);
      expect(zh, key).to.match(CJK);
    }
  });

  it('given a diagram with several engine problems, when parsed, then each is keyed, its English unchanged and its Chinese filled in', async () => {
    const { problems } = await parseBpmn('jt-deploy-invalid.bpmn', INVALID);
    const timer = await parseBpmn('msg-timer.bpmn', badTimer);
    const all = [...problems, ...timer.problems];
    expect(all.length).to.be.greaterThan(8);
    for (const p of all) {
      expect(p.key, p.message).to.be.a('string');
      const zh = problemZh({ key: `engine.${p.key}`, params: p.params })!;
      expect(zh, p.message)
        .to.match(CJK)
        .and.not.match(/\{\w+\}/);
    }
    const byKey = (key: string) => all.find((p) => p.key === key)!;
    expect(byKey('flow_without_condition')).to.include({ message: 'outgoing flow of decide needs a condition (or be the default flow)' });
    expect(problemZh({ key: 'engine.element_unsupported', params: byKey('element_unsupported').params })).to.equal('内置引擎不支持复杂网关');
    expect(problemZh({ key: 'engine.catch_event_kind', params: { kind: 'none' } })).to.equal('中间捕获事件须为定时、消息、信号或链接事件（此处为空白事件）');
    expect(problemZh({ key: 'engine.feel_syntax', params: byKey('feel_syntax').params })).to.equal('条件的 FEEL 表达式有语法错误：a +');
    expect(byKey('timer_duration').message).to.equal("timer duration '4 hours' is not an ISO 8601 duration (e.g. PT4H)");
    expect(problemZh({ key: 'engine.timer_duration', params: byKey('timer_duration').params })).to.match(/^定时器时长 4 hours 不是 ISO 8601 时长/);
  });

  describe('through the API', () => {
    let api: ApiWorld;
    let admin: string;
    before(async () => {
      api = await openApiWorld();
      admin = await api.login('admin');
    });
    after(() => api?.close());

    const lint = async (xml: string, lang: 'zh-CN' | 'en') =>
      (await api.call<{ problems: Problem[] }>('POST', '/admin/lint', { token: admin, body: { xml }, headers: { 'Accept-Language': lang } })).body.problems;

    it("given a diagram the embedded engine cannot run, when linted, then the engine's problems come in Chinese, and in English on request", async () => {
      const zh = (await lint(badTimer, 'zh-CN')).filter((p) => p.rule === 'engine/supported');
      expect(zh).to.have.length(1);
      expect(zh[0]).to.include({ elementId: 'wait', key: 'engine.timer_duration' });
      expect(zh[0]!.message).to.match(/^定时器时长 4 hours 不是 ISO 8601 时长/);
      const en = (await lint(badTimer, 'en')).filter((p) => p.rule === 'engine/supported');
      expect(en[0]).to.include({ key: 'engine.timer_duration', message: "timer duration '4 hours' is not an ISO 8601 duration (e.g. PT4H)" });
    });

    it('given a call activity whose process is not deployed, when linted, then the lint’s own warning is keyed and in Chinese', async () => {
      const xml = badTimer
        .replace(
          '<bpmn:intermediateCatchEvent id="wait">',
          '<bpmn:callActivity id="wait"><bpmn:extensionElements><zeebe:calledElement processId="no-such-process" /></bpmn:extensionElements>',
        )
        .replace(/<bpmn:timerEventDefinition>.*<\/bpmn:timerEventDefinition>\s*<\/bpmn:intermediateCatchEvent>/s, '</bpmn:callActivity>');
      const warning = (await lint(xml, 'zh-CN')).find((p) => p.rule === 'engine/called-process')!;
      expect(warning).to.include({
        key: 'lint.called_process_missing',
        message: '被调用流程 no-such-process 尚未部署：运行到该调用活动时会产生事故，直到它部署为止',
      });
    });

    it('given that diagram deployed, when refused, then 422 lint_failed lists the problems in Chinese and nothing is deployed', async () => {
      const res = await api.call<{ code: string; message: string; details: { problems: Problem[] } }>('POST', '/admin/processes/deploy', {
        token: admin,
        body: { xml: badTimer },
      });
      expect(res.status).to.equal(422);
      expect(res.body).to.include({ code: 'lint_failed', message: '流程校验未通过，未部署' });
      const engine = res.body.details.problems.find((p) => p.key === 'engine.timer_duration')!;
      expect(engine.message).to.match(/^定时器时长 4 hours/);
      const versions = await api.call('GET', '/admin/processes/msg-timer/versions', { token: admin });
      expect([versions.status, versions.body['code']]).to.deep.equal([404, 'process_not_found']);
    });

    it('given a form with two fields on one key and one of another form id, when deployed, then each refusal is keyed and in Chinese, English on request', async () => {
      const field = (id: string) => ({ type: 'textfield', id, key: 'note', label: '意见' });
      const schema = { type: 'default', id: 'other-form', schemaVersion: 19, components: [field('A'), field('B')] };
      const deploy = (lang: 'zh-CN' | 'en') =>
        api.call<{ code: string; details: { errors: Problem[] } }>('POST', '/admin/forms/msg-form/deploy', {
          token: admin,
          body: { schema },
          headers: { 'Accept-Language': lang },
        });
      const zh = await deploy('zh-CN');
      expect([zh.status, zh.body.code]).to.deep.equal([422, 'form_definition_invalid']);
      expect(zh.body.details.errors.map((e) => [e.path, e.key, e.message])).to.deep.equal([
        ['/id', 'form.id_mismatch', '为 other-form，应与部署所用的表单 ID msg-form 一致'],
        ['/components/1/key', 'form.key_twice', 'key note 重复（另见 /components/0）：两个字段会互相覆盖'],
      ]);
      const en = await deploy('en');
      expect(en.body.details.errors[1]).to.include({ message: "key 'note' is used twice (also at /components/0)" });
      const notDefault = await api.call<{ details: { errors: Problem[] } }>('POST', '/admin/forms/msg-form/deploy', {
        token: admin,
        body: { schema: { ...schema, id: 'msg-form', type: 'custom' } },
      });
      expect(notDefault.body.details.errors[0]).to.include({ key: 'form.not_default', message: 'type 须为 "default"（此处为 "custom"）' });
    });
  });
});
