import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlParams } from '../auth/scope.service';
import { GeoJsonGeometry } from '../spatial/geojson';
import { Bucket, ClearanceFigures, HoldReason, TOUCH_TOLERANCE_M2 } from './clearance-verdict';

/** What to measure: a drawn shape (GeoJSON lon/lat) or a stored parcel. */
export type ClearanceSubject = { geometry: GeoJsonGeometry } | { parcelId: string };

export interface ClearanceZoneRef {
  id: string;
  code: string;
  name: string;
  category: string;
}

export interface ClearanceMeasurement {
  valid: boolean;
  figures: ClearanceFigures;
  buckets: Record<Bucket, number>;
  /** land explored without finds (counts as cleared), m² */
  exploredClearM2: number;
  zone: ClearanceZoneRef | null;
  /** every zone the shape overlaps (ids), largest share first */
  zoneIds: string[];
  /** the parts standing in the way, clipped to the shape (only when asked for) */
  blockingAreas: { type: 'FeatureCollection'; features: unknown[] } | null;
}

interface Row {
  valid: boolean;
  total_m2: number | null;
  inside_m2: number | null;
  avoid_m2: number | null;
  explor_m2: number | null;
  release_m2: number | null;
  unzoned_m2: number | null;
  outside_m2: number | null;
  hold_m2: number | null;
  hold_reasons: Array<{ reason: HoldReason; m2: number }> | null;
  open_explor_m2: number | null;
  unsurveyed_m2: number | null;
  pending_m2: number | null;
  released_m2: number | null;
  explored_m2: number | null;
  zones: ClearanceZoneRef[] | null;
  blocking: { type: 'FeatureCollection'; features: unknown[] } | null;
}

const EMPTY = `'SRID=4490;POLYGON EMPTY'::geometry`;
const area = (g: string): string => `coalesce(ST_Area((${g})::geography), 0)`;

/**
 * The clearance measurement in ONE statement: the shape is cut by the zones it overlaps, the issued plan's
 * areas of those zones, individual avoidance records, clearance holds, accepted commitments and completed
 * no_relics explorations; each bucket is measured on the ellipsoid. Buckets are disjoint by precedence
 * (avoidance > exploration > release > unzoned; outside = shape − zones), so they add up to the shape.
 */
