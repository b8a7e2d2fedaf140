// bpmn-moddle 10 ships element typings but none for its factory; engine/model/moddle.ts gives it its type.
declare module 'bpmn-moddle' {
  export const BpmnModdle: unknown;
}
