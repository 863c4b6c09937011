import * as shapefile from 'shapefile';
import { crsFromWkt } from './crs-detect';
import { FeatureCollector } from './feature-collector';
import { ImportError, malformed } from './import-errors';
import type { ImportLimits } from './import-limits';
import type { ImportWarning, ParsedCrs, ParsedLayer } from './parsed-layer';
import { decodeText, isGbkLabel, isValidUtf8 } from './text-decode';
import { baseName, extensionOf, readZip, type ZipEntryData } from './zip-reader';

const SHAPEFILE_PARTS = new Set(['shp', 'shx', 'dbf', 'prj', 'cpg']);

type DbfEncoding = { label: 'utf-8' | 'gbk'; guessed: boolean };

/** dBASE language driver ids that mean GBK (0x4D = 936 "Chinese GBK", 0x7A = PRC GBK). */
const GBK_LDIDS = new Set([0x4d, 0x7a]);

/**
 * .cpg wins (GBK / 936 / CP936 → GBK, UTF-8 → UTF-8); then the DBF language driver byte; then the record
 * bytes themselves: valid UTF-8 is read as UTF-8, anything else as GBK (with a warning).
 */
export function chooseDbfEncoding(dbf: Buffer, cpg: string | null): DbfEncoding {
  const label = cpg?.trim() ?? '';
  if (label) {
    if (isGbkLabel(label)) return { label: 'gbk', guessed: false };
    if (/^utf-?8$|^65001$/i.test(label)) return { label: 'utf-8', guessed: false };
  }
  const ldid = dbf[29];
  if (ldid !== undefined && GBK_LDIDS.has(ldid)) return { label: 'gbk', guessed: false };
  return isValidUtf8(dbf.subarray(32)) ? { label: 'utf-8', guessed: !label && hasNonAscii(dbf) } : { label: 'gbk', guessed: true };
}

const hasNonAscii = (b: Buffer) => b.subarray(32).some((x) => x > 0x7f);

const stem = (name: string) => name.slice(0, name.length - extensionOf(name).length - 1).toLowerCase();

export async function parseShapefileZip(buffer: Buffer, limits: ImportLimits): Promise<ParsedLayer> {
  const { entries } = await readZip(buffer, limits, (name) => SHAPEFILE_PARTS.has(extensionOf(name)) && !baseName(name).startsWith('._'));
  const shps = entries.filter((e) => extensionOf(e.name) === 'shp');
  const first = shps[0];
  if (!first) throw new ImportError('shapefile_incomplete', { missing: '.shp' });
  const warnings: ImportWarning[] = [];
  if (shps.length > 1) {
    warnings.push({ code: 'multiple_layers', params: { layers: shps.map((s) => baseName(s.name)).join(', '), chosen: baseName(first.name) } });
  }
  const sibling = (ext: string): ZipEntryData | undefined =>
    entries.find((e) => extensionOf(e.name) === ext && stem(e.name) === stem(first.name));
  const dbf = sibling('dbf');
  if (!dbf) throw new ImportError('shapefile_incomplete', { missing: '.dbf' });
  const prj = sibling('prj');
  const cpg = sibling('cpg');

  let crs: ParsedCrs = { epsg: null, detectedFrom: null };
  if (prj) {
    const result = crsFromWkt(decodeText(prj.data).text);
    if (result && 'unsupported' in result) throw new ImportError('crs_unsupported', { crs: result.unsupported });
    if (result) crs = { epsg: result.epsg, detectedFrom: 'prj' };
  }

  const encoding = chooseDbfEncoding(dbf.data, cpg ? decodeText(cpg.data).text : null);
  if (encoding.guessed) warnings.push({ code: 'encoding_guessed', params: { encoding: encoding.label === 'gbk' ? 'GBK' : 'UTF-8' } });

  const collector = new FeatureCollector(limits);
  try {
    const source = await shapefile.open(toArrayBuffer(first.data), toArrayBuffer(dbf.data), { encoding: encoding.label });
    for (;;) {
      const result = await source.read();
      if (result.done) break;
      const properties: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(result.value.properties ?? {})) {
        properties[key] = typeof value === 'string' ? value.trim() : value;
      }
      collector.add(result.value.geometry, properties);
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw malformed('Shapefile', error instanceof Error ? error.message : String(error), error);
  }
  return { format: 'shapefile_zip', features: collector.features, crs, warnings: [...warnings, ...collector.skippedWarnings()] };
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
