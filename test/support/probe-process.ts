/** The namespaces a Camunda 8.8 diagram declares. */
export const BPMN_NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" ' +
  'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" ' +
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0"';

export interface ProbeOptions {
  processId: string;
  processName: string;
  /** the labels of the start event, the task and the end event */
  names: { start: string; task: string; end: string };
  /** the task's element (default a service task) */
  taskType?: string;
  /** what goes inside the task (extension elements …) */
  taskXml?: string;
  /** more process content after the two flows */
  extra?: string;
}

/** start → `task` → end with labels and a diagram (Camunda 8.8), so only what `task` brings in can be reported. */
export function probeProcess(o: ProbeOptions): string {
  const taskType = o.taskType ?? 'bpmn:serviceTask';
  const shape = (id: string, x: number, w: number, h: number) =>
    `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="100" width="${w}" height="${h}" /></bpmndi:BPMNShape>`;
  const edge = (id: string, x1: number, x2: number) =>
    `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="${x1}" y="118" /><di:waypoint x="${x2}" y="118" /></bpmndi:BPMNEdge>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN_NS} id="d" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="${o.processId}" name="${o.processName}" isExecutable="true">
    <bpmn:startEvent id="start" name="${o.names.start}"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <${taskType} id="task" name="${o.names.task}">${o.taskXml ?? ''}<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></${taskType}>
    <bpmn:endEvent id="end" name="${o.names.end}"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />${o.extra ?? ''}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="${o.processId}">
    ${shape('start', 100, 36, 36)}${shape('task', 200, 100, 80)}${shape('end', 400, 36, 36)}${edge('f1', 136, 200)}${edge('f2', 300, 400)}
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}
