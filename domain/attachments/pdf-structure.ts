import { DomainError } from '../shared/errors.js';

/**
 * A file that says it is a PDF must be built as one: the `%PDF-n.n` header, and at its end the
 * `startxref` offset and `%%EOF` marker (ISO 32000-1, 7.5.5 "File trailer"), the offset pointing at a
 * cross-reference table (`xref`) or a cross-reference stream object (`n g obj`). It catches what the
 * header check alone let through — a PDF header with a web page or a script after it — without
 * reading the document's content (documents are served as downloads, never shown inline).
 */
const TAIL = 1024;

const invalid = (why: string) => new DomainError('INVALID_ARGUMENT', `not a valid PDF document: ${why}`, { apiCode: 'pdf_invalid' });

export function requirePdfStructure(buffer: Buffer): void {
  if (!/^%PDF-\d\.\d/.test(buffer.subarray(0, 8).toString('latin1'))) throw invalid('no %PDF-n.n header');
  const tail = buffer.subarray(Math.max(0, buffer.length - TAIL)).toString('latin1');
  const trailer = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!trailer) throw invalid('no startxref and %%EOF at its end (truncated or not a PDF)');
  const offset = Number(trailer[1]);
  if (!Number.isSafeInteger(offset) || offset <= 0 || offset >= buffer.length) throw invalid('startxref points outside the file');
  const at = buffer.subarray(offset, offset + 32).toString('latin1');
  if (!/^(xref\b|\d+\s+\d+\s+obj\b)/.test(at)) throw invalid('startxref does not point at a cross-reference section');
}
