// bpmn-moddle 10 ships element typings but none for its factory; this is the part the parser uses.
declare module 'bpmn-moddle' {
  export function BpmnModdle(packages?: Record<string, unknown>, options?: Record<string, unknown>): {
    fromXML(xml: string): Promise<{ rootElement: unknown; warnings: Array<{ message: string }> }>;
  };
}
