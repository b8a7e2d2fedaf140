/* eslint-disable @typescript-eslint/no-explicit-any -- moddle trees are untyped at this boundary */
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

/** A node of a moddle tree: `$type` names the BPMN or zeebe element, the rest are its properties. */
export type ModdleElement = { $type: string; id?: string; name?: string; [property: string]: any };

export interface Moddle {
  fromXML(xml: string): Promise<{ rootElement: ModdleElement; warnings: Array<{ message: string }> }>;
  toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
  create(type: string, properties?: Record<string, unknown>): ModdleElement;
}

/** bpmn-moddle with the zeebe:* extensions (zeebe-bpmn-moddle), the same pair the embedded engine parses with. */
export function createModdle(): Moddle {
  return new (BpmnModdle as unknown as new (packages: object) => Moddle)({ zeebe: zeebeSchema });
}

/** The extension element of a type (`zeebe:TaskListeners` …) on an element, if any. */
export function extensionOf(element: ModdleElement, type: string): ModdleElement | undefined {
  return (element['extensionElements']?.values as ModdleElement[] | undefined)?.find((v) => v.$type === type);
}

/** Every flow element in a process, descending into sub-processes (embedded and event sub-processes). */
export function* flowElements(scope: ModdleElement): Generator<ModdleElement> {
  for (const el of (scope['flowElements'] as ModdleElement[] | undefined) ?? []) {
    yield el;
    if (el['flowElements']) yield* flowElements(el);
  }
}

export function processesOf(definitions: ModdleElement): ModdleElement[] {
  return ((definitions['rootElements'] as ModdleElement[] | undefined) ?? []).filter((e) => e.$type === 'bpmn:Process');
}

/** `bpmn:UserTask` → `userTask`; a sub-process triggered by an event → `eventSubProcess` (the embedded engine's names). */
export function elementTypeOf(el: ModdleElement): string {
  if (el.$type === 'bpmn:SubProcess' && el['triggeredByEvent']) return 'eventSubProcess';
  const local = el.$type.replace(/^bpmn:/, '');
  return local.charAt(0).toLowerCase() + local.slice(1);
}