function clearanceSql(source: string, withGeometry: string): string {
  return `
WITH src AS (SELECT ${source} AS g0),
q AS (SELECT ST_Multi(g0) AS g, coalesce(ST_IsValid(g0) AND NOT ST_IsEmpty(g0), false) AS valid FROM src),
zs AS (
  SELECT z.id, z.code, z.name, z.category, ST_Intersection(z.boundary, q.g) AS part
    FROM zones z, q
   WHERE q.valid AND z.boundary && q.g AND ST_Intersects(z.boundary, q.g)
),
zone_share AS (SELECT id, code, name, category, ST_Area(part::geography) AS m2 FROM zs),
issued AS (SELECT p.id, p.zone_id FROM zoning_plans p WHERE p.state = 'issued' AND p.zone_id IN (SELECT id FROM zs)),
areas AS (
  SELECT a.category, ST_Intersection(a.geom, zs.part) AS g
    FROM zoning_areas a JOIN issued i ON i.id = a.plan_id JOIN zs ON zs.id = i.zone_id
   WHERE a.geom && zs.part AND ST_Intersects(a.geom, zs.part)
),
layers AS (
  SELECT q.g AS poly,
         coalesce((SELECT ST_Union(part) FROM zs), ${EMPTY}) AS inside,
         coalesce((SELECT ST_Union(g) FROM (
             SELECT g FROM areas WHERE category = 'avoidance'
             UNION ALL
             SELECT ST_Intersection(ia.geom, q.g) FROM individual_avoidance ia WHERE ia.geom && q.g AND ST_Intersects(ia.geom, q.g)
           ) av), ${EMPTY}) AS avoid,
         coalesce((SELECT ST_Union(g) FROM areas WHERE category = 'exploration'), ${EMPTY}) AS explor,
         coalesce((SELECT ST_Union(g) FROM areas WHERE category = 'release'), ${EMPTY}) AS rel,
         coalesce((SELECT ST_Union(ST_Intersection(h.geom, q.g)) FROM clearance_holds h
                    WHERE h.active AND h.geom && q.g AND ST_Intersects(h.geom, q.g)), ${EMPTY}) AS hold,
         coalesce((SELECT ST_Union(ST_Intersection(e.geom, q.g)) FROM explorations e
                    WHERE e.state = 'completed' AND e.result = 'no_relics' AND e.geom && q.g AND ST_Intersects(e.geom, q.g)), ${EMPTY}) AS explored,
         coalesce((SELECT ST_Union(ST_Intersection(c.covered_geom, q.g)) FROM commitments c
                    WHERE c.state = 'accepted' AND c.zone_id IN (SELECT id FROM zs)
                      AND c.covered_geom && q.g AND ST_Intersects(c.covered_geom, q.g)), ${EMPTY}) AS committed
    FROM q WHERE q.valid
),
buckets AS (
  SELECT poly, inside, avoid, hold, explored, committed,
         ST_Difference(explor, avoid) AS b_explor,
         ST_Difference(rel, ST_Union(avoid, explor)) AS b_release,
         ST_Difference(inside, ST_Union(ARRAY[avoid, explor, rel])) AS b_unzoned,
         ST_Difference(poly, inside) AS b_outside
    FROM layers
),
open_parts AS (
  SELECT *,
         ST_Difference(b_explor, explored) AS open_explor,
         ST_Difference(ST_Union(b_unzoned, b_outside), explored) AS unsurveyed,
         ST_Difference(b_release, ST_Union(committed, explored)) AS pending,
         ST_Intersection(b_release, committed) AS released
    FROM buckets
)
SELECT q.valid,
       ${area('o.poly')} AS total_m2, ${area('o.inside')} AS inside_m2,
       ${area('o.avoid')} AS avoid_m2, ${area('o.b_explor')} AS explor_m2, ${area('o.b_release')} AS release_m2,
       ${area('o.b_unzoned')} AS unzoned_m2, ${area('o.b_outside')} AS outside_m2,
       ${area('o.hold')} AS hold_m2, ${area('o.open_explor')} AS open_explor_m2, ${area('o.unsurveyed')} AS unsurveyed_m2,
       ${area('o.pending')} AS pending_m2, ${area('o.released')} AS released_m2, ${area('ST_Intersection(o.explored, o.inside)')} AS explored_m2,
       (SELECT json_agg(json_build_object('reason', x.reason, 'm2', x.m2) ORDER BY x.reason) FROM (
          SELECT h.reason, ST_Area(ST_Union(ST_Intersection(h.geom, q.g))::geography) AS m2
            FROM clearance_holds h WHERE q.valid AND h.active AND h.geom && q.g AND ST_Intersects(h.geom, q.g) GROUP BY h.reason) x) AS hold_reasons,
       (SELECT json_agg(json_build_object('id', id, 'code', code, 'name', name, 'category', category) ORDER BY m2 DESC, code)
          FROM zone_share WHERE m2 > ${TOUCH_TOLERANCE_M2}) AS zones,
       CASE WHEN ${withGeometry} AND q.valid THEN (
         SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                  'type', 'Feature',
                  'properties', json_build_object('kind', f.kind, 'm2', round(f.m2::numeric, 1), 'mu', round((f.m2 / (10000.0 / 15))::numeric, 2)),
                  'geometry', ST_AsGeoJSON(f.g, 9, 0)::json) ORDER BY f.ord), '[]'::json))
           FROM (SELECT k.ord, k.kind, k.g, ST_Area(k.g::geography) AS m2
                   FROM (VALUES (1, 'avoidance', o.avoid), (2, 'exploration', o.open_explor),
                                (3, 'individual_survey', o.unsurveyed), (4, 'pending_commitment', o.pending)) AS k(ord, kind, g)
                  WHERE NOT ST_IsEmpty(k.g)) f
          WHERE f.m2 > ${TOUCH_TOLERANCE_M2})
       END AS blocking
  FROM q LEFT JOIN open_parts o ON true`;
}

function toMeasurement(r: Row): ClearanceMeasurement {
  const n = (v: number | null): number => Number(v ?? 0);
  const zones = r.zones ?? [];
  return {
    valid: r.valid,
    figures: {
      totalM2: n(r.total_m2), insideZonesM2: n(r.inside_m2), avoidanceM2: n(r.avoid_m2), holdM2: n(r.hold_m2),
      holds: (r.hold_reasons ?? []).map((h) => ({ reason: h.reason, m2: n(h.m2) })),
      openExplorationM2: n(r.open_explor_m2), unsurveyedM2: n(r.unsurveyed_m2), pendingReleaseM2: n(r.pending_m2), releasedM2: n(r.released_m2),
    },
    buckets: {
      avoidance: n(r.avoid_m2), exploration: n(r.explor_m2), release: n(r.release_m2), unzoned: n(r.unzoned_m2), outside: n(r.outside_m2),
    },
    exploredClearM2: n(r.explored_m2),
    zone: zones[0] ?? null,
    zoneIds: zones.map((z) => z.id),
    blockingAreas: r.blocking,
  };
}

