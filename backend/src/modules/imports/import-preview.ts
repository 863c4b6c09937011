import type { Position } from 'geojson';
import {
  crsLabel,
  describeGuess,
  detectFromPositions,
  epsgForGuess,
  guessFitsEpsg,
  isSupportedEpsg,
  SHANXI_GK_SUGGESTIONS,
} from './crs-detect';
import { parseCsv } from './csv.parser';
import { parseDxf } from './dxf.parser';
import { detectFormat, isZip } from './format-detect';
import { parseGeoJson } from './geojson.parser';
import { mapPositions, positionsOf, swapPosition } from './geometry-coords';
import { parseGpx } from './gpx.parser';
import { ImportError } from './import-errors';
import { resolveImportLimits, type ImportLimits } from './import-limits';
import { parseKml, parseKmz } from './kml.parser';
import type { ImportFormat, ImportWarning, ParsedLayer } from './parsed-layer';
import { parseShapefileZip } from './shapefile.parser';
import { readZip } from './zip-reader';

export interface ParseImportOptions {
  /** The CRS the user chose; overrides whatever the file says. */
  srid?: number;
  /** true forces an X/Y swap; false forbids the automatic one; undefined lets the values decide. */
  swapXY?: boolean;
  limits?: Partial<ImportLimits>;
}

const SAMPLE_SIZE = 2000;

/** Evenly spread positions: each feature's first vertex, then more vertices of small files. */
function samplePositions(layer: ParsedLayer): Position[] {
  const out: Position[] = [];
  const features = layer.features;
  const step = Math.max(1, Math.floor(features.length / SAMPLE_SIZE));
  const perFeature = Math.max(1, Math.floor(SAMPLE_SIZE / Math.max(1, features.length)));
  for (let i = 0; i < features.length && out.length < SAMPLE_SIZE; i += step) {
    let n = 0;
    for (const p of positionsOf((features[i] as ParsedLayer['features'][number]).geometry)) {
      out.push(p);
      if (++n >= perFeature) break;
    }
  }
  return out;
}

function swapAll(layer: ParsedLayer): void {
  for (const f of layer.features) f.geometry = mapPositions(f.geometry, swapPosition);
}

/**
 * Settles the CRS and the axis order of a parsed layer, in place:
 * user srid > the file's own declaration (.prj, GeoJSON crs, KML/GPX spec) > the coordinate values.
 */
export function resolveCrs(layer: ParsedLayer, opts: Pick<ParseImportOptions, 'srid' | 'swapXY'>): void {
  if (opts.srid !== undefined) {
    if (!Number.isInteger(opts.srid) || !isSupportedEpsg(opts.srid)) {
      throw new ImportError('crs_unsupported', { crs: `EPSG:${String(opts.srid)}` });
    }
    layer.crs = { epsg: opts.srid, detectedFrom: 'user' };
  }
  if (opts.swapXY === true) swapAll(layer);

  const detection = detectFromPositions(samplePositions(layer));
  const warnings: ImportWarning[] = [];
  const geographicDefault = layer.format === 'geojson' ? 4326 : 4490; // RFC 7946 says WGS84; survey data is CGCS2000

  if (detection.guess && detection.swapped && opts.swapXY !== true) {
    const declared = layer.crs.epsg;
    // Only a swap that makes the values fit the declared CRS (or, with none, some CRS at all) counts.
    if (declared === null || guessFitsEpsg(detection.guess, declared)) {
      const implied = declared ?? epsgForGuess(detection.guess, geographicDefault);
      const doSwap = opts.swapXY !== false;
      if (doSwap) swapAll(layer);
      warnings.push({
        code: 'axis_swapped',
        params: {
          crs: implied ? crsLabel(implied) : describeGuess(detection.guess),
          swapped: doSwap,
          action: doSwap ? '，已自动交换 / they were swapped' : '，按要求未交换 / not swapped, as requested',
        },
      });
    }
  }

  if (layer.crs.epsg === null) {
    const epsg = detection.guess ? epsgForGuess(detection.guess, geographicDefault) : null;
    if (epsg !== null) {
      layer.crs = { epsg, detectedFrom: 'coordinates' };
    } else {
      const plainGk = detection.guess?.kind === 'gk_plain';
      layer.crsSuggestions = plainGk ? [...SHANXI_GK_SUGGESTIONS] : [];
      warnings.push({
        code: 'no_crs',
        params: {
          detail: plainGk ? '（高斯坐标未带带号 / Gauss–Krüger values without a zone prefix）' : '',
          suggestions: layer.crsSuggestions.join(','),
          suggestionText: plainGk ? '（山西：EPSG:4546 中央经线 111°、EPSG:4547 中央经线 114° / Shanxi: EPSG:4546 or 4547）' : '',
        },
      });
    }
  } else if (detection.guess && !detection.swapped && !guessFitsEpsg(detection.guess, layer.crs.epsg)) {
    warnings.push({ code: 'crs_mismatch', params: { declared: layer.crs.epsg, looksLike: describeGuess(detection.guess) } });
  }
  layer.warnings.push(...warnings);
}

async function parseByFormat(format: ImportFormat, buffer: Buffer, limits: ImportLimits): Promise<ParsedLayer> {
  switch (format) {
    case 'geojson':
      return parseGeoJson(buffer, limits);
    case 'kml':
      return parseKml(buffer, limits);
    case 'kmz':
      return parseKmz(buffer, limits);
    case 'shapefile_zip':
      return parseShapefileZip(buffer, limits);
    case 'csv':
      return parseCsv(buffer, limits);
    case 'gpx':
      return parseGpx(buffer, limits);
    case 'dxf':
      return parseDxf(buffer, limits);
  }
}

/**
 * Reads an uploaded file into features in their source coordinates with the CRS settled (or null with
 * a `no_crs` warning and suggestions). Every failure is an ImportError with a 4xx status.
 */
export async function parseImport(buffer: Buffer, filename: string, opts: ParseImportOptions = {}): Promise<ParsedLayer> {
  const limits = resolveImportLimits(opts.limits);
  if (buffer.length > limits.maxFileBytes) {
    throw new ImportError('file_too_large', {
      sizeMb: (buffer.length / 1048576).toFixed(1),
      limitMb: (limits.maxFileBytes / 1048576).toFixed(1),
    });
  }
  if (buffer.length === 0 || buffer.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    throw new ImportError('file_empty');
  }
  const zipNames = isZip(buffer) ? (await readZip(buffer, limits)).names : undefined;
  const format = detectFormat(buffer, filename, zipNames);
  let layer: ParsedLayer;
  try {
    layer = await parseByFormat(format, buffer, limits);
  } catch (error) {
    if (error instanceof ImportError) throw error;
    // a parser library choking on input is still the file's fault, never a 500
    throw new ImportError('malformed_file', { format, detail: error instanceof Error ? error.message.slice(0, 300) : String(error) }, { cause: error });
  }
  if (layer.features.length === 0) throw new ImportError('no_features');
  resolveCrs(layer, opts);
  return layer;
}
