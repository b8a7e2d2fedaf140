/**
 * An attachment as `GET /api/cases/:id/attachments` lists it. A type only, importing nothing but the value
 * sets, so the task page reads the same type (`import type`) without the server's database code.
 */
import type { AttachmentKind } from '../../db/vocabulary.js';

export interface AttachmentView {
  id: string;
  caseId: string;
  kind: AttachmentKind;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}
