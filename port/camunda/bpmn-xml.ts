import { createModdle, type Moddle, type ModdleElement } from '../../engine/index.js';

export { createModdle, type Moddle, type ModdleElement };

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
