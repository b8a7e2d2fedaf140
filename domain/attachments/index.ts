/** Files attached to cases: type checks by magic bytes, content-addressed storage under DATA_DIR, form references. */
export {
  attachToCase, attachmentBytes, caseAttachments, checkUpload, findAttachment, publicPhoto, publicPhotos, toAttachmentView,
  type AttachmentView, type CheckedFile,
} from './attachments.js';
export { checkFileType, cleanFileName, sniffFileType, type SniffedType, type UploadClass } from './file-types.js';
export { attachmentFieldKeys, checkFormAttachments } from './form-attachments.js';
export { taskForAttachment } from './task-scope.js';
