/**
 * The server's limits on one report's photos (backend discovery-photos.ts, DISCOVERY_PHOTO_LIMITS), checked
 * on the phone before a report is queued: a report refused for its photos would only be found out once the
 * network is back. Photos are sent as taken, never re-encoded: the server reads their EXIF time and GPS.
 */
export const PHOTO_LIMITS = { maxFileBytes: 15 * 1024 * 1024, maxTotalBytes: 40 * 1024 * 1024, maxFiles: 10 } as const;

export type PhotoRefusal = 'too_large' | 'total_too_large' | 'too_many' | 'not_an_image';

export interface PhotoChoice<F extends { name: string; size: number; type: string }> {
  accepted: F[];
  refused: Array<{ name: string; reason: PhotoRefusal }>;
}

/** Adds the newly chosen files to those already chosen, in order, as long as every limit holds. */
export function addPhotos<F extends { name: string; size: number; type: string }>(current: readonly F[], incoming: readonly F[]): PhotoChoice<F> {
  const accepted = [...current];
  const refused: PhotoChoice<F>['refused'] = [];
  let total = current.reduce((sum, f) => sum + f.size, 0);
  for (const file of incoming) {
    // an empty type happens for HEIC on some Android browsers; the server sniffs the content anyway
    if (file.type && !file.type.startsWith('image/')) refused.push({ name: file.name, reason: 'not_an_image' });
    else if (accepted.length >= PHOTO_LIMITS.maxFiles) refused.push({ name: file.name, reason: 'too_many' });
    else if (file.size > PHOTO_LIMITS.maxFileBytes) refused.push({ name: file.name, reason: 'too_large' });
    else if (total + file.size > PHOTO_LIMITS.maxTotalBytes) refused.push({ name: file.name, reason: 'total_too_large' });
    else {
      accepted.push(file);
      total += file.size;
    }
  }
  return { accepted: accepted as F[], refused };
}
