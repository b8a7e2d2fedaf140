import type { Selectable } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type { AttachmentsTable } from '../../db/sql/schema.js';
import { type AttachmentKind } from '../../db/vocabulary.js';
import { changeCase, type ChangeContext } from '../cases/change-case.js';
import { DomainError } from '../shared/errors.js';
import { checkFileType, cleanFileName, type UploadClass } from './file-types.js';
import type { AttachmentView } from './attachment-type.js';
import { readStored, removeStored, sha256Hex, storagePathFor, storeBytes } from './file-store.js';
import { cleanImageOffThread } from './images/image-cleaner.js';
import { requirePdfStructure } from './pdf-structure.js';
import { maskPersonalNumbers } from '../shared/mask-personal.js';

/** An upload that passed the checks, not yet stored. */
export interface CheckedFile {
  buffer: Buffer;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  storagePath: string;
}

/** An `attachments` row: every attachment belongs to a case. */
export type AttachmentRecord = Omit<Selectable<AttachmentsTable>, 'kind' | 'caseId'> & { kind: AttachmentKind; caseId: string };

export const toAttachmentView = (a: AttachmentRecord): AttachmentView => ({
  id: a.id,
  caseId: a.caseId,
  kind: a.kind,
  fileName: a.fileName,
  mimeType: a.mimeType,
  sizeBytes: a.sizeBytes,
  sha256: a.sha256,
  createdAt: a.createdAt.toISOString(),
});

/**
 * Type (by magic bytes), name and hash of uploads; refuses with 415 before anything is written. Every
 * file's type is checked before any is decoded (a bad last file costs no decoding). An image is then
 * decoded in full as the type it claims (415 image_invalid otherwise, 413 image_too_many_pixels past the
 * pixel budget), one at a time, and what is kept is the image without its metadata (EXIF with GPS, XMP,
 * text chunks): the hash and size are those of the cleaned bytes. A PDF must be built as one
 * (domain/attachments/pdf-structure.ts; 415 pdf_invalid otherwise).
 */
export async function checkUploads(
  files: ReadonlyArray<{ buffer: Buffer; originalname: string; mimetype: string }>,
  allowed: UploadClass,
): Promise<CheckedFile[]> {
  const types = files.map((f) => checkFileType(f.buffer, f.originalname, f.mimetype, allowed));
  const out: CheckedFile[] = [];
  for (const [i, file] of files.entries()) {
    const type = types[i]!;
    if (type.mimeType === 'application/pdf') requirePdfStructure(file.buffer);
    const buffer = type.mimeType === 'application/pdf' ? file.buffer : await cleanImageOffThread(type.mimeType, file.buffer);
    const sha256 = sha256Hex(buffer);
    out.push({
      buffer,
      fileName: cleanFileName(file.originalname, type.ext),
      mimeType: type.mimeType,
      sizeBytes: buffer.length,
      sha256,
      storagePath: storagePathFor(sha256, type.ext),
    });
  }
  return out;
}

/**
 * Stores checked files and attaches them to a case: the bytes first (content-addressed), then the rows
 * and one audit record in one transaction. If the transaction fails, files this call created and no
 * row refers to are removed again.
 */
export async function attachToCase(
  dataDir: string,
  caseId: string,
  kind: AttachmentKind,
  files: CheckedFile[],
  ctx: ChangeContext & { uploadedBy: number | null; detail?: Record<string, unknown> },
): Promise<AttachmentRecord[]> {
  const created: string[] = [];
  try {
    for (const f of files) if (await storeBytes(dataDir, f.storagePath, f.buffer)) created.push(f.storagePath);
    let rows: AttachmentRecord[] = [];
    await changeCase(caseId, 'attachments_added', ctx, async (_c, { transaction }) => {
      rows = [];
      // one by one: a multi-row INSERT reports one id
      for (const f of files) {
        const row = {
          caseId,
          kind,
          fileName: f.fileName,
          mimeType: f.mimeType,
          sizeBytes: f.sizeBytes,
          sha256: f.sha256,
          storagePath: f.storagePath,
          uploadedBy: ctx.uploadedBy,
          createdAt: new Date(),
        };
        const inserted = await appSql(transaction).insertInto('attachments').values(row).executeTakeFirstOrThrow();
        rows.push({ id: String(inserted.insertId), ...row });
      }
      return {
        ...(ctx.detail ?? {}),
        kind,
        attachments: rows.map((r) => ({ id: r.id, fileName: r.fileName, mimeType: r.mimeType, sizeBytes: r.sizeBytes, sha256: r.sha256 })),
      };
    });
    return rows;
  } catch (err) {
    const unused: string[] = [];
    for (const p of created)
      if (!(await appSql().selectFrom('attachments').select('id').where('storagePath', '=', p).limit(1).executeTakeFirst())) unused.push(p);
    await removeStored(dataDir, unused);
    throw err;
  }
}

