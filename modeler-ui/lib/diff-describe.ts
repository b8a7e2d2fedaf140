/**
 * The version diff in words: the API gives a changed element's properties as plain moddle values (nested
 * objects for zeebe:* extension elements, condition expressions, timers); here each is flattened to the
 * leaves that differ, each leaf named by what it means to an administrator (任务类型, 表单, 候选组, 条件 …),
 * and values are shown as text, never as JSON.
 */
import { t } from '../../web/shared/i18n.js';

export interface PropertyChange {
  property: string;
  oldValue: string | null;
  newValue: string | null;
}

type Plain = { $type?: string } & Record<string, unknown>;

/** What a leaf is called: by its owner's type and property, else by the property alone. */
const LABELS: Record<string, string> = {
  name: 'prop.name',
  documentation: 'prop.documentation',
  conditionExpression: 'prop.condition',
  default: 'prop.default',
  sourceRef: 'prop.source',
  targetRef: 'prop.target',
  attachedToRef: 'prop.attachedTo',
  cancelActivity: 'prop.cancelActivity',
  isExecutable: 'prop.isExecutable',
  'zeebe:TaskDefinition.type': 'prop.jobType',
  'zeebe:TaskDefinition.retries': 'prop.retries',
  'zeebe:FormDefinition.formId': 'prop.formId',
  'zeebe:FormDefinition.formKey': 'prop.formId',
  'zeebe:FormDefinition.externalReference': 'prop.formId',
  'zeebe:AssignmentDefinition.candidateGroups': 'prop.candidateGroups',
  'zeebe:AssignmentDefinition.candidateUsers': 'prop.candidateUsers',
  'zeebe:AssignmentDefinition.assignee': 'prop.assignee',
  'zeebe:TaskSchedule.dueDate': 'prop.dueDate',
  'zeebe:TaskSchedule.followUpDate': 'prop.followUpDate',
  'zeebe:CalledElement.processId': 'prop.calledProcess',
  'zeebe:CalledElement.propagateAllChildVariables': 'prop.propagateAll',
  'zeebe:CalledDecision.decisionId': 'prop.calledDecision',
  'zeebe:CalledDecision.resultVariable': 'prop.resultVariable',
  'zeebe:Subscription.correlationKey': 'prop.correlationKey',
  'bpmn:Message.name': 'prop.messageName',
  messageRef: 'prop.message',
  escalationRef: 'prop.escalation',
  errorRef: 'prop.error',
  signalRef: 'prop.signal',
  timeDuration: 'prop.timeDuration',
  timeDate: 'prop.timeDate',
  timeCycle: 'prop.timeCycle',
  'zeebe:LoopCharacteristics.inputCollection': 'prop.inputCollection',
  'zeebe:LoopCharacteristics.inputElement': 'prop.inputElement',
  isSequential: 'prop.isSequential',
  'zeebe:VersionTag.value': 'prop.versionTag',
  modelerTemplate: 'prop.template',
  'zeebe:UserTask': 'prop.zeebeUserTask',
};

/** A keyed list entry's own name (a header by its key, a mapping by its target), so reordering is no change. */
function entryKey(v: Plain, index: number): string {
  if (v.$type === 'zeebe:Header') return `${t('prop.header')} ${String(v['key'])}`;
  if (v.$type === 'zeebe:Input') return `${t('prop.input')} ${String(v['target'])}`;
  if (v.$type === 'zeebe:Output') return `${t('prop.output')} ${String(v['target'])}`;
  if (v.$type === 'zeebe:Property') return `${t('prop.property')} ${String(v['name'])}`;
  return typeof v['id'] === 'string' ? `${v.$type ?? ''}#${v['id']}` : `${v.$type ?? ''}#${index}`;
}

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaves of a plain value: label → text. */
function leaves(value: unknown, label: string, owner: string | undefined, out: Map<string, string>): void {
  if (value === null || value === undefined || value === '') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (isPlain(v) && /^zeebe:(Header|Input|Output|Property)$/.test(v.$type ?? '')) {
        const value = v.$type === 'zeebe:Header' ? v['value'] : v.$type === 'zeebe:Property' ? v['value'] : v['source'];
        out.set(entryKey(v, i), value === undefined || value === null ? '' : String(value));
      } else leaves(v, label, owner, out);
    });
    return;
  }
  if (isPlain(value)) {
    const type = value.$type;
    const keys = Object.keys(value).filter((k) => k !== '$type' && k !== 'id');
    // an extension element without attributes (zeebe:userTask) is there or not
    if (!keys.some((k) => value[k] !== null && value[k] !== undefined) && type) {
      out.set(labelOf(type, undefined, type), t('prop.present'));
      return;
    }
    // a formal expression (condition, timer) is its body
    if (type === 'bpmn:FormalExpression') {
      out.set(label, String(value['body'] ?? ''));
      return;
    }
    for (const k of keys) {
      if (k === 'values' || k === 'inputParameters' || k === 'outputParameters' || k === 'headers' || k === 'properties' || k === 'eventDefinitions')
        leaves(value[k], label, type, out);
      else leaves(value[k], labelOf(k, type, k), type, out);
    }
    return;
  }
  out.set(label, String(value));
}

function labelOf(property: string, owner: string | undefined, fallback: string): string {
  const key = (owner && LABELS[`${owner}.${property}`]) || LABELS[property];
  return key ? t(key) : fallback.replace(/^(bpmn|zeebe):/, '');
}

/** The properties of one changed element that differ, named and as text. */
export function describeChanges(attrs: Record<string, { oldValue: unknown; newValue: unknown }> | undefined): PropertyChange[] {
  const rows: PropertyChange[] = [];
  for (const [property, { oldValue, newValue }] of Object.entries(attrs ?? {})) {
    const before = new Map<string, string>();
    const after = new Map<string, string>();
    const label = labelOf(property, undefined, property);
    leaves(oldValue, label, undefined, before);
    leaves(newValue, label, undefined, after);
    for (const leaf of new Set([...before.keys(), ...after.keys()])) {
      const [o, n] = [before.get(leaf) ?? null, after.get(leaf) ?? null];
      if (o !== n) rows.push({ property: leaf, oldValue: o, newValue: n });
    }
  }
  return rows;
}

/** A BPMN type in words (用户任务, 服务任务 …), else the type without its prefix. */
export function typeName(type: string | undefined): string {
  const bare = (type ?? '').replace(/^bpmn:/, '');
  const key = `type.${bare}`;
  const text = t(key);
  return text === key ? bare : text;
}
