/**
 * bpmnlint's problems in Chinese. bpmnlint and camunda-compat word them in English (POST /api/admin/lint
 * passes them on); the modeler names each one in Chinese by its rule: a sentence per message shape where the
 * message carries a detail (a type, a property), else one per rule, else one per source. The embedded
 * engine's and the lint's own problems carry a key and come worded by the server (domain/lint/engine-messages.ts).
 * The English stays for the en switch, and the rule id is listed beside the message anyway.
 */
import type { LintProblem } from './admin-api.js';

/** bpmn:UserTask → 用户任务 (the types a message names); an unknown one is shown as written (it is a code). */
const TYPES: Record<string, string> = {
  'bpmn:Process': '流程',
  'bpmn:StartEvent': '开始事件',
  'bpmn:EndEvent': '结束事件',
  'bpmn:Task': '任务',
  'bpmn:UserTask': '用户任务',
  'bpmn:ServiceTask': '服务任务',
  'bpmn:SendTask': '发送任务',
  'bpmn:ReceiveTask': '接收任务',
  'bpmn:ScriptTask': '脚本任务',
  'bpmn:BusinessRuleTask': '业务规则任务',
  'bpmn:ManualTask': '人工任务',
  'bpmn:CallActivity': '调用活动',
  'bpmn:SubProcess': '子流程',
  'bpmn:ExclusiveGateway': '排他网关',
  'bpmn:ParallelGateway': '并行网关',
  'bpmn:InclusiveGateway': '包容网关',
  'bpmn:EventBasedGateway': '事件网关',
  'bpmn:ComplexGateway': '复杂网关',
  'bpmn:IntermediateCatchEvent': '中间捕获事件',
  'bpmn:IntermediateThrowEvent': '中间抛出事件',
  'bpmn:BoundaryEvent': '边界事件',
  'bpmn:SequenceFlow': '顺序流',
  'bpmn:MessageEventDefinition': '消息事件定义',
  'bpmn:TimerEventDefinition': '定时事件定义',
  'bpmn:ErrorEventDefinition': '错误事件定义',
  'bpmn:SignalEventDefinition': '信号事件定义',
  'bpmn:Message': '消息',
  'bpmn:Error': '错误',
  'bpmn:Signal': '信号',
  'bpmn:Escalation': '升级',
  'zeebe:TaskDefinition': '任务定义（zeebe:TaskDefinition）',
  'zeebe:CalledElement': '被调用元素（zeebe:CalledElement）',
  'zeebe:Subscription': '消息订阅（zeebe:Subscription）',
  'zeebe:FormDefinition': '表单定义（zeebe:FormDefinition）',
  'zeebe:IoMapping': '输入输出映射',
  'zeebe:TaskHeaders': '任务头',
  'zeebe:UserTask': 'Zeebe 用户任务',
};
const typeName = (t: string) => TYPES[t] ?? t;
/** `<a>, <b> or <c>` → `a、b 或 c` */
const names = (list: string) =>
  list
    .replace(/<([^>]+)>/g, (_, n: string) => typeName(n))
    .replace(/, /g, '、')
    .replace(/ or /g, ' 或 ')
    .replace(/ and /g, ' 和 ');

/** Messages with a detail: the English shape → Chinese. */
const SHAPES: Array<[RegExp, (...g: string[]) => string]> = [
  [/^Element of type <([^>]+)> must have one extension element of type (.+)$/, (t, e) => `${typeName(t)}须有一个扩展元素：${names(e!)}`],
  [/^Element of type <([^>]+)> must have property <([^>]+)> if it has property <([^>]+)>$/, (t, p, q) => `${typeName(t)}有属性 ${q} 时须有属性 ${p}`],
  [/^Element of type <([^>]+)> must have property (.+)$/, (t, p) => `${typeName(t)}缺少属性 ${names(p!)}`],
  [/^Element of type <([^>]+)> (?:is )?not (?:allowed|supported).*$/, (t) => `Camunda 8.8 不支持${typeName(t)}`],
  [/^Element of type <([^>]+)> is only (?:allowed|supported) .*$/, (t) => `此处不支持${typeName(t)}`],
  [/^Property <([^>]+)> must have expression value$/, (p) => `属性 ${p} 须为表达式`],
  [/^Property <([^>]+)> must have value of <([^>]+)>$/, (p, v) => `属性 ${p} 的值须为 ${v}`],
  [/^Property <([^>]+)> .*(?:FEEL|expression).*$/, (p) => `属性 ${p} 的 FEEL 表达式有误`],
  [/^Properties of type <([^>]+)> have propert(?:y|ies) .*duplicate.*$/, (t) => `${typeName(t)}中有重复的值`],
  [/^Element type <([^>]+)> is discouraged$/, (t) => `不建议使用${typeName(t)}`],
  [/^(?:Process|Sub ?Process|bpmn:\w+) is missing end event$/, () => '缺少结束事件'],
  [/^(?:Process|Sub ?Process|bpmn:\w+) is missing start event$/, () => '缺少开始事件'],
  [/^(?:Process|Sub ?Process|bpmn:\w+) has multiple blank start events$/, () => '有多个空白开始事件'],
  [/^Duplicate link catch event with link name <(.+)> in scope$/, (n) => `同一范围内有重复的链接捕获事件 ${n}`],
  [/^Link (?:catch|throw) event with link name <(.+)> missing in scope$/, (n) => `同一范围内缺少名为 ${n} 的对应链接事件`],
];