@Injectable()
export class ClearanceRepository {
  constructor(private readonly db: DataSource) {}

  async measure(subject: ClearanceSubject, withGeometry: boolean, m: EntityManager = this.db.manager): Promise<ClearanceMeasurement | null> {
    const [source, param] =
      'geometry' in subject
        ? [`ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)`, JSON.stringify(subject.geometry)]
        : [`(SELECT geom FROM parcels WHERE id = $1)`, subject.parcelId];
    const rows: Row[] = await m.query(clearanceSql(source, '$2::boolean'), [param, withGeometry]);
    return rows[0] ? toMeasurement(rows[0]) : null;
  }

  /**
   * Many stored parcels in one statement (the same measurement per parcel, in a LATERAL join): a list of a
   * zone's parcels costs one round trip and one plan instead of one per parcel. Parcels that do not exist are
   * absent from the answer.
   */
  async measureParcels(parcelIds: string[], withGeometry: boolean, m: EntityManager = this.db.manager): Promise<Map<string, ClearanceMeasurement>> {
    if (parcelIds.length === 0) return new Map();
    const rows: Array<Row & { parcel_id: string }> = await m.query(
      `SELECT u.pid AS parcel_id, c.*
         FROM unnest($1::uuid[]) WITH ORDINALITY u(pid, n)
         CROSS JOIN LATERAL (${clearanceSql('(SELECT geom FROM parcels WHERE id = u.pid)', '$2::boolean')}) c
        WHERE EXISTS (SELECT 1 FROM parcels WHERE id = u.pid)
        ORDER BY u.n`,
      [parcelIds, withGeometry],
    );
    return new Map(rows.map((r) => [r.parcel_id, toMeasurement(r)]));
  }

  /** The SQL the API runs for a drawn shape, for the pgbench comparison in bench/clearance.bench.ts. */
  static sqlForShape(): string {
    return clearanceSql(`ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)`, '$2::boolean');
  }

  /** A parcel by id or by zone code + parcel code, if the scope predicate (over `pc` and `z`) lets the caller see it. */
  async findParcel(
    by: { id: string } | { zoneCode: string; parcelCode: string },
    scopeSql: string,
    params: SqlParams,
  ): Promise<{ id: string; code: string; name: string; zoneId: string } | null> {
    const where = 'id' in by ? `pc.id = ${params.add(by.id)}` : `z.code = ${params.add(by.zoneCode)} AND pc.code = ${params.add(by.parcelCode)}`;
    const rows: Array<{ id: string; code: string; name: string; zone_id: string }> = await this.db.query(
      `SELECT pc.id, pc.code, pc.name, pc.zone_id FROM parcels pc JOIN zones z ON z.id = pc.zone_id WHERE ${where} AND ${scopeSql}`,
      params.values,
    );
    const r = rows[0];
    return r ? { id: r.id, code: r.code, name: r.name, zoneId: r.zone_id } : null;
  }

  /** m² of the shape outside the zones a committee manages (it may ask only about shapes inside them). */
  async areaOutsideCommitteeZones(geometry: GeoJsonGeometry, committeeOrgIds: string[], zoneIds: string[]): Promise<number> {
    const rows: Array<{ m2: number }> = await this.db.query(
      `SELECT coalesce(ST_Area(ST_Difference(g, coalesce(
                (SELECT ST_Union(boundary) FROM zones WHERE committee_org_id = ANY($2::uuid[]) OR id = ANY($3::uuid[])),
                'SRID=4490;POLYGON EMPTY'::geometry))::geography), 0) AS m2
         FROM (SELECT ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)) AS g) s`,
      [JSON.stringify(geometry), committeeOrgIds, zoneIds],
    );
    return Number(rows[0]?.m2 ?? 0);
  }

  /** Validity with PostGIS's reason and location (only after the measurement found the shape invalid). */
  async validityDetail(g: GeoJsonGeometry): Promise<{ reason: string | null; location: GeoJsonGeometry | null }> {
    const rows: Array<{ reason: string | null; location: string | null }> = await this.db.query(
      `SELECT (d).reason, ST_AsGeoJSON((d).location, 9, 0) AS location
         FROM (SELECT ST_IsValidDetail(ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)) AS d) s`,
      [JSON.stringify(g)],
    );
    const r = rows[0];
    return { reason: r?.reason ?? 'empty geometry', location: r?.location ? (JSON.parse(r.location) as GeoJsonGeometry) : null };
  }
}
