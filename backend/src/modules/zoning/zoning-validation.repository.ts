import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { GeoJsonGeometry } from '../spatial/geojson';
import { RawProblem } from './zoning-problems';

export interface ValidationOptions {
  /** overlaps and outside parts at or below this many m² are drawing noise, not problems */
  toleranceM2: number;
  /** gaps and areas below this many m² are slivers (warnings); gaps above it are errors */
  sliverM2: number;
}

/** An area narrower than this (mean width 2·A/P on the ellipsoid) is a sliver whatever its area. */
export const MIN_WIDTH_M = 1;
const POSITIVE_RESULTS = ['cultural_layer', 'tomb', 'feature'];

type Row = { code: RawProblem['code']; severity: RawProblem['severity']; area_ids: string[]; location: string; subject: string | null; params: Record<string, unknown> };
const toProblem = (r: Row): RawProblem => ({
  code: r.code, severity: r.severity, areaIds: r.area_ids, location: JSON.parse(r.location) as GeoJsonGeometry, subject: r.subject, params: r.params,
});

/**
 * Plan validation (DOMAIN.md §4.2), all in PostGIS. Areas are measured on the ellipsoid (::geography).
 * Invalid drawings are reported once (invalid_geometry) and left out of the pairwise checks; for the gap
 * check they count with their ST_MakeValid shape so the same place is not reported twice.
 *
 * Cost: validity is computed once (the invalid ids are passed to the later checks). The union of the plan's
 * areas is computed once and serves the gap check, an outside-the-boundary pre-check (the per-area search
 * runs only when the union's part outside the boundary is above half the tolerance, not on every rounding
 * speck at the boundary's corners) and an overlap pre-check (Σ area − area of the union = total overlap;
 * the GiST self-join that locates overlaps runs only when that total is above the tolerance). Invalid
 * areas are added to the union of the valid ones afterwards, not unioned a second time.
 * (Tried and dropped: building the union from the segments used once — exact for a snapped coverage, but
 * taking the segments apart in SQL cost as much as ST_UnaryUnion itself.)
 */
