import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acceptPhoto, exifTime, readExif, sniffDiscoveryPhoto } from './discovery-photos';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'photos', name));

describe('discovery photos', () => {
  it('recognises images by their first bytes, HEIC included, and nothing else', () => {
    expect(sniffDiscoveryPhoto(fixture('plain.jpg'))).toBe('image/jpeg');
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic', 'latin1'), Buffer.alloc(16)]);
    expect(sniffDiscoveryPhoto(heic)).toBe('image/heic');
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom', 'latin1'), Buffer.alloc(16)]);
    expect(sniffDiscoveryPhoto(mp4)).toBeNull();
    expect(sniffDiscoveryPhoto(fixture('not-a-photo.jpg'))).toBeNull();
  });

  it('EXIF time: the camera’s offset when written, otherwise Asia/Shanghai', () => {
    expect(exifTime('2026:11:27 09:38:12', '+08:00')).toBe('2026-11-27T09:38:12+08:00');
    expect(exifTime('2026:11:27 09:38:12', undefined)).toBe('2026-11-27T09:38:12+08:00');
    expect(exifTime('2026:11:27 01:38:12', '+00:00')).toBe('2026-11-27T01:38:12+00:00');
    expect(exifTime('0000:00:00 00:00:00', undefined)).toBeNull();
    expect(exifTime(12, undefined)).toBeNull();
  });

  it('reads EXIF time and GPS from the real JPEG fixture; a photo without EXIF has none', async () => {
    const sut = await readExif(fixture('find-tunliu-gps.jpg'));
    expect(sut.takenAt).toBe('2026-11-27T09:38:12+08:00');
    expect(sut.lat).toBeCloseTo(36.50705, 6);
    expect(sut.lon).toBeCloseTo(113.50815, 6);
    expect(await readExif(fixture('plain.jpg'))).toEqual({ takenAt: null, lat: null, lon: null });
  });

  it('a text file named .jpg is refused with 415 naming the file', async () => {
    await expect(acceptPhoto(fixture('not-a-photo.jpg'), '现场.jpg')).rejects.toMatchObject({ code: 'discovery_photo_type_unsupported', status: 415, params: { name: '现场.jpg' } });
    const ok = await acceptPhoto(fixture('find-tunliu-gps.jpg'), 'find.jpg');
    expect(ok.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ok.contentType).toBe('image/jpeg');
  });
});
