/** Files attached to cases: type checks by magic bytes and a full decode of images (metadata stripped), content-addressed storage under DATA_DIR, form references. */
export {
  attachToCase,
  attachmentBytes,
  caseAttachments,
  checkUploads,
  findAttachment,
  publicPhoto,
  publicPhotos,
  toAttachmentView,
  type AttachmentRecord,
  type CheckedFile,
} from './attachments.js';
export type { AttachmentView } from './attachment-type.js';
export { checkFileType, cleanFileName, sniffFileType, type SniffedType, type UploadClass } from './file-types.js';
export { attachmentFieldKeys, checkFormAttachments } from './form-attachments.js';
export { MAX_IMAGE_PIXELS } from './images/image-refusal.js';