export async function caseAttachments(caseId: string): Promise<AttachmentView[]> {
  return (await attachments().where('caseId', '=', caseId).orderBy('id', 'asc').execute()).map(toAttachmentView);
}

const attachments = () => appSql().selectFrom('attachments').selectAll().$narrowType<{ kind: AttachmentKind; caseId: string }>();

/** the case's id by its tracking token (a token longer than any we give finds none) */
async function caseIdByToken(token: string): Promise<string | null> {
  if (token.length > 64) return null;
  return (await appSql().selectFrom('cases').select('id').where('trackingToken', '=', token).limit(1).executeTakeFirst())?.id ?? null;
}

const notFound = () => new DomainError('NOT_FOUND', 'no such attachment', { apiCode: 'attachment_not_found' });

export async function findAttachment(id: string): Promise<AttachmentRecord> {
  const row = /^\d{1,19}$/.test(id) ? await attachments().where('id', '=', id).executeTakeFirst() : null;
  if (!row) throw notFound();
  return row;
}

/** What a reporter sees by tracking token: their own photos and the unit's after-photos (the problem fixed), never before-photos or documents. */
const PUBLIC_KINDS: AttachmentKind[] = ['photo', 'photo_after'];

/** One photo of the case by the tracking token: the reporter's own or an after-photo of the handling. */
export async function publicPhoto(token: string, id: string): Promise<AttachmentRecord> {
  const caseId = await caseIdByToken(token);
  const row =
    caseId && /^\d{1,19}$/.test(id)
      ? await attachments().where('id', '=', id).where('caseId', '=', caseId).where('kind', 'in', PUBLIC_KINDS).executeTakeFirst()
      : null;
  if (!row) throw notFound();
  // its name goes out in Content-Disposition: a public answer, numbers masked (a phone photo is often named by its owner's number)
  return { ...row, fileName: maskPersonalNumbers(row.fileName) };
}

/** The list a reporter sees by tracking token: their photos and the after-photos (`kind` tells which), without hashes or who uploaded. */
export async function publicPhotos(token: string): Promise<Array<Pick<AttachmentView, 'id' | 'fileName' | 'mimeType' | 'sizeBytes' | 'createdAt' | 'kind'>>> {
  const caseId = await caseIdByToken(token);
  if (!caseId) throw new DomainError('NOT_FOUND', 'no case with this tracking token', { apiCode: 'not_found' });
  const rows = await attachments().where('caseId', '=', caseId).where('kind', 'in', PUBLIC_KINDS).orderBy('id', 'asc').execute();
  return rows.map((a) => ({
    id: a.id,
    kind: a.kind,
    fileName: maskPersonalNumbers(a.fileName), // a public answer, as the description is
    mimeType: a.mimeType,
    sizeBytes: a.sizeBytes,
    createdAt: a.createdAt.toISOString(),
  }));
}

export async function attachmentBytes(dataDir: string, row: AttachmentRecord): Promise<Buffer> {
  try {
    return await readStored(dataDir, row.storagePath);
  } catch {
    throw new DomainError('NOT_FOUND', `attachment ${row.id}: file missing`, { apiCode: 'attachment_not_found' });
  }
}
