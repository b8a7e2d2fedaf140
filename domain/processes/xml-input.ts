import { createModdle } from '../../port/bpmn-model.js';
import { DomainError } from '../shared/errors.js';

/** The largest diagram the administration accepts (the product's biggest is ~60 KB). */
export const MAX_XML_BYTES = 2 * 1024 * 1024;

/** A BPMN id the tables and the engines both take (NCName, at most 191 characters for the MySQL index). */
export const PROCESS_ID_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]{0,190}$';
const PROCESS_ID = new RegExp(PROCESS_ID_PATTERN);

const refuse = (apiCode: string, message: string) => new DomainError('INVALID_ARGUMENT', message, { apiCode });

/**
 * Checks XML before anything reads it: the size, and no DOCTYPE (so no entity definitions, no external
 * entities, no "billion laughs"). BPMN never needs a DOCTYPE; refusing it outright is simpler than trusting
 * every parser on the way (bpmn-moddle, bpmnlint, the engines) to ignore it.
 */
export function checkXmlInput(xml: string): void {
  if (Buffer.byteLength(xml, 'utf8') > MAX_XML_BYTES) throw refuse('xml_too_large', `the XML is larger than ${MAX_XML_BYTES} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw refuse('xml_doctype', 'XML with a DOCTYPE or entity declarations is refused');
  if (!/^\uFEFF?\s*</.test(xml)) throw refuse('not_bpmn', 'not an XML document');
}

export interface BpmnSummary {
  /** the root bpmn:Definitions as bpmn-moddle reads it */
  definitions: unknown;
  /** the processes of the document, in order */
  processes: Array<{ id: string; name: string | null }>;
  /** what bpmn-moddle could not read (it leaves such elements out) */
  warnings: string[];
}

const moddle = createModdle();

/** Reads a BPMN document (after {@link checkXmlInput}); 400 `not_bpmn` when it is not one. */
export async function readBpmn(xml: string): Promise<BpmnSummary> {
  checkXmlInput(xml);
  let root: { $type?: string; rootElements?: Array<{ $type: string; id?: string; name?: string }> } | undefined;
  let warnings: string[];
  try {
    const read = await moddle.fromXML(xml);
    root = read.rootElement as typeof root;
    warnings = read.warnings.map((w) => w.message);
  } catch (err) {
    throw refuse('not_bpmn', `not a BPMN 2.0 XML document: ${(err as Error).message}`);
  }
  if (!root || root.$type !== 'bpmn:Definitions') throw refuse('not_bpmn', 'not a BPMN 2.0 XML document: the root is not bpmn:definitions');
  const processes = (root.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process').map((p) => ({ id: String(p.id ?? ''), name: p.name ?? null }));
  return { definitions: root, processes, warnings };
}

/** The one process of a document to deploy or draft; 400 otherwise (one file, one process, as in processes/). */
export async function singleProcessOf(xml: string): Promise<{ id: string; name: string | null }> {
  const { processes, warnings } = await readBpmn(xml);
  // bpmn-moddle drops a process whose id is no XML name (spaces, quotes …) and says so in a warning
  const dropped = warnings.find((w) => /<bpmn:process>[\s\S]*illegal ID/.test(w));
  if (dropped) throw refuse('bad_process_id', `the process id is not a valid id: ${dropped.split('\n').pop()?.trim() ?? ''}`);
  if (processes.length !== 1) throw refuse('one_process', `the document must hold exactly one process, it holds ${processes.length}`);
  const p = processes[0]!;
  if (!PROCESS_ID.test(p.id)) throw refuse('bad_process_id', `process id '${p.id.slice(0, 64)}' is not a valid id (letters, digits, _ . -, at most 191)`);
  return p;
}
