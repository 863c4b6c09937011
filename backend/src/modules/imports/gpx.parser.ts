import { gpx } from '@tmcw/togeojson';
import { FeatureCollector } from './feature-collector';
import type { ImportLimits } from './import-limits';
import type { ParsedLayer } from './parsed-layer';
import { parseXmlDocument } from './xml-document';

/**
 * Tracks become LineString (one segment) or MultiLineString, routes LineString, waypoints Point.
 * Per-vertex times stay in `properties.coordinateProperties.times` (togeojson's convention) and the
 * first/last times are lifted to `startedAt`/`endedAt` for the survey track record.
 */
export function parseGpx(buffer: Buffer, limits: ImportLimits): ParsedLayer {
  const doc = parseXmlDocument(buffer, 'GPX');
  const collector = new FeatureCollector(limits);
  for (const feature of gpx(doc).features) {
    const properties = { ...(feature.properties ?? {}) } as Record<string, unknown>;
    const coordinateProperties = properties.coordinateProperties as { times?: unknown } | undefined;
    const times = coordinateProperties?.times;
    const flat = Array.isArray(times) ? (times.flat() as unknown[]).filter((t): t is string => typeof t === 'string') : [];
    if (flat.length > 0) {
      properties.startedAt = flat[0];
      properties.endedAt = flat[flat.length - 1];
    }
    properties.gpxType = feature.geometry?.type === 'Point' ? 'waypoint' : (properties._gpxType ?? 'trk');
    collector.add(feature.geometry, properties);
  }
  return { format: 'gpx', features: collector.features, crs: { epsg: 4326, detectedFrom: 'gpx_spec' }, warnings: collector.skippedWarnings() };
}