@Injectable()
export class ZoningValidationRepository {
  async validate(m: EntityManager, planId: string, zoneId: string, o: ValidationOptions, progress?: (pct: number) => Promise<void>): Promise<RawProblem[]> {
    const out: RawProblem[] = [];
    const run = async (sql: string, params: unknown[]): Promise<void> => {
      const rows: Row[] = await m.query(sql, params);
      out.push(...rows.map(toProblem));
    };

    const before = out.length;
    await run(
      `SELECT 'invalid_geometry' AS code, 'error' AS severity, ARRAY[a.id::text] AS area_ids, NULL AS subject,
              ST_AsGeoJSON(coalesce((v.d).location, ST_StartPoint(ST_ExteriorRing(a.geom))), 9, 0) AS location,
              json_build_object('reason', (v.d).reason) AS params
         FROM zoning_areas a CROSS JOIN LATERAL (SELECT ST_IsValidDetail(a.geom) AS d) v
        WHERE a.plan_id = $1 AND NOT (v.d).valid`,
      [planId],
    );
    const invalid = out.slice(before).flatMap((p) => p.areaIds);

    // one union for gaps, and for the outside and overlap pre-checks. Σ area − area(∪) is taken in planar
    // degrees² and scaled to m² with the zone's largest metres-per-degree (an overestimate: it only decides
    // whether the exact pairwise search runs); invalid areas join the union (for gaps) with their valid shape.
    const [cover] = (await m.query(
      `WITH va AS MATERIALIZED (SELECT geom FROM zoning_areas WHERE plan_id = $1 AND NOT (id = ANY($4::uuid[]))),
            inv AS (SELECT ST_CollectionExtract(ST_MakeValid(geom), 3) AS g FROM zoning_areas WHERE plan_id = $1 AND id = ANY($4::uuid[])),
            k AS (SELECT 111320 * cos(radians(least(abs(ST_YMin(boundary)), abs(ST_YMax(boundary))))) * 111700 AS m2_per_deg2, boundary
                    FROM zones WHERE id = $2),
            s AS (SELECT coalesce(sum(ST_Area(geom)), 0) AS sum_deg2, ST_UnaryUnion(ST_Collect(geom)) AS gv FROM va),
            uv AS (SELECT s.sum_deg2, s.gv, k.m2_per_deg2, k.boundary FROM s, k),
            u AS (SELECT uv.*, CASE WHEN EXISTS (SELECT 1 FROM inv) THEN ST_UnaryUnion(ST_Collect(array_remove(ARRAY[uv.gv] || ARRAY(SELECT g FROM inv), NULL))) ELSE uv.gv END AS g
                    FROM uv)
       SELECT (u.sum_deg2 - coalesce(ST_Area(u.gv), 0)) * u.m2_per_deg2 AS overlap_m2,
              CASE WHEN u.g IS NULL OR ST_CoveredBy(u.g, u.boundary) THEN 0
                   ELSE coalesce(ST_Area(ST_CollectionExtract(ST_Difference(u.g, u.boundary), 3)::geography), 0) END AS outside_m2,
              coalesce((SELECT json_agg(json_build_object('location', ST_AsGeoJSON(d.geom, 9, 0), 'm2', d.m2,
                                                          'at', ST_AsText(ST_SnapToGrid(ST_PointOnSurface(d.geom), 1e-6))))
                          FROM (SELECT p.geom, ST_Area(p.geom::geography) AS m2
                                  FROM ST_Dump(CASE WHEN u.g IS NULL THEN u.boundary ELSE ST_Difference(u.boundary, u.g) END) p) d
                         WHERE d.m2 > $3), '[]'::json) AS gaps
         FROM u`,
      [planId, zoneId, o.toleranceM2, invalid],
    )) as [{ overlap_m2: number; outside_m2: number; gaps: Array<{ location: string; m2: number; at: string }> }];

    // an area's part outside is within the union's part outside, so the per-area search (one overlay per area
    // not covered by the boundary — every edge area when the boundary's corners carry rounding noise) runs only
    // when the union's part outside could hold a problem
    if (cover.outside_m2 > o.toleranceM2 / 2) await run(
      `SELECT 'outside_boundary' AS code, 'error' AS severity, ARRAY[s.id::text] AS area_ids, NULL AS subject,
              ST_AsGeoJSON(s.g, 9, 0) AS location, json_build_object('m2', round(s.m2::numeric, 1)) AS params
         FROM (SELECT a.id, x.g, ST_Area(x.g::geography) AS m2
                 FROM zoning_areas a JOIN zones z ON z.id = $2
                 CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Difference(a.geom, z.boundary), 3) AS g) x
                WHERE a.plan_id = $1 AND NOT (a.id = ANY($4::uuid[])) AND NOT ST_CoveredBy(a.geom, z.boundary)) s
        WHERE s.m2 > $3`,
      [planId, zoneId, o.toleranceM2, invalid],
    );
    await progress?.(15);

    for (const g of cover.gaps) {
      const isGap = g.m2 > o.sliverM2;
      out.push({
        code: isGap ? 'gap' : 'sliver', severity: isGap ? 'error' : 'warning', areaIds: [],
        location: JSON.parse(g.location) as GeoJsonGeometry,
        subject: `gap:${g.at.replace(/^POINT\(|\)$/g, '').replace(' ', ',')}`,
        params: { m2: Math.round(g.m2 * 10) / 10 },
      });
    }
    await progress?.(55);

    if (cover.overlap_m2 > o.toleranceM2 / 2) {
      // interiors meet ('2********'): shared edges and corners are not overlaps
      await run(
        `SELECT 'overlap' AS code, 'error' AS severity, ARRAY[s.a::text, s.b::text] AS area_ids, NULL AS subject,
                ST_AsGeoJSON(s.g, 9, 0) AS location, json_build_object('m2', round(s.m2::numeric, 1)) AS params
           FROM (SELECT pr.a, pr.b, x.g, ST_Area(x.g::geography) AS m2
                   FROM (SELECT a.id AS a, b.id AS b, a.geom AS ga, b.geom AS gb
                           FROM zoning_areas a JOIN zoning_areas b ON b.plan_id = a.plan_id AND a.id < b.id AND a.geom && b.geom
                          WHERE a.plan_id = $1 AND NOT (a.id = ANY($3::uuid[])) AND NOT (b.id = ANY($3::uuid[]))
                            AND ST_Relate(a.geom, b.geom, '2********') OFFSET 0) pr
                   CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(pr.ga, pr.gb), 3) AS g) x) s
          WHERE s.m2 > $2`,
        [planId, o.toleranceM2, invalid],
      );
    }
    await progress?.(80);

    // planar pre-filter (cheap) with bounds that never miss a sliver, then the ellipsoid figures for candidates
    await run(
      `SELECT 'sliver' AS code, 'warning' AS severity, ARRAY[s.id::text] AS area_ids, NULL AS subject,
              ST_AsGeoJSON(s.geom, 9, 0) AS location,
              json_build_object('m2', round(s.m2::numeric, 1), 'widthM', round((2 * s.m2 / nullif(s.perim, 0))::numeric, 2)) AS params
         FROM (SELECT c.id, c.geom, ST_Area(c.geom::geography) AS m2, ST_Perimeter(c.geom::geography) AS perim
                 FROM (SELECT a.id, a.geom, ST_Area(a.geom) AS a_deg2, ST_Perimeter(a.geom) AS p_deg,
                              111320 * cos(radians(greatest(abs(ST_YMin(a.geom)), abs(ST_YMax(a.geom))))) AS sx_min,
                              111320 * cos(radians(least(abs(ST_YMin(a.geom)), abs(ST_YMax(a.geom))))) AS sx_max
                         FROM zoning_areas a WHERE a.plan_id = $1 AND NOT (a.id = ANY($4::uuid[]))) c
                WHERE c.a_deg2 * c.sx_min * 110500 < $2 * 1.05
                   OR 2 * c.a_deg2 / nullif(c.p_deg, 0) * c.sx_min * 110500 / greatest(c.sx_max, 111700) < $3 * 1.05) s
        WHERE s.m2 < $2 OR 2 * s.m2 / nullif(s.perim, 0) < $3`,
      [planId, o.sliverM2, MIN_WIDTH_M, invalid],
    );

    await run(
      `SELECT 'positive_core_in_release' AS code, 'error' AS severity, ARRAY[a.id::text] AS area_ids, 'core:' || c.id AS subject,
              ST_AsGeoJSON(c.geom, 9, 0) AS location, json_build_object('result', c.result) AS params
         FROM zoning_areas a JOIN coring_points c ON c.geom && a.geom AND ST_Intersects(a.geom, c.geom)
        WHERE a.plan_id = $1 AND a.category = 'release' AND NOT (a.id = ANY($3::uuid[])) AND c.result = ANY($2::text[])`,
      [planId, POSITIVE_RESULTS, invalid],
    );

    // a relic itself in release land is an error; its protection range only partly avoided is a warning
    await run(
      `SELECT 'relic_not_avoided' AS code, 'error' AS severity, ARRAY[a.id::text] AS area_ids, 'relic:' || r.id AS subject,
              ST_AsGeoJSON(ST_Intersection(r.geom, a.geom), 9, 0) AS location, json_build_object('name', r.name) AS params
         FROM zoning_areas a JOIN immovable_relics r ON r.geom && a.geom
        WHERE a.plan_id = $1 AND a.category = 'release' AND NOT (a.id = ANY($2::uuid[]))
          AND CASE WHEN ST_Dimension(r.geom) = 0 THEN ST_Intersects(a.geom, r.geom) ELSE ST_Relate(a.geom, r.geom, '2********') END`,
      [planId, invalid],
    );
    await run(
      `WITH av AS (SELECT ST_UnaryUnion(ST_Collect(geom)) AS g FROM zoning_areas
                    WHERE plan_id = $1 AND category = 'avoidance' AND NOT (id = ANY($4::uuid[])))
       SELECT 'relic_not_avoided' AS code, 'warning' AS severity, ARRAY[]::text[] AS area_ids, 'relic:' || s.id AS subject,
              ST_AsGeoJSON(s.g, 9, 0) AS location, json_build_object('name', s.name, 'm2', round(s.m2::numeric, 1)) AS params
         FROM (SELECT r.id, r.name, d.g, ST_Area(d.g::geography) AS m2
                 FROM zones z JOIN immovable_relics r ON r.protection_range && z.boundary
                 CROSS JOIN av
                 CROSS JOIN LATERAL (SELECT ST_CollectionExtract(
                          CASE WHEN av.g IS NULL THEN ST_Intersection(r.protection_range, z.boundary)
                               ELSE ST_Difference(ST_Intersection(r.protection_range, z.boundary), av.g) END, 3) AS g) d
                WHERE z.id = $2) s
        WHERE s.m2 > $3`,
      [planId, zoneId, o.toleranceM2, invalid],
    );
    await progress?.(100);
    return out;
  }
}
