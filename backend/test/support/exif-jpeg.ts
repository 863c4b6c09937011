import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes an EXIF APP1 segment (big-endian TIFF: IFD0 → Exif IFD with DateTimeOriginal/OffsetTimeOriginal,
 * GPS IFD with latitude/longitude as degrees-minutes-seconds rationals) into a JPEG, right after SOI —
 * what a phone camera writes. Used to make the committed fixture and photos at chosen places.
 */

type Entry = { tag: number; type: 1 | 2 | 4 | 5; count: number; data: Buffer };
const TYPE_SIZE = { 1: 1, 2: 1, 4: 4, 5: 8 } as const;

function ascii(s: string): { type: 2; count: number; data: Buffer } {
  const data = Buffer.from(`${s}\0`, 'latin1');
  return { type: 2, count: data.length, data };
}

function rationals(values: Array<[number, number]>): { type: 5; count: number; data: Buffer } {
  const data = Buffer.alloc(values.length * 8);
  values.forEach(([n, d], i) => {
    data.writeUInt32BE(n, i * 8);
    data.writeUInt32BE(d, i * 8 + 4);
  });
  return { type: 5, count: values.length, data };
}

function long(n: number): { type: 4; count: number; data: Buffer } {
  const data = Buffer.alloc(4);
  data.writeUInt32BE(n);
  return { type: 4, count: 1, data };
}

function dms(deg: number): Array<[number, number]> {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = (a - d - m / 60) * 3600;
  return [[d, 1], [m, 1], [Math.round(s * 10000), 10000]];
}

/** One IFD at `offset`: entries, next-IFD 0, then the values that do not fit in 4 bytes. */
function ifd(entries: Entry[], offset: number): Buffer {
  const head = Buffer.alloc(2 + entries.length * 12 + 4);
  head.writeUInt16BE(entries.length, 0);
  const extra: Buffer[] = [];
  let dataOffset = offset + head.length;
  entries.forEach((e, i) => {
    const at = 2 + i * 12;
    head.writeUInt16BE(e.tag, at);
    head.writeUInt16BE(e.type, at + 2);
    head.writeUInt32BE(e.count, at + 4);
    const size = TYPE_SIZE[e.type] * e.count;
    if (size <= 4) {
      e.data.copy(head, at + 8);
    } else {
      head.writeUInt32BE(dataOffset, at + 8);
      const padded = size % 2 ? Buffer.concat([e.data, Buffer.alloc(1)]) : e.data;
      extra.push(padded);
      dataOffset += padded.length;
    }
  });
  return Buffer.concat([head, ...extra]);
}

export interface ExifFields {
  /** e.g. '2026:11:27 09:38:12' (EXIF's own format, local time of the camera) */
  takenAt?: string;
  /** e.g. '+08:00' */
  offset?: string;
  lat?: number;
  lon?: number;
}

export function exifSegment(f: ExifFields): Buffer {
  const hasGps = f.lat !== undefined && f.lon !== undefined;
  const hasExif = f.takenAt !== undefined;
  // IFD0 with the two pointers (filled in once the IFD sizes are known)
  const ifd0Entries = (exifAt: number, gpsAt: number): Entry[] => [
    ...(hasExif ? [{ tag: 0x8769, ...long(exifAt) }] : []),
    ...(hasGps ? [{ tag: 0x8825, ...long(gpsAt) }] : []),
  ];
  const ifd0Size = ifd(ifd0Entries(0, 0), 8).length;
  const exifAt = 8 + ifd0Size;
  const exifIfd = hasExif
    ? ifd([{ tag: 0x9003, ...ascii(f.takenAt!) }, ...(f.offset ? [{ tag: 0x9011, ...ascii(f.offset) }] : [])], exifAt)
    : Buffer.alloc(0);
  const gpsAt = exifAt + exifIfd.length;
  const gpsIfd = hasGps
    ? ifd([
        { tag: 0x0000, type: 1, count: 4, data: Buffer.from([2, 3, 0, 0]) },
        { tag: 0x0001, ...ascii(f.lat! >= 0 ? 'N' : 'S') },
        { tag: 0x0002, ...rationals(dms(f.lat!)) },
        { tag: 0x0003, ...ascii(f.lon! >= 0 ? 'E' : 'W') },
        { tag: 0x0004, ...rationals(dms(f.lon!)) },
      ], gpsAt)
    : Buffer.alloc(0);
  const header = Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08]);
  const tiff = Buffer.concat([header, ifd(ifd0Entries(exifAt, gpsAt), 8), exifIfd, gpsIfd]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xe1]), len, body]);
}

/** The committed plain JPEG (96×64, no metadata) with EXIF written into it. */
export function jpegWithExif(f: ExifFields, base: Buffer = plainJpeg()): Buffer {
  if (base[0] !== 0xff || base[1] !== 0xd8) throw new Error('not a JPEG');
  return Buffer.concat([base.subarray(0, 2), exifSegment(f), base.subarray(2)]);
}

export const PHOTO_FIXTURES = join(__dirname, '..', 'fixtures', 'photos');
export const plainJpeg = (): Buffer => readFileSync(join(PHOTO_FIXTURES, 'plain.jpg'));
export const photoFixture = (name: string): Buffer => readFileSync(join(PHOTO_FIXTURES, name));
