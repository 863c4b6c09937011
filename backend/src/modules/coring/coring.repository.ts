import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { SqlParams } from '../auth/scope.service';
import { BBox } from '../spatial/bbox';
import { GeoJsonGeometry } from '../spatial/geojson';
import { CoreResult, CoreStatus, POSITIVE_RESULTS } from './core-result';
import { CoreDto, GridPattern } from './coring.dto';

/** What coring needs to know about an assessment and its zone. */
export interface AssessmentRef {
  id: string;
  state: string;
  zoneId: string;
  zoneCode: string;
  divisionCode: string;
  /** longitude of the zone's centroid: picks the Gauss–Krüger zone */
  centroidLon: number;
}

/** One core to insert (lon/lat in EPSG:4490); a result makes it `cored`. */
export interface CoreRow {
  lon: number;
  lat: number;
  code: string | null;
  depthM: number | null;
  result: CoreResult | null;
  stratigraphy: string | null;
  coredAt: string | null;
}

export interface CoreFilter {
  assessmentId?: string;
  bbox?: BBox | null;
  result?: CoreResult | 'positive';
  status?: CoreStatus;
}

interface CoreDbRow {
  id: string;
  assessment_id: string;
  zone_id: string;
  code: string | null;
  lon: number;
  lat: number;
  status: CoreStatus;
  depth_m: string | null;
  result: CoreResult | null;
  stratigraphy: string | null;
  cored_at: Date | null;
  recorded_by: string | null;
  row_version: number;
  created_at: Date;
  updated_at: Date;
}

const CORE_COLUMNS = `c.id, c.assessment_id, c.zone_id, c.code, ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.status, c.depth_m,
                      c.result, c.stratigraphy, c.cored_at, c.recorded_by, c.row_version, c.created_at, c.updated_at`;

export function mapCore(r: CoreDbRow): CoreDto {
  return {
    id: r.id,
    assessmentId: r.assessment_id,
    zoneId: r.zone_id,
    code: r.code,
    location: { type: 'Point', coordinates: [Number(r.lon), Number(r.lat)] },
    status: r.status,
    depthM: r.depth_m === null ? null : Number(r.depth_m),
    result: r.result,
    positive: r.result !== null && POSITIVE_RESULTS.includes(r.result),
    stratigraphy: r.stratigraphy,
    coredAt: toIsoOffset(r.cored_at),
    recordedBy: r.recorded_by,
    rowVersion: r.row_version,
    createdAt: toIsoOffset(r.created_at)!,
    updatedAt: toIsoOffset(r.updated_at)!,
  };
}

/** Prefix of generated core codes: the last part of the zone code (SX-CZ-TLETDZ → TLETDZ-000123). */
export function codePrefix(zoneCode: string): string {
  return zoneCode.split('-').filter(Boolean).pop() ?? zoneCode;
}

/** The polygon a grid is laid out in: the given one (lon/lat) or the zone boundary, clipped to the zone. */
const GRID_AREA_SQL = (polygonParam: string, zoneParam: string, sridParam: string): string => `
  SELECT ST_Intersection(ST_Transform(z.boundary, ${sridParam}::int),
                         ST_Transform(coalesce(ST_SetSRID(ST_GeomFromGeoJSON(${polygonParam}::text), 4490), z.boundary), ${sridParam}::int)) AS g
    FROM zones z WHERE z.id = ${zoneParam}::uuid`;

@Injectable()
export class CoringRepository {
  async findAssessment(m: EntityManager, id: string): Promise<AssessmentRef | null> {
    const rows: Array<{ id: string; state: string; zone_id: string; zone_code: string; division_code: string; centroid_lon: number }> = await m.query(
      `SELECT a.id, a.state, a.zone_id, z.code AS zone_code, z.division_code, ST_X(ST_Centroid(z.boundary)) AS centroid_lon
         FROM assessments a JOIN zones z ON z.id = a.zone_id
        WHERE a.id = $1`,
      [id],
    );
    const r = rows[0];
    return r ? { id: r.id, state: r.state, zoneId: r.zone_id, zoneCode: r.zone_code, divisionCode: r.division_code, centroidLon: Number(r.centroid_lon) } : null;
  }

  /**
   * The grid and bulk statements carry PostGIS functions the planner prices so high that it JIT-compiles
   * them: ~0.8 s of compilation for ~20 ms of work (measured). Off for the rest of this transaction only.
   */
  async disableJit(m: EntityManager): Promise<void> {
    await m.query(`SET LOCAL jit = off`);
  }