/** bpmnlint's fixed messages (bpmnlint 11 rules) → Chinese. */
const FIXED: Record<string, string> = {
  'Element is missing label/name': '缺少名称',
  'Element is missing name': '缺少名称',
  'Element is missing bpmndi': '缺少图形信息（BPMNDI）',
  'Element is outside of parent boundary': '元素超出了所在容器的边界',
  'Element overlaps with other element': '元素与其他元素重叠',
  'Element is an implicit end': '隐式结束：请用结束事件结束',
  'Element is an implicit start': '隐式开始：请用开始事件开始',
  'Element is not connected': '元素没有连线',
  'Element is unused': '元素未被使用',
  'Element name is not unique': '名称重复',
  'Event has multiple event definitions': '事件有多个事件定义',
  'Flow splits implicitly': '隐式分支：请用网关分出多条顺序流',
  'Gateway forks and joins': '网关同时汇合又分支',
  'Gateway is superfluous. It only has one source and target.': '多余的网关：只有一个来源和一个去向',
  'Incoming flows do not join': '多条进入的顺序流没有汇合：请用网关汇合',
  'Sequence flow has superfluous label': '顺序流有多余的标签',
  'Sequence flow is missing condition': '顺序流缺少条件',
  'SequenceFlow is a duplicate': '重复的顺序流',
  'Duplicate outgoing sequence flows': '重复的出口顺序流',
  'Duplicate incoming sequence flows': '重复的入口顺序流',
  'Termination is superfluous.': '多余的终止结束事件',
  'Start event is missing event definition': '开始事件缺少事件定义',
  'Start event must be blank': '开始事件须为空白开始事件',
  'Link event is missing link name': '链接事件缺少链接名称',
  'Conditional event is missing a condition': '条件事件缺少条件',
  'A <Sequence Flow> outgoing from an <Event-based Gateway> must not be conditional': '事件网关的出口顺序流不能带条件',
  'An <Event-based Gateway> must have at least 2 outgoing <Sequence Flows>': '事件网关至少要有 2 条出口顺序流',
  'A <Start Event> is not allowed in <Ad Hoc Sub Process>': '临时子流程中不允许开始事件',
  'An <End Event> is not allowed in <Ad Hoc Sub Process>': '临时子流程中不允许结束事件',
};

/** One sentence per rule when the message itself is not known. */
const RULES: Record<string, string> = {
  'label-required': '缺少名称',
  'no-disconnected': '元素没有连线',
  'no-implicit-split': '隐式分支：请用网关分出多条顺序流',
  'fake-join': '多条进入的顺序流没有汇合：请用网关汇合',
  'no-implicit-end': '隐式结束：请用结束事件结束',
  'no-implicit-start': '隐式开始：请用开始事件开始',
  'end-event-required': '缺少结束事件',
  'start-event-required': '缺少开始事件',
  'no-bpmndi': '缺少图形信息（BPMNDI）',
  'no-overlapping-elements': '元素重叠',
  'superfluous-gateway': '多余的网关',
  'no-gateway-join-fork': '网关同时汇合又分支',
  'conditional-flows': '顺序流缺少条件',
  'no-duplicate-sequence-flows': '重复的顺序流',
  'single-blank-start-event': '有多个空白开始事件',
  'camunda-compat/element-type': 'Camunda 8.8 不支持此元素类型',
  'camunda-compat/feel': 'FEEL 表达式有语法错误',
  'camunda-compat/called-element': '调用活动缺少被调用流程的 ID',
  'camunda-compat/implementation': '任务缺少实现（任务类型）',
  'camunda-compat/user-task-form': '用户任务的表单设置有误',
  'camunda-compat/timer': '定时器设置有误',
  'camunda-compat/message-reference': '缺少消息引用',
  'camunda-compat/subscription': '消息订阅缺少关联键',
  'camunda-compat/error-reference': '缺少错误引用',
  'camunda-compat/sequence-flow-condition': '顺序流的条件须为表达式',
  'camunda-compat/executable-process': '须至少有一个可执行的流程',
  'camunda-compat/io-mapping': '输入输出映射设置有误',
  'camunda-compat/loop-characteristics': '多实例设置有误',
  'camunda-compat/no-template': '不支持元素模板',
  'camunda-compat/variable-name': '变量名不合法',
  'moddle-import': '图中有无法识别的元素或属性',
};

const SOURCES: Record<string, string> = {
  'camunda-compat': '不符合 Camunda 8.8 的执行要求',
  recommended: '不符合建模规范',
  engine: '内置引擎不支持此写法',
};

/** A problem's message in Chinese. */
export function lintMessageZh(p: Pick<LintProblem, 'message' | 'rule' | 'source'>): string {
  const fixed = FIXED[p.message];
  if (fixed) return fixed;
  for (const [re, to] of SHAPES) {
    const m = re.exec(p.message);
    if (m) return to(...m.slice(1));
  }
  return RULES[p.rule] ?? SOURCES[p.source] ?? p.message;
}
