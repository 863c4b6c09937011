import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import { crsLabel } from './crs-detect';
import { ImportError } from './import-errors';
import type { ImportWarning, ParsedLayer } from './parsed-layer';

/** `(sql, params) => rows` — TypeORM's `dataSource.query` or `(s, p) => pool.query(s, p).then(r => r.rows)`. */
export type SqlQuery = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

export interface TransformOptions {
  /** Apply ST_MakeValid to invalid geometries (only when the user asked for it). */
  repair?: boolean;
}

export interface TransformedFeature {
  index: number;
  /** EPSG:4490 lon/lat. */
  geometry: Geometry;
  properties: Record<string, unknown>;
  valid: boolean;
  invalidReason?: string;
  invalidLocation?: Point;
  repaired?: boolean;
}

export interface TransformedLayer {
  srid: 4490;
  features: TransformedFeature[];
  warnings: ImportWarning[];
}

/**
 * One statement for the whole layer: GeoJSON in, reprojected to CGCS2000 lon/lat, validity with reason
 * and location, optionally repaired. Validity is judged after the transform because that is what the
 * `CHECK (ST_IsValid(geom))` of the 4490 columns will see.
 * Repair keeps the dimension: polygons stay polygonal (ST_CollectionExtract type 3), lines linear.
 */
export const TRANSFORM_SQL = `
WITH input AS (
  SELECT (f.ordinality - 1)::int AS idx,
         ST_Force2D(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f.value), $2::int), 4490)) AS geom
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS f(value, ordinality)
), checked AS (
  SELECT idx, geom, ST_IsValidDetail(geom) AS detail FROM input
), result AS (
  SELECT idx, detail,
         CASE WHEN $3::boolean AND NOT (detail).valid
              THEN ST_CollectionExtract(ST_MakeValid(geom),
                     CASE ST_Dimension(geom) WHEN 2 THEN 3 WHEN 1 THEN 2 ELSE 1 END)
              ELSE geom END AS geom
    FROM checked
)
SELECT idx,
       (detail).valid AS valid,
       (detail).reason AS reason,
       ST_AsGeoJSON((detail).location, 9) AS location,
       ST_AsGeoJSON(geom, 9) AS geometry,
       ST_IsEmpty(geom) AS empty
  FROM result
 ORDER BY idx`;

export async function transformToCgcs2000(query: SqlQuery, layer: ParsedLayer, options: TransformOptions = {}): Promise<TransformedLayer> {
  const srid = layer.crs.epsg;
  if (srid === null) {
    const suggestions = layer.crsSuggestions ?? [];
    throw new ImportError('crs_required', {
      suggestions: suggestions.join(','),
      suggestionText: suggestions.length ? `（EPSG:${suggestions.join(' / EPSG:')}）` : '',
    });
  }
  const geometries = JSON.stringify(layer.features.map((f) => f.geometry));
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await query(TRANSFORM_SQL, [geometries, srid, options.repair === true]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // PROJ refuses values that make no sense in the CRS (unswapped survey tables, a wrong zone)
    if (/projection domain|latitude or longitude exceeded|tolerance condition|transform: /i.test(message)) {
      throw new ImportError('coordinates_out_of_range', { crs: crsLabel(srid) }, { cause: error });
    }
    // Shapes were checked structurally before; what PostGIS still refuses is a defect of the file.
    throw new ImportError('malformed_file', { format: layer.format, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
  const warnings: ImportWarning[] = [];
  const features: TransformedFeature[] = rows.map((row) => {
    const index = Number(row.idx);
    const source = layer.features[index];
    const valid = row.valid === true;
    const feature: TransformedFeature = {
      index,
      geometry: JSON.parse(String(row.geometry)) as Geometry,
      properties: source?.properties ?? {},
      valid,
    };
    if (!valid) {
      feature.invalidReason = String(row.reason ?? '');
      const location = row.location ? (JSON.parse(String(row.location)) as Point) : undefined;
      if (location) feature.invalidLocation = location;
      const [lon, lat] = (location?.coordinates ?? []) as number[];
      warnings.push({
        code: 'invalid_geometry',
        featureIndex: index,
        params: { number: index + 1, reason: feature.invalidReason, lon: lon?.toFixed(7), lat: lat?.toFixed(7) },
        ...(location && lon !== undefined && lat !== undefined ? { location: { type: 'Point' as const, coordinates: [lon, lat] as [number, number] } } : {}),
      });
      if (options.repair) {
        feature.repaired = row.empty !== true;
        warnings.push({ code: 'geometry_repaired', featureIndex: index, params: { number: index + 1 } });
      }
    }
    return feature;
  });
  return { srid: 4490, features, warnings };
}

/** The preview's FeatureCollection (lon/lat); `id` is the feature's index in the file. */
export function toFeatureCollection(layer: TransformedLayer): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: layer.features.map(
      (f): Feature => ({ type: 'Feature', id: f.index, geometry: f.geometry, properties: { ...f.properties, _valid: f.valid } }),
    ),
  };
}
