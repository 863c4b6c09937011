import { ImportError } from './import-errors';
import type { ImportFormat } from './parsed-layer';
import { extensionOf } from './zip-reader';

const startsWith = (buffer: Buffer, bytes: number[]) => bytes.every((b, i) => buffer[i] === b);

export const isZip = (buffer: Buffer): boolean =>
  startsWith(buffer, [0x50, 0x4b, 0x03, 0x04]) || startsWith(buffer, [0x50, 0x4b, 0x05, 0x06]);

/** Text of the file head without BOM; UTF-16 files are rare enough that we read their head as latin1 pairs. */
function textHead(buffer: Buffer): string {
  let head = buffer.subarray(0, 4096);
  if (startsWith(head, [0xef, 0xbb, 0xbf])) head = head.subarray(3);
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    return head.toString('latin1').replace(/\0/g, '').slice(1);
  }
  return head.toString('latin1');
}

function xmlRootName(head: string): string | null {
  // skip the declaration, comments, processing instructions and doctype
  const stripped = head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g, '').trimStart();
  const match = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(stripped);
  return match?.[2]?.toLowerCase() ?? null;
}

function looksLikeDxf(head: string): boolean {
  const lines = head.split(/\r?\n/).map((l) => l.trim());
  // group code 0 + SECTION, optionally after 999 comment pairs
  for (let i = 0; i + 1 < lines.length && i < 20; i += 2) {
    if (lines[i] === '999') continue;
    return lines[i] === '0' && lines[i + 1] === 'SECTION';
  }
  return false;
}

function looksLikeCsv(head: string): boolean {
  const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 5);
  if (lines.length === 0) return false;
  return [',', ';', '\t', '|'].some((d) => lines.every((l) => l.includes(d)));
}

/**
 * Content decides; the file name is only a hint for what content cannot tell apart (a zip that is a
 * KMZ, a CSV with a single column). `zipEntryNames` is the listing of a zip, when the buffer is one.
 */
export function detectFormat(buffer: Buffer, filename: string, zipEntryNames?: string[]): ImportFormat {
  const ext = extensionOf(filename);
  if (isZip(buffer)) {
    const entryExts = (zipEntryNames ?? []).map(extensionOf);
    if (entryExts.includes('shp')) return 'shapefile_zip';
    if (entryExts.includes('kml')) return 'kmz';
    if (entryExts.includes('dbf') || entryExts.includes('shx')) {
      throw new ImportError('shapefile_incomplete', { missing: '.shp' });
    }
    if (entryExts.some((e) => e === 'xml') && (zipEntryNames ?? []).some((n) => n.startsWith('xl/'))) {
      throw new ImportError('unsupported_format', { hint: '（Excel 表格请另存为 CSV / save Excel sheets as CSV）' });
    }
    throw new ImportError('unsupported_format', {
      hint: ext === 'kmz' ? '（KMZ 中没有 .kml 文件 / no .kml inside the KMZ）' : '（压缩包中没有 .shp 或 .kml / no .shp or .kml in the zip）',
    });
  }
  if (startsWith(buffer, [0x00, 0x00, 0x27, 0x0a])) {
    // a bare .shp: its .dbf and .prj are missing by construction
    throw new ImportError('shapefile_incomplete', { missing: '.dbf / .prj' });
  }
  if (buffer.subarray(0, 4).toString('latin1').startsWith('AC10')) {
    throw new ImportError('unsupported_format', { hint: '（DWG 请在 CAD 中另存为 DXF / save DWG drawings as DXF）' });
  }
  if (buffer.subarray(0, 22).toString('latin1') === 'AutoCAD Binary DXF\r\n\x1a\0'.slice(0, 22)) {
    throw new ImportError('unsupported_format', { hint: '（二进制 DXF 请另存为 ASCII DXF / save as ASCII DXF）' });
  }
  const head = textHead(buffer);
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'geojson';
  if (trimmed.startsWith('<')) {
    const root = xmlRootName(trimmed);
    if (root === 'kml') return 'kml';
    if (root === 'gpx') return 'gpx';
    throw new ImportError('unsupported_format', { hint: root ? `（XML: <${root}>）` : '' });
  }
  if (looksLikeDxf(head)) return 'dxf';
  if (ext === 'csv' || ext === 'txt' || looksLikeCsv(head)) return 'csv';
  throw new ImportError('unsupported_format', { hint: ext ? `（.${ext}）` : '' });
}
