import { malformed } from './import-errors';
import type { ImportLimits } from './import-limits';
import { FeatureCollector } from './feature-collector';
import type { ParsedCrs, ParsedLayer } from './parsed-layer';
import { decodeText } from './text-decode';
import { isSupportedEpsg } from './crs-detect';
import { ImportError } from './import-errors';

/** `{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4526"}}` (GeoJSON 2008, still written by GDAL). */
function crsMember(crs: unknown): ParsedCrs | null {
  if (!crs || typeof crs !== 'object') return null;
  const name = (crs as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') return null;
  if (/CRS84$/i.test(name)) return { epsg: 4326, detectedFrom: 'geojson_crs' };
  const match = /EPSG:+(?:[\d.]*:)?(\d+)$/i.exec(name);
  if (!match) throw new ImportError('crs_unsupported', { crs: name });
  const epsg = Number(match[1]);
  if (!isSupportedEpsg(epsg)) throw new ImportError('crs_unsupported', { crs: `EPSG:${epsg}` });
  return { epsg, detectedFrom: 'geojson_crs' };
}

export function parseGeoJson(buffer: Buffer, limits: ImportLimits): ParsedLayer {
  let doc: unknown;
  try {
    doc = JSON.parse(decodeText(buffer).text);
  } catch (error) {
    throw malformed('GeoJSON', error instanceof Error ? error.message : 'invalid JSON', error);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('GeoJSON', 'not a GeoJSON object');
  const root = doc as { type?: unknown; features?: unknown; crs?: unknown; geometry?: unknown; properties?: unknown };
  const collector = new FeatureCollector(limits);
  const props = (p: unknown): Record<string, unknown> => (p && typeof p === 'object' && !Array.isArray(p) ? { ...(p as object) } : {});

  if (root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) throw malformed('GeoJSON', 'FeatureCollection without a features array');
    for (const f of root.features as Array<{ geometry?: unknown; properties?: unknown } | null>) {
      collector.add(f?.geometry ?? null, props(f?.properties));
    }
  } else if (root.type === 'Feature') {
    collector.add(root.geometry ?? null, props(root.properties));
  } else if (typeof root.type === 'string') {
    collector.add(root, {});
  } else {
    throw malformed('GeoJSON', 'no "type" member');
  }
  return {
    format: 'geojson',
    features: collector.features,
    crs: crsMember(root.crs) ?? { epsg: null, detectedFrom: null },
    warnings: collector.skippedWarnings(),
  };
}
