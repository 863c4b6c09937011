import { describe, expect, it } from 'vitest';
import { addPhotos, PHOTO_LIMITS } from './photo-limits';

const MB = 1024 * 1024;
const photo = (name: string, size: number, type = 'image/jpeg') => ({ name, size, type });

describe('choosing the photos of a report', () => {
  it('keeps photos within the server’s limits and names each one it leaves out, with the reason', () => {
    const chosen = addPhotos([photo('a.jpg', 12 * MB)], [
      photo('notes.txt', 1000, 'text/plain'),
      photo('huge.jpg', 16 * MB),
      photo('b.jpg', 14 * MB),
      photo('c.jpg', 15 * MB), // 12 + 14 + 15 > 40
      photo('d.heic', 3 * MB, ''),
    ]);
    expect(chosen.accepted.map((f) => f.name)).toEqual(['a.jpg', 'b.jpg', 'd.heic']);
    expect(chosen.refused).toEqual([
      { name: 'notes.txt', reason: 'not_an_image' },
      { name: 'huge.jpg', reason: 'too_large' },
      { name: 'c.jpg', reason: 'total_too_large' },
    ]);
  });

  it('stops at the maximum number of photos', () => {
    const many = Array.from({ length: PHOTO_LIMITS.maxFiles + 2 }, (_, i) => photo(`${i}.jpg`, 100_000));
    const chosen = addPhotos([], many);
    expect(chosen.accepted).toHaveLength(PHOTO_LIMITS.maxFiles);
    expect(chosen.refused.map((r) => r.reason)).toEqual(['too_many', 'too_many']);
  });
});
