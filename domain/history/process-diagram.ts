import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { processXmlOfDefinition } from '../processes/versions.js';

interface EngineWithDefinitions {
  engine: { getDefinitionXml(processDefinitionKey: string): Promise<string | null> };
}
const readsDefinitions = (port: unknown): port is EngineWithDefinitions =>
  typeof (port as Partial<EngineWithDefinitions>).engine?.getDefinitionXml === 'function';

/**
 * The BPMN XML of the definition a case's instance runs: the recorded deployment (domain/processes),
 * else — a definition deployed before deployments were recorded — the embedded engine's own copy.
 * null when neither knows it (a Camunda definition not deployed through this system).
 */
export async function diagramXml(port: WorkflowEngine, processDefinitionKey: string): Promise<string | null> {
  const recorded = await processXmlOfDefinition(processDefinitionKey);
  if (recorded) return recorded;
  return readsDefinitions(port) ? port.engine.getDefinitionXml(processDefinitionKey) : null;
}
