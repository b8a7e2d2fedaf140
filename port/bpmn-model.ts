/**
 * Reading BPMN as the engine reads it, for the domain (lint, the administration's checks): the engine's moddle
 * factory and its parser, passed through the port so that nothing outside it imports the engine.
 */
export { createModdle, parseBpmn, type Moddle, type ModdleElement } from '../engine/index.js';
/** DMN as the engine reads it (the decision lint and deploy checks): its parser, a pure function over the XML. */
export { parseDrg } from '../engine/index.js';
