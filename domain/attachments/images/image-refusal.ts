import { DomainError } from '../../shared/errors.js';

/** The most pixels a photo may have: a 24 MP camera frame fits; a JPEG decode takes up to ~20 bytes a pixel (~500 MB here), one at a time. */
export const MAX_IMAGE_PIXELS = 25_000_000;

/** A file that claims an image type and does not decode as one (forged header, truncated, corrupt). */
export const undecodable = (type: string, why: string) =>
  new DomainError('INVALID_ARGUMENT', `not a valid ${type} image: ${why}`, { apiCode: 'image_invalid' });

/** Width × height beyond MAX_IMAGE_PIXELS (a decompression bomb or an oversized scan): refused before decoding. */
export function requirePixelBudget(width: number, height: number): void {
  if (width <= 0 || height <= 0) throw new DomainError('INVALID_ARGUMENT', `image has no size (${width}×${height})`, { apiCode: 'image_invalid' });
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new DomainError('INVALID_ARGUMENT', `image is ${width}×${height} pixels, more than ${MAX_IMAGE_PIXELS}`, {
      apiCode: 'image_too_many_pixels',
    });
  }
}
