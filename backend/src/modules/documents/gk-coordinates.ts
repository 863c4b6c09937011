import { EntityManager } from 'typeorm';

/**
 * Boundary-point coordinate tables (界址点坐标表) in CGCS2000 3-degree Gauss–Krüger, as Chinese land and
 * heritage documents print them: X = northing first, Y = easting WITH the zone number prefixed
 * (zone 38: Y = 38 372 415.123), metres to the millimetre.
 *
 * Numbering rule (documented here because tables must be reproducible):
 * - the exterior ring is listed clockwise (viewed with north up) and the holes counter-clockwise, so the
 *   area always lies on the right-hand side of the walk — `ST_ForcePolygonCW` on the projected polygon;
 * - each ring starts at its north-west-most vertex: the vertex nearest to the north-west corner
 *   (max northing, min easting) of that ring's bounding box; ties go to the larger X, then the smaller Y;
 *   measured in the projected plane (grid north), not in lon/lat — meridians converge west and east of
 *   the central meridian, so the smallest Y alone would often pick the south-west corner;
 * - the closing vertex is not repeated; numbers run on across rings (J1 … Jn on the exterior, Jn+1 … on
 *   the first hole), so every point of one area has a distinct number;
 * - the projection zone is chosen once per development zone (from its boundary's centroid), so all
 *   tables of one opinion share one CRS even where a zone straddles a zone border.
 */
export interface GkPoint {
  no: number;
  /** northing, metres */
  x: number;
  /** easting with the zone prefix, metres */
  y: number;
}

export interface GkTable {
  areaId: string;
  label: string;
  category: string;
  epsg: number;
  zone: number;
  centralMeridian: number;
  rings: GkPoint[][];
}

export interface GkZone {
  zone: number;
  centralMeridian: number;
  /** CGCS2000 / 3-degree Gauss-Kruger zone N (the easting carries the zone number) */
  epsg: number;
}

/** EPSG:4513 … 4533 are zones 25 … 45 (75°E … 135°E): all of China. */
const FIRST_ZONE = 25;
const LAST_ZONE = 45;
const FIRST_EPSG = 4513;

export class GkZoneError extends RangeError {}

/** The 3-degree zone whose central meridian (3° × zone) is nearest to the longitude. */
export function gkZoneForLongitude(lon: number): GkZone {
  if (!Number.isFinite(lon)) throw new GkZoneError(`longitude is not a number: ${lon}`);
  const zone = Math.round(lon / 3);
  if (zone < FIRST_ZONE || zone > LAST_ZONE) {
    throw new GkZoneError(`longitude ${lon} lies outside the CGCS2000 3-degree zones 25–45 (73.5°E–136.5°E)`);
  }
  return { zone, centralMeridian: zone * 3, epsg: FIRST_EPSG + (zone - FIRST_ZONE) };
}

/** e.g. 2000国家大地坐标系 3度带 第38带，中央经线114° (the note printed under each table). */
export function gkCrsNote(zone: Pick<GkZone, 'zone' | 'centralMeridian'>): string {
  return `2000国家大地坐标系（CGCS2000）高斯-克吕格投影 3度带 第${zone.zone}带，中央经线${zone.centralMeridian}°，X为纵坐标（北向），Y为横坐标（东向，含带号），单位：米`;
}

interface PointRow {
  key: number;
  part: number;
  ring: number;
  pos: number;
  x: number;
  y: number;
}

/**
 * SQL turning `src(key int, geom geometry, epsg int)` into ordered boundary points. One statement for
 * any number of geometries: projection, orientation, start vertex and rotation all happen in PostGIS.
 */
