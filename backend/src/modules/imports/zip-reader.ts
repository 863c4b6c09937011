import * as iconv from 'iconv-lite';
import * as yauzl from 'yauzl';
import { ImportError, malformed } from './import-errors';
import type { ImportLimits } from './import-limits';

export interface ZipEntryData {
  name: string;
  data: Buffer;
}

export interface ZipContents {
  /** Every file name in the archive (directories excluded), decoded. */
  names: string[];
  /** The selected entries, inflated. */
  entries: ZipEntryData[];
}

type ZipLimits = Pick<
  ImportLimits,
  'maxZipUncompressedBytes' | 'maxZipCompressionRatio' | 'zipRatioCheckMinBytes' | 'maxZipEntries'
>;

const UTF8_NAME_FLAG = 0x800;

/** Chinese zips made by Windows tools carry GBK names without the UTF-8 flag. */
function decodeEntryName(raw: Buffer | string, flags: number): string {
  if (typeof raw === 'string') return raw;
  if (flags & UTF8_NAME_FLAG) return raw.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return iconv.decode(raw, 'gbk');
  }
}

export function isUnsafeZipPath(name: string): boolean {
  const normalized = name.replace(/\\/g, '/');
  return (
    normalized.includes('\0') ||
    normalized.startsWith('/') ||
    /^[a-zA-Z]:/.test(normalized) ||
    normalized.split('/').some((segment) => segment === '..')
  );
}

/**
 * Reads a zip held in memory. Every entry name is checked (one `../` entry refuses the whole archive);
 * only entries accepted by `select` are inflated, and the inflated bytes are counted as they stream, so a
 * header that lies about sizes does not help a zip bomb.
 */
export function readZip(buffer: Buffer, limits: ZipLimits, select: (name: string) => boolean = () => false): Promise<ZipContents> {
  return new Promise<ZipContents>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(error instanceof ImportError ? error : malformed('zip', error instanceof Error ? error.message : String(error), error));
    };

    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (openError, zipfile) => {
      if (openError || !zipfile) return fail(openError ?? new Error('cannot open zip'));
      if (zipfile.entryCount > limits.maxZipEntries) {
        return fail(new ImportError('zip_bomb', { detail: `${zipfile.entryCount} entries > ${limits.maxZipEntries}` }));
      }
      const names: string[] = [];
      const entries: ZipEntryData[] = [];
      let inflated = 0;

      const checkInflated = (): ImportError | null => {
        if (inflated > limits.maxZipUncompressedBytes) {
          return new ImportError('zip_bomb', { detail: `> ${Math.round(limits.maxZipUncompressedBytes / 1048576)} MB` });
        }
        const ratio = inflated / Math.max(buffer.length, 1);
        if (inflated >= limits.zipRatioCheckMinBytes && ratio > limits.maxZipCompressionRatio) {
          return new ImportError('zip_bomb', { detail: `ratio > ${limits.maxZipCompressionRatio}:1` });
        }
        return null;
      };

      zipfile.on('error', fail);
      zipfile.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ names, entries });
      });
      zipfile.on('entry', (entry: yauzl.Entry) => {
        if (settled) return;
        const name = decodeEntryName(entry.fileName as unknown as Buffer | string, entry.generalPurposeBitFlag);
        if (isUnsafeZipPath(name)) {
          zipfile.close();
          return fail(new ImportError('zip_unsafe_path', { entry: name.slice(0, 200) }));
        }
        if (name.endsWith('/')) return zipfile.readEntry();
        names.push(name);
        if (!select(name)) return zipfile.readEntry();
        zipfile.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError ?? new Error('cannot read entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            const bomb = checkInflated();
            if (bomb) {
              stream.destroy();
              zipfile.close();
              return fail(bomb);
            }
            chunks.push(chunk);
          });
          stream.on('error', fail);
          stream.on('end', () => {
            if (settled) return;
            entries.push({ name, data: Buffer.concat(chunks) });
            zipfile.readEntry();
          });
        });
      });
      zipfile.readEntry();
    });
  });
}

export function baseName(path: string): string {
  const parts = path.replace(/\\/g, '/').split('/');
  return parts[parts.length - 1] ?? path;
}

export function extensionOf(path: string): string {
  const base = baseName(path);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}
