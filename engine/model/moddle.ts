/* eslint-disable @typescript-eslint/no-explicit-any -- moddle trees are untyped at this boundary */
import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

/** A node of a moddle tree: `$type` names the BPMN or zeebe element, the rest are its properties. */
export type ModdleElement = { $type: string; id?: string; name?: string; [property: string]: any };

/** The part of bpmn-moddle's API this project uses. */
export interface Moddle {
  fromXML(xml: string): Promise<{ rootElement: ModdleElement; warnings: Array<{ message: string; element?: ModdleElement }> }>;
  toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
  create(type: string, properties?: Record<string, unknown>): ModdleElement;
}

/**
 * bpmn-moddle with the zeebe:* extensions (zeebe-bpmn-moddle): the one way this project reads BPMN XML, so
 * the engine, the Camunda adapter, the lint and the administration read a diagram with the same schema.
 */
export function createModdle(): Moddle {
  return new (BpmnModdle as unknown as new (packages: object) => Moddle)({ zeebe: zeebeSchema });
}