  /** Serialises code assignment within a zone (grid and import number cores from the zone's highest code). */
  async lockZoneCodes(m: EntityManager, zoneId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('coring_points.code:' || $1::text))`, [zoneId]);
  }

  private async nextCodeBase(m: EntityManager, zoneId: string, prefix: string): Promise<number> {
    const rows: Array<{ base: string }> = await m.query(
      `SELECT coalesce(max(substring(code FROM $3)::bigint), 0)::text AS base
         FROM coring_points WHERE zone_id = $1 AND code LIKE $2`,
      [zoneId, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`, `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-([0-9]{1,12})$`],
    );
    return Number(rows[0]!.base);
  }

  /** Validity (with PostGIS's reason) and size of the grid area in the projection, before anything is generated. */
  async gridFrame(m: EntityManager, zoneId: string, polygon: GeoJsonGeometry | null, srid: number): Promise<{
    valid: boolean; reason: string | null; location: GeoJsonGeometry | null; areaM2: number; xmin: number; ymin: number; xmax: number; ymax: number;
  }> {
    const rows: Array<{ valid: boolean; reason: string | null; location: string | null; area: number | null; xmin: number | null; ymin: number | null; xmax: number | null; ymax: number | null }> = await m.query(
      `WITH given AS (SELECT ST_IsValidDetail(ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4490)) AS d WHERE $1::text IS NOT NULL),
            area AS MATERIALIZED (${GRID_AREA_SQL('$1', '$2', '$3')})
       SELECT coalesce((SELECT (d).valid FROM given), true) AS valid,
              (SELECT (d).reason FROM given) AS reason,
              (SELECT ST_AsGeoJSON((d).location, 9, 0) FROM given) AS location,
              CASE WHEN coalesce((SELECT (d).valid FROM given), true) THEN (SELECT ST_Area(g) FROM area) END AS area,
              CASE WHEN coalesce((SELECT (d).valid FROM given), true) THEN (SELECT ST_XMin(g) FROM area) END AS xmin,
              CASE WHEN coalesce((SELECT (d).valid FROM given), true) THEN (SELECT ST_YMin(g) FROM area) END AS ymin,
              CASE WHEN coalesce((SELECT (d).valid FROM given), true) THEN (SELECT ST_XMax(g) FROM area) END AS xmax,
              CASE WHEN coalesce((SELECT (d).valid FROM given), true) THEN (SELECT ST_YMax(g) FROM area) END AS ymax`,
      [polygon ? JSON.stringify(polygon) : null, zoneId, srid],
    );
    const r = rows[0]!;
    return {
      valid: r.valid, reason: r.reason, location: r.location ? (JSON.parse(r.location) as GeoJsonGeometry) : null,
      areaM2: Number(r.area ?? 0), xmin: Number(r.xmin ?? 0), ymin: Number(r.ymin ?? 0), xmax: Number(r.xmax ?? 0), ymax: Number(r.ymax ?? 0),
    };
  }

  /** Deletes the assessment's planned (never cored) points inside the grid area; returns how many. */
  async deletePlannedInside(m: EntityManager, assessmentId: string, zoneId: string, polygon: GeoJsonGeometry | null, srid: number): Promise<number> {
    const rows: Array<{ n: string }> = await m.query(
      `WITH area AS MATERIALIZED (${GRID_AREA_SQL('$2', '$3', '$4')}),
            del AS (DELETE FROM coring_points c USING area
                     WHERE c.assessment_id = $1 AND c.status = 'planned'
                       AND ST_Intersects(ST_Transform(c.geom, $4::int), area.g)
                    RETURNING 1)
       SELECT count(*)::text AS n FROM del`,
      [assessmentId, polygon ? JSON.stringify(polygon) : null, zoneId, srid],
    );
    return Number(rows[0]!.n);
  }

  /**
   * Lays a grid out in the projected CRS `srid` (metres) and inserts the points inside the area as planned
   * cores, in one INSERT … SELECT. The lattice is anchored at multiples of the spacing (x = i·s, y = j·s in
   * the projection), so grids generated separately at the same spacing line up.
   *
   * Quincunx (梅花) as defined here: rows are `s` apart; within a row points are `s` apart; every odd row
   * (odd j in absolute row numbering) is shifted east by s/2. A point's nearest neighbours are therefore the
   * two in its own row at exactly `s`; the four in the rows above and below are at s·√5/2 ≈ 1.118·s.
   *
   * Nothing is inserted when more than `maxPoints` points fall inside; `candidates` then says how many.
   */
  async insertGrid(m: EntityManager, g: {
    assessmentId: string; zoneId: string; zoneCode: string; polygon: GeoJsonGeometry | null; srid: number;
    spacingM: number; pattern: GridPattern; xmin: number; ymin: number; xmax: number; ymax: number; maxPoints: number;
  }): Promise<{ candidates: number; created: number }> {
    const s = g.spacingM;
    const col0 = Math.floor(g.xmin / s) - 1; // one column of slack west for the half-spacing shift
    const row0 = Math.floor(g.ymin / s);
    const cols = Math.ceil(g.xmax / s) - col0;
    const rows = Math.ceil(g.ymax / s) - row0;
    const prefix = codePrefix(g.zoneCode);
    const base = await this.nextCodeBase(m, g.zoneId, prefix);
    const res: Array<{ candidates: string; created: string }> = await m.query(
      `WITH area AS MATERIALIZED (${GRID_AREA_SQL('$3', '$2', '$4')}),
            pts AS MATERIALIZED (
              SELECT j, i, ST_SetSRID(ST_MakePoint(i * $5::float8 + CASE WHEN $6::boolean AND j % 2 <> 0 THEN $5::float8 / 2 ELSE 0 END,
                                                   j * $5::float8), $4::int) AS p
                FROM generate_series($7::bigint, $8::bigint) AS j, generate_series($9::bigint, $10::bigint) AS i, area
               WHERE ST_Intersects(ST_SetSRID(ST_MakePoint(i * $5::float8 + CASE WHEN $6::boolean AND j % 2 <> 0 THEN $5::float8 / 2 ELSE 0 END,
                                                           j * $5::float8), $4::int), area.g)
            ),
            n AS (SELECT count(*) AS c FROM pts),
            ins AS (
              INSERT INTO coring_points (assessment_id, zone_id, code, geom, status)
              SELECT $1::uuid, $2::uuid, $11::text || '-' || lpad(($12::bigint + row_number() OVER (ORDER BY j, i))::text, 6, '0'),
                     ST_Transform(p, 4490), 'planned'
                FROM pts, n WHERE n.c <= $13
              RETURNING 1)
       SELECT (SELECT c FROM n)::text AS candidates, (SELECT count(*) FROM ins)::text AS created`,
      [g.assessmentId, g.zoneId, g.polygon ? JSON.stringify(g.polygon) : null, g.srid, s, g.pattern === 'quincunx',
        row0, row0 + rows, col0, col0 + cols, prefix, base, g.maxPoints],
    );
    return { candidates: Number(res[0]!.candidates), created: Number(res[0]!.created) };
  }

  /**
   * Inserts many cores with one multi-row statement (unnest of column arrays). Cores without a code get
   * the next ones of the zone's sequence. With `nearZone`, a point farther than that many metres from the
   * zone boundary refuses the whole batch (a file in the wrong CRS), and nothing is written.
   */
  async bulkInsert(m: EntityManager, a: { assessmentId: string; zoneId: string; zoneCode: string; srid: number }, rows: CoreRow[], opts: {
    recordedBy: string | null; now: Date; nearZoneM: number | null;
  }): Promise<{ inserted: number; outside: number[]; outsideCount: number }> {
    // codes are numbered here rather than with a window function in SQL: that sort cost more than the rest
    const prefix = codePrefix(a.zoneCode);
    let next = await this.nextCodeBase(m, a.zoneId, prefix);
    const codes = rows.map((r) => r.code ?? `${prefix}-${String(++next).padStart(6, '0')}`);
    const res: Array<{ inserted: string; outside: number[] | null; outside_count: string }> = await m.query(
      `WITH src AS MATERIALIZED (
              SELECT s.*, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4490) AS g
                FROM unnest($3::float8[], $4::float8[], $5::text[], $6::numeric[], $7::text[], $8::text[], $9::timestamptz[])
                     WITH ORDINALITY AS s(lon, lat, code, depth_m, result, stratigraphy, cored_at, n)
            ),
            near AS MATERIALIZED (
              SELECT ST_Transform(ST_Buffer(ST_Transform(z.boundary, $12::int), $11::float8), 4490) AS g
                FROM zones z WHERE z.id = $2::uuid AND $11::float8 IS NOT NULL
            ),
            far AS (
              SELECT count(*) AS c, (array_agg(src.n - 1 ORDER BY src.n))[1:20] AS idx
                FROM src, near WHERE NOT ST_Intersects(src.g, near.g)
            ),
            ins AS (
              INSERT INTO coring_points (assessment_id, zone_id, code, geom, status, depth_m, result, stratigraphy, cored_at, recorded_by, created_at, updated_at)
              SELECT $1::uuid, $2::uuid, src.code, src.g,
                     CASE WHEN src.result IS NULL THEN 'planned' ELSE 'cored' END, src.depth_m, src.result, src.stratigraphy,
                     CASE WHEN src.result IS NOT NULL THEN coalesce(src.cored_at, $10::timestamptz) END,
                     CASE WHEN src.result IS NOT NULL THEN $13::uuid END, $10::timestamptz, $10::timestamptz
                FROM src WHERE (SELECT c FROM far) = 0
              RETURNING 1)
       SELECT (SELECT count(*) FROM ins)::text AS inserted, (SELECT idx FROM far) AS outside, (SELECT c FROM far)::text AS outside_count`,
      [
        a.assessmentId, a.zoneId,
        rows.map((r) => r.lon), rows.map((r) => r.lat), codes, rows.map((r) => r.depthM),
        rows.map((r) => r.result), rows.map((r) => r.stratigraphy), rows.map((r) => r.coredAt),
        opts.now, opts.nearZoneM, a.srid, opts.recordedBy,
      ],
    );
    const r = res[0]!;
    return { inserted: Number(r.inserted), outside: (r.outside ?? []).map(Number), outsideCount: Number(r.outside_count) };
  }

  async findCore(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams(), forUpdate = false): Promise<CoreDto | null> {
    const rows: CoreDbRow[] = await m.query(
      `SELECT ${CORE_COLUMNS} FROM coring_points c JOIN zones z ON z.id = c.zone_id
        WHERE c.id = ${params.add(id)} AND ${scopeSql} ${forUpdate ? 'FOR UPDATE OF c' : ''}`,
      params.values,
    );
    return rows[0] ? mapCore(rows[0]) : null;
  }

  async list(m: EntityManager, scopeSql: string, params: SqlParams, f: CoreFilter, limit: number, offset: number): Promise<{ items: CoreDto[]; total: number }> {
    const where = [scopeSql];
    if (f.assessmentId) where.push(`c.assessment_id = ${params.add(f.assessmentId)}::uuid`);
    if (f.bbox) where.push(`c.geom && ST_MakeEnvelope(${params.add(f.bbox[0])}, ${params.add(f.bbox[1])}, ${params.add(f.bbox[2])}, ${params.add(f.bbox[3])}, 4490)`);
    if (f.result === 'positive') where.push(`c.result = ANY(${params.add([...POSITIVE_RESULTS])}::text[])`);
    else if (f.result) where.push(`c.result = ${params.add(f.result)}`);
    if (f.status) where.push(`c.status = ${params.add(f.status)}`);
    const whereSql = where.join(' AND ');
    const countRows: Array<{ n: string }> = await m.query(
      `SELECT count(*)::text AS n FROM coring_points c JOIN zones z ON z.id = c.zone_id WHERE ${whereSql}`, params.values,
    );
    const rows: CoreDbRow[] = await m.query(
      `SELECT ${CORE_COLUMNS} FROM coring_points c JOIN zones z ON z.id = c.zone_id WHERE ${whereSql}
        ORDER BY c.code NULLS LAST, c.id LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
      params.values,
    );
    return { items: rows.map(mapCore), total: Number(countRows[0]!.n) };
  }

  async summary(m: EntityManager, assessmentId: string): Promise<Array<{ status: CoreStatus; result: CoreResult | null; n: number }>> {
    const rows: Array<{ status: CoreStatus; result: CoreResult | null; n: string }> = await m.query(
      `SELECT status, result, count(*)::text AS n FROM coring_points WHERE assessment_id = $1 GROUP BY status, result`,
      [assessmentId],
    );
    return rows.map((r) => ({ status: r.status, result: r.result, n: Number(r.n) }));
  }

  /** Compare-and-set on row_version: false when someone else changed the core first. */
  async recordResult(m: EntityManager, id: string, expectedVersion: number, v: {
    depthM: number | null; result: CoreResult | null; stratigraphy: string | null; coredAt: string | Date | null; recordedBy: string | null; now: Date;
  }): Promise<boolean> {
    const rows: unknown[] = await m.query(
      // wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count]
      `WITH u AS (
         UPDATE coring_points
            SET depth_m = $3, result = $4, status = CASE WHEN $4::text IS NULL THEN 'planned' ELSE 'cored' END,
                stratigraphy = $5, cored_at = $6, recorded_by = $7, updated_at = $8, row_version = row_version + 1
          WHERE id = $1 AND row_version = $2
         RETURNING id)
       SELECT id FROM u`,
      [id, expectedVersion, v.depthM, v.result, v.stratigraphy, v.coredAt, v.recordedBy, v.now],
    );
    return rows.length > 0;
  }
}