function pointsSql(src: string): string {
  return `
    WITH src AS (${src}),
    proj AS (
      SELECT s.key, d.path AS part_path, d.geom
      FROM src s, LATERAL ST_Dump(ST_ForcePolygonCW(ST_Transform(s.geom, s.epsg))) d
    ),
    pts AS (
      SELECT p.key, coalesce(p.part_path[1], 1) AS part, v.path[1] AS ring, v.path[2] AS idx,
             round(ST_Y(v.geom)::numeric, 3)::float8 AS x, round(ST_X(v.geom)::numeric, 3)::float8 AS y,
             count(*) OVER (PARTITION BY p.key, p.part_path, v.path[1]) AS cnt
      FROM proj p, LATERAL ST_DumpPoints(p.geom) v
    ),
    ring_pts AS (SELECT * FROM pts WHERE idx < cnt),
    bounds AS (
      SELECT key, part, ring, max(x) AS max_x, min(y) AS min_y, count(*) AS n
      FROM ring_pts GROUP BY key, part, ring
    ),
    start AS (
      SELECT DISTINCT ON (r.key, r.part, r.ring) r.key, r.part, r.ring, r.idx AS start_idx
      FROM ring_pts r JOIN bounds b USING (key, part, ring)
      ORDER BY r.key, r.part, r.ring, (b.max_x - r.x) ^ 2 + (r.y - b.min_y) ^ 2, r.x DESC, r.y, r.idx
    )
    SELECT r.key, r.part, r.ring, ((r.idx - s.start_idx + b.n) % b.n)::int AS pos, r.x, r.y
    FROM ring_pts r JOIN start s USING (key, part, ring) JOIN bounds b USING (key, part, ring)
    ORDER BY r.key, r.part, r.ring, pos`;
}

/** Groups ordered rows into rings per key, numbering points J1, J2 … across the rings of one key. */
function ringsByKey(rows: PointRow[]): Map<number, GkPoint[][]> {
  const out = new Map<number, GkPoint[][]>();
  let lastRing = '';
  for (const r of rows) {
    const key = Number(r.key);
    let rings = out.get(key);
    if (!rings) {
      rings = [];
      out.set(key, rings);
      lastRing = '';
    }
    const ringKey = `${r.part}/${r.ring}`;
    if (ringKey !== lastRing) {
      rings.push([]);
      lastRing = ringKey;
    }
    const no = rings.reduce((s, ring) => s + ring.length, 0) + 1;
    rings[rings.length - 1]!.push({ no, x: Number(r.x), y: Number(r.y) });
  }
  return out;
}

/**
 * The boundary points of one lon/lat GeoJSON Polygon or MultiPolygon (EPSG:4490). The zone comes from
 * `zoneLon` when given (e.g. the development zone's centroid), otherwise from the geometry's own centroid.
 */
export async function gkCoordinatesForGeometry(
  m: EntityManager,
  geojson: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown },
  zoneLon?: number,
): Promise<GkZone & { rings: GkPoint[][] }> {
  let lon = zoneLon;
  if (lon === undefined) {
    const [row] = (await m.query(`SELECT ST_X(ST_Centroid(ST_GeomFromGeoJSON($1::text))) AS lon`, [JSON.stringify(geojson)])) as Array<{ lon: number }>;
    lon = Number(row!.lon);
  }
  const zone = gkZoneForLongitude(lon);
  const rows = (await m.query(
    pointsSql(`SELECT 1 AS key, ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4490) AS geom, $2::int AS epsg`),
    [JSON.stringify(geojson), zone.epsg],
  )) as PointRow[];
  return { ...zone, rings: ringsByKey(rows).get(1) ?? [] };
}

/**
 * The coordinate tables of stored zoning areas, in the order of `areaIds`, each in the Gauss–Krüger zone
 * of its development zone (from the centroid of `zones.boundary`). Unknown ids are left out.
 */
export async function gkCoordinateTables(m: EntityManager, areaIds: string[]): Promise<GkTable[]> {
  if (areaIds.length === 0) return [];
  const meta = (await m.query(
    `SELECT a.id, a.label, a.category, ST_X(ST_Centroid(z.boundary)) AS lon, ord.n AS ord
     FROM unnest($1::uuid[]) WITH ORDINALITY AS ord(id, n)
     JOIN zoning_areas a ON a.id = ord.id
     JOIN zoning_plans p ON p.id = a.plan_id
     JOIN zones z ON z.id = p.zone_id
     ORDER BY ord.n`,
    [areaIds],
  )) as Array<{ id: string; label: string | null; category: string; lon: number; ord: string }>;
  if (meta.length === 0) return [];
  const zones = meta.map((a) => gkZoneForLongitude(Number(a.lon)));
  const rows = (await m.query(
    pointsSql(`SELECT k.key::int AS key, a.geom, k.epsg
               FROM unnest($1::uuid[], $2::int[]) WITH ORDINALITY AS k(id, epsg, key)
               JOIN zoning_areas a ON a.id = k.id`),
    [meta.map((a) => a.id), zones.map((z) => z.epsg)],
  )) as PointRow[];
  const rings = ringsByKey(rows);
  return meta.map((a, i) => ({
    areaId: a.id,
    label: a.label ?? '',
    category: a.category,
    ...zones[i]!,
    rings: rings.get(i + 1) ?? [],
  }));
}
