import { kml } from '@tmcw/togeojson';
import { FeatureCollector } from './feature-collector';
import { ImportError } from './import-errors';
import type { ImportLimits } from './import-limits';
import type { ParsedLayer } from './parsed-layer';
import { parseXmlDocument } from './xml-document';
import { extensionOf, readZip } from './zip-reader';

function layerFromKmlBuffer(buffer: Buffer, limits: ImportLimits, format: 'kml' | 'kmz'): ParsedLayer {
  const doc = parseXmlDocument(buffer, format.toUpperCase());
  const collector = new FeatureCollector(limits);
  for (const feature of kml(doc).features) {
    const { styleUrl, styleHash, styleMapHash, stroke, 'stroke-opacity': so, 'stroke-width': sw, fill, 'fill-opacity': fo, ...properties } =
      (feature.properties ?? {}) as Record<string, unknown>;
    void styleUrl, styleHash, styleMapHash, stroke, so, sw, fill, fo;
    collector.add(feature.geometry, properties);
  }
  // KML coordinates are WGS84 lon/lat by the specification
  return { format, features: collector.features, crs: { epsg: 4326, detectedFrom: 'kml_spec' }, warnings: collector.skippedWarnings() };
}

export function parseKml(buffer: Buffer, limits: ImportLimits): ParsedLayer {
  return layerFromKmlBuffer(buffer, limits, 'kml');
}

/** A KMZ is a zip whose main document is doc.kml (or the first .kml at the root). */
export async function parseKmz(buffer: Buffer, limits: ImportLimits): Promise<ParsedLayer> {
  const { entries } = await readZip(buffer, limits, (name) => extensionOf(name) === 'kml');
  const main =
    entries.find((e) => e.name.toLowerCase() === 'doc.kml') ??
    entries.sort((a, b) => a.name.split('/').length - b.name.split('/').length)[0];
  if (!main) throw new ImportError('unsupported_format', { hint: '（KMZ 中没有 .kml 文件 / no .kml inside the KMZ）' });
  return layerFromKmlBuffer(main.data, limits, 'kmz');
}
