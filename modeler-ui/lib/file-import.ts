/**
 * Opening a diagram from a file (a Camunda Modeler .bpmn, or one exported here): by the file button or by a
 * drop on the workspace. The file is checked before the editor sees it, so that what is not a BPMN diagram
 * gets a plain message (a DMN decision, a form's JSON, something else) instead of the editor's parser error.
 */
import { t } from '../../web/shared/i18n.js';

const BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
const DMN_NS = /^https:\/\/www\.omg\.org\/spec\/DMN\//;
/** the size the API takes (domain/processes/xml-input.ts) */
export const MAX_DIAGRAM_BYTES = 2 * 1024 * 1024;

export class NotADiagram extends Error {}

/** The file's XML when it is a BPMN 2.0 diagram; otherwise {@link NotADiagram} with a message for the page. */
export async function readDiagramFile(file: File): Promise<string> {
  if (file.size > MAX_DIAGRAM_BYTES) throw new NotADiagram(t('modeler.file.tooLarge', { name: file.name }));
  const text = await file.text();
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) throw new NotADiagram(t('modeler.file.isJson', { name: file.name }));
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) throw new NotADiagram(t('modeler.file.notXml', { name: file.name }));
  const root = doc.documentElement;
  if (DMN_NS.test(root.namespaceURI ?? '')) throw new NotADiagram(t('modeler.file.isDmn', { name: file.name }));
  if (root.namespaceURI !== BPMN_NS || root.localName !== 'definitions') throw new NotADiagram(t('modeler.file.notBpmn', { name: file.name }));
  if (!root.getElementsByTagNameNS(BPMN_NS, 'process').length) throw new NotADiagram(t('modeler.file.noProcess', { name: file.name }));
  return text;
}

/** Files dropped on `target` go to `onFile` (the first one); the target is marked while a file is dragged over it. */
export function acceptDrops(target: HTMLElement, onFile: (file: File) => void): void {
  const carriesFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  target.addEventListener('dragover', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault(); // without it the browser opens the file itself
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    target.classList.add('drop-target');
  });
  target.addEventListener('dragleave', (e) => {
    if (e.target === target) target.classList.remove('drop-target');
  });
  target.addEventListener('drop', (e) => {
    target.classList.remove('drop-target');
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    e.preventDefault();
    e.stopPropagation();
    onFile(file);
  });
}

export interface FormFile {
  id: string | null;
  schema: { id?: unknown; components: unknown[] } & Record<string, unknown>;
}

/** The file's form-js schema when it is one (a Camunda Modeler .form, or one exported here); otherwise {@link NotADiagram}. */
export async function readFormFile(file: File): Promise<FormFile> {
  if (file.size > MAX_DIAGRAM_BYTES) throw new NotADiagram(t('modeler.file.tooLarge', { name: file.name }));
  const text = await file.text();
  if (text.trimStart().startsWith('<')) throw new NotADiagram(t('forms.file.isXml', { name: file.name }));
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw new NotADiagram(t('forms.file.notJson', { name: file.name }));
  }
  const s = schema as FormFile['schema'] | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.components) || (s['type'] !== undefined && s['type'] !== 'default')) {
    throw new NotADiagram(t('forms.file.notForm', { name: file.name }));
  }
  return { id: typeof s.id === 'string' ? s.id : null, schema: s };
}

/** The file's XML when it is a DMN 1.x decision file (a Camunda Modeler .dmn); otherwise {@link NotADiagram}. */
export async function readDmnFile(file: File): Promise<string> {
  if (file.size > MAX_DIAGRAM_BYTES) throw new NotADiagram(t('modeler.file.tooLarge', { name: file.name }));
  const text = await file.text();
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) throw new NotADiagram(t('decisions.file.notDmn', { name: file.name }));
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) throw new NotADiagram(t('modeler.file.notXml', { name: file.name }));
  const root = doc.documentElement;
  if (root.namespaceURI === BPMN_NS) throw new NotADiagram(t('decisions.file.isBpmn', { name: file.name }));
  if (!DMN_NS.test(root.namespaceURI ?? '') || root.localName !== 'definitions') throw new NotADiagram(t('decisions.file.notDmn', { name: file.name }));
  return text;
}
