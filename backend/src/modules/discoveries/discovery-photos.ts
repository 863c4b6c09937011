import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import * as exifr from 'exifr';
import { AppException } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { sniffPhotoType } from '../survey/photo-type';

/**
 * Photos of a discovery (the contractor's report, the authority's arrival): recognised by their first bytes
 * (never by name or declared type), size-limited per file and per request, hashed, and their EXIF time and
 * GPS position read when the camera wrote them.
 */

export type DiscoveryPhotoType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

export const DISCOVERY_PHOTO_LIMITS = {
  /** one photo (a phone camera's JPEG is 2–8 MB; HEIC smaller) */
  maxFileBytes: 15 * 1024 * 1024,
  /** all photos of one request */
  maxTotalBytes: 40 * 1024 * 1024,
  maxFiles: 10,
} as const;

const MB = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`;

registerMessages({
  discovery_photo_type_unsupported: {
    'zh-CN': '照片“{name}”不是 JPEG、PNG、WebP 或 HEIC 图片（按文件内容识别，与文件名无关），请重新拍摄或选择照片',
    en: 'The photo "{name}" is not a JPEG, PNG, WebP or HEIC image (recognised by its content, not its name)',
  },
  discovery_photo_too_large: {
    'zh-CN': '照片“{name}”过大（单张上限 {limit}），请压缩后重试',
    en: 'The photo "{name}" is too large (limit {limit} per photo)',
  },
  discovery_photos_total_too_large: {
    'zh-CN': '照片总大小超过上限 {limit}，请减少照片数量或压缩后重试',
    en: 'The photos together exceed {limit}; send fewer or smaller photos',
  },
  discovery_photos_too_many: { 'zh-CN': '一次最多上传 {max} 张照片', en: 'At most {max} photos per request' },
  discovery_photo_empty: { 'zh-CN': '照片“{name}”是空文件', en: 'The photo "{name}" is empty' },
  discovery_multipart_data_missing: {
    'zh-CN': '表单缺少 data 字段（报告内容的 JSON）',
    en: 'The form has no "data" field (the report as JSON)',
  },
  discovery_multipart_data_malformed: {
    'zh-CN': '表单 data 字段不是有效的 JSON 对象',
    en: 'The form field "data" is not a valid JSON object',
  },
  discovery_multipart_field_unknown: {
    'zh-CN': '表单字段“{field}”无法识别：只接受 data（JSON）和 photos（照片文件）',
    en: 'Unknown form field "{field}": only "data" (JSON) and "photos" (image files) are accepted',
  },
});

export interface PhotoExif {
  /** ISO 8601 with offset (OffsetTimeOriginal when the camera wrote it, otherwise Asia/Shanghai) */
  takenAt: string | null;
  lon: number | null;
  lat: number | null;
}

export interface PhotoUpload {
  bytes: Buffer;
  filename: string | null;
  contentType: DiscoveryPhotoType;
  sha256: string;
  exif: PhotoExif;
}

/** JPEG/PNG/WebP as the survey photos, plus HEIC/HEIF (iPhones' default): an ISO-BMFF `ftyp` box with a HEIF brand. */
export function sniffDiscoveryPhoto(bytes: Buffer): DiscoveryPhotoType | null {
  const basic = sniffPhotoType(bytes);
  if (basic) return basic;
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp') {
    const brand = bytes.toString('latin1', 8, 12);
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
  }
  return null;
}

const EXIF_TIME = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;
const EXIF_OFFSET = /^[+-]\d{2}:\d{2}$/;

/** EXIF DateTimeOriginal is the camera's local time without zone: its OffsetTimeOriginal when present, else +08:00. */
export function exifTime(dateTime: unknown, offset: unknown): string | null {
  if (typeof dateTime !== 'string') return null;
  const m = EXIF_TIME.exec(dateTime.trim());
  if (!m) return null;
  const zone = typeof offset === 'string' && EXIF_OFFSET.test(offset.trim()) ? offset.trim() : '+08:00';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** Reads EXIF time and GPS; a photo without (or with broken) metadata simply has none. */
export async function readExif(bytes: Buffer): Promise<PhotoExif> {
  try {
    const t = (await exifr.parse(bytes, {
      tiff: true, exif: true, gps: true, ifd1: false, xmp: false, icc: false, iptc: false, jfif: false, ihdr: false,
      reviveValues: false, pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'],
    })) as Record<string, unknown> | undefined;
    if (!t) return { takenAt: null, lon: null, lat: null };
    const lat = typeof t.latitude === 'number' && Number.isFinite(t.latitude) && Math.abs(t.latitude) <= 90 ? t.latitude : null;
    const lon = typeof t.longitude === 'number' && Number.isFinite(t.longitude) && Math.abs(t.longitude) <= 180 ? t.longitude : null;
    // (0, 0) is what some cameras write when they had no fix
    const hasFix = lat !== null && lon !== null && !(lat === 0 && lon === 0);
    return { takenAt: exifTime(t.DateTimeOriginal ?? t.CreateDate, t.OffsetTimeOriginal), lat: hasFix ? lat : null, lon: hasFix ? lon : null };
  } catch {
    return { takenAt: null, lon: null, lat: null };
  }
}

/** Checks one photo's content and reads what it says about itself. */
export async function acceptPhoto(bytes: Buffer, filename: string | null): Promise<PhotoUpload> {
  const name = filename || 'photo';
  if (bytes.length === 0) throw new AppException('discovery_photo_empty', 400, { name });
  if (bytes.length > DISCOVERY_PHOTO_LIMITS.maxFileBytes) throw photoTooLarge(name);
  const contentType = sniffDiscoveryPhoto(bytes);
  if (!contentType) throw new AppException('discovery_photo_type_unsupported', 415, { name }, { photo: name });
  return { bytes, filename: filename ? filename.slice(0, 255) : null, contentType, sha256: createHash('sha256').update(bytes).digest('hex'), exif: await readExif(bytes) };
}

const photoTooLarge = (name: string): AppException =>
  new AppException('discovery_photo_too_large', 413, { name, limit: MB(DISCOVERY_PHOTO_LIMITS.maxFileBytes) }, { photo: name, limitBytes: DISCOVERY_PHOTO_LIMITS.maxFileBytes });

const totalTooLarge = (): AppException =>
  new AppException('discovery_photos_total_too_large', 413, { limit: MB(DISCOVERY_PHOTO_LIMITS.maxTotalBytes) }, { limitBytes: DISCOVERY_PHOTO_LIMITS.maxTotalBytes });

export function isMultipart(req: FastifyRequest): boolean {
  return (req as FastifyRequest & { isMultipart?: () => boolean }).isMultipart?.() === true;
}

/**
 * API.md's multipart form: the JSON in a field named `data`, files in `photos` (any order). Files are counted
 * while they stream in and refused as soon as one passes its limit or all of them pass the total, so an
 * oversized upload is never held in memory.
 */
export async function readDiscoveryForm(req: FastifyRequest): Promise<{ data: unknown; photos: PhotoUpload[] }> {
  const L = DISCOVERY_PHOTO_LIMITS;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > L.maxTotalBytes + 256 * 1024) throw totalTooLarge();
  let data: string | null = null;
  const raw: Array<{ bytes: Buffer; filename: string | null }> = [];
  let total = 0;
  try {
    const parts = (req as FastifyRequest & { parts(o: unknown): AsyncIterableIterator<MultipartPart> }).parts({
      limits: { fileSize: L.maxFileBytes + 1, files: L.maxFiles + 1, fields: 5, fieldSize: 64 * 1024 },
      throwFileSizeLimit: false,
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'photos') throw new AppException('discovery_multipart_field_unknown', 400, { field: part.fieldname });
        if (raw.length >= L.maxFiles) throw new AppException('discovery_photos_too_many', 400, { max: L.maxFiles });
        const name = part.filename || `photo-${raw.length + 1}`;
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of part.file as AsyncIterable<Buffer>) {
          size += chunk.length;
          total += chunk.length;
          if (size > L.maxFileBytes || part.file.truncated) throw photoTooLarge(name);
          if (total > L.maxTotalBytes) throw totalTooLarge();
          chunks.push(chunk);
        }
        if (part.file.truncated) throw photoTooLarge(name);
        raw.push({ bytes: Buffer.concat(chunks, size), filename: part.filename || null });
      } else if (part.fieldname === 'data') {
        data = String(part.value);
      } else {
        throw new AppException('discovery_multipart_field_unknown', 400, { field: part.fieldname });
      }
    }
  } catch (error) {
    if (error instanceof AppException) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') throw new AppException('discovery_photos_too_many', 400, { max: L.maxFiles });
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw photoTooLarge('photo');
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new AppException('discovery_multipart_field_unknown', 400, { field: '…' });
    throw error;
  }
  if (data === null) throw new AppException('discovery_multipart_data_missing', 400);
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new AppException('discovery_multipart_data_malformed', 400);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AppException('discovery_multipart_data_malformed', 400);
  const photos: PhotoUpload[] = [];
  for (const r of raw) photos.push(await acceptPhoto(r.bytes, r.filename));
  return { data: parsed, photos };
}

type MultipartPart =
  | { type: 'file'; fieldname: string; filename: string; file: Readable & { truncated?: boolean } }
  | { type: 'field'; fieldname: string; value: unknown };
