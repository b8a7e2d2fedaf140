import { cleanJpeg } from './clean-jpeg.js';
import { cleanPng } from './clean-png.js';
import { cleanWebp } from './clean-webp.js';

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** Decodes the image as the type its magic bytes claim and returns it without metadata; throws a DomainError (image_invalid, image_too_many_pixels). */
export async function cleanImage(mimeType: ImageMime, bytes: Buffer): Promise<Buffer> {
  if (mimeType === 'image/jpeg') return cleanJpeg(bytes);
  if (mimeType === 'image/png') return cleanPng(bytes);
  return cleanWebp(bytes);
}
