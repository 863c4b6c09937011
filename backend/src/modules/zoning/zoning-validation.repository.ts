import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { GeoJsonGeometry } from '../spatial/geojson';
import { proveCoverage } from './coverage-proof';
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
 * Plan validation (DOMAIN.md §4.2). Areas are measured on the ellipsoid (::geography). Invalid drawings are
 * reported once (invalid_geometry) and left out of the pairwise checks; for the gap check they count with
 * their ST_MakeValid shape so the same place is not reported twice.
 *
 * Cost: the areas are read once (WKB and validity). Overlaps and the union come from the edge-chain proof
 * (coverage-chain.ts, `coverage()` below): for a snapped plan it proves in one pass that no two areas
 * overlap and yields the union from the outline alone, so neither a pairwise search nor an overlay of the
 * areas runs; where the proof fails, overlays and the pairwise search are limited to the areas that break
 * it. See docs/adr/0002-zoning-validation-edge-chain.md.
 */
@Injectable()
export class ZoningValidationRepository {
  async validate(m: EntityManager, planId: string, zoneId: string, o: ValidationOptions, progress?: (pct: number) => Promise<void>): Promise<RawProblem[]> {
    const out: RawProblem[] = [];
    const run = async (sql: string, params: unknown[]): Promise<void> => {
      const rows: Row[] = await m.query(sql, params);
      out.push(...rows.map(toProblem));
    };

    // the areas once, with their validity: invalid drawings are reported here and left out of the coverage
    // proof and the pairwise checks
    const areas: Array<{ id: string; wkb: Buffer; valid: boolean; reason: string | null; location: string | null }> = await m.query(
      `SELECT a.id, ST_AsBinary(a.geom, 'NDR') AS wkb, (v.d).valid, (v.d).reason,
              CASE WHEN NOT (v.d).valid THEN ST_AsGeoJSON(coalesce((v.d).location, ST_StartPoint(ST_ExteriorRing(a.geom))), 9, 0) END AS location
         FROM zoning_areas a CROSS JOIN LATERAL (SELECT ST_IsValidDetail(a.geom) AS d) v
        WHERE a.plan_id = $1`,
      [planId],
    );
    const invalid: string[] = [];
    for (const a of areas.filter((x) => !x.valid)) {
      invalid.push(a.id);
      out.push({
        code: 'invalid_geometry', severity: 'error', areaIds: [a.id], subject: null,
        location: JSON.parse(a.location!) as GeoJsonGeometry, params: { reason: a.reason },
      });
    }
    const coverage = await proveCoverage((sql, params) => m.query(sql, params), areas.filter((x) => x.valid));

    // The union U = P ∪ S of the proven part P (from the chain) and the rest S (suspects and the ST_MakeValid
    // shapes of invalid drawings, unioned by overlay — a handful of areas unless the proof failed outright)
    // serves three checks, none of which overlays P as a whole with anything but the boundary Z:
    // - gaps: Z − U = (Z − ST_Simplify(P, 0)) − S. Simplifying with tolerance 0 drops only exactly collinear
    //   vertices (the same point set), which OverlayNG would otherwise node one by one against Z's edges.
    // - outside: area(U − Z) = area(U) − area(Z) + area(Z − U), with area(U) = area(P) + area(S) − area(P ∩ S)
    //   (the intersection is clipped to S's envelope); the per-area search runs only when that is above half
    //   the tolerance, not on every rounding speck at the boundary's corners.
    // - overlaps: Σ area − area(P ∪ S_valid) is the total overlap; the pairwise search (for pairs with a
    //   suspect) runs only when that is above half the tolerance.
    // Planar degrees² are scaled with the zone's largest m² per degree² (an overestimate: these only decide
    // whether an exact search runs); gaps are measured on the ellipsoid.
    const [cover] = (await m.query(
      `WITH z AS (SELECT boundary, 111320 * cos(radians(least(abs(ST_YMin(boundary)), abs(ST_YMax(boundary))))) * 111700 AS m2_per_deg2
                    FROM zones WHERE id = $2),
            s AS (SELECT ST_UnaryUnion(ST_Collect(geom) FILTER (WHERE id = ANY($6::uuid[]))) AS sv,
                         ST_UnaryUnion(ST_Collect(ST_CollectionExtract(ST_MakeValid(geom), 3)) FILTER (WHERE id = ANY($4::uuid[]))) AS si
                    FROM zoning_areas WHERE plan_id = $1 AND (id = ANY($6::uuid[]) OR id = ANY($4::uuid[]))),
            u AS (SELECT z.*, p.g AS p, s.sv, CASE WHEN s.si IS NULL THEN s.sv WHEN s.sv IS NULL THEN s.si ELSE ST_Union(s.sv, s.si) END AS s
                    FROM z, s, (SELECT ST_SetSRID(ST_GeomFromWKB($5), 4490) AS g) p),
            d AS (SELECT u.*,
                         CASE WHEN u.p IS NULL AND u.s IS NULL THEN u.boundary
                              WHEN u.p IS NULL THEN ST_Difference(u.boundary, ST_Simplify(u.s, 0))
                              WHEN u.s IS NULL THEN ST_Difference(u.boundary, ST_Simplify(u.p, 0))
                              ELSE ST_Difference(ST_Difference(u.boundary, ST_Simplify(u.p, 0)), u.s) END AS gap,
                         coalesce(ST_Area(u.p), 0) + coalesce(ST_Area(u.s), 0) - CASE WHEN u.p IS NULL OR u.s IS NULL THEN 0 ELSE ST_Area(ST_Intersection(u.p, u.s)) END AS u_deg2,
                         coalesce(ST_Area(u.p), 0) + coalesce(ST_Area(u.sv), 0) - CASE WHEN u.p IS NULL OR u.sv IS NULL THEN 0 ELSE ST_Area(ST_Intersection(u.p, u.sv)) END AS uv_deg2
                    FROM u)
       SELECT greatest(d.u_deg2 - ST_Area(d.boundary) + ST_Area(d.gap), 0) * d.m2_per_deg2 AS outside_m2,
              greatest($7 - d.uv_deg2, 0) * d.m2_per_deg2 AS overlap_m2,
              coalesce((SELECT json_agg(json_build_object('location', ST_AsGeoJSON(x.geom, 9, 0), 'm2', x.m2,
                                                          'at', ST_AsText(ST_SnapToGrid(ST_PointOnSurface(x.geom), 1e-6))))
                          FROM (SELECT x.geom, ST_Area(x.geom::geography) AS m2 FROM ST_Dump(d.gap) x) x
                         WHERE x.m2 > $3), '[]'::json) AS gaps
         FROM d`,
      [planId, zoneId, o.toleranceM2, invalid, coverage.proven, coverage.suspects, coverage.areaDeg2],
    )) as [{ outside_m2: number; overlap_m2: number; gaps: Array<{ location: string; m2: number; at: string }> }];

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

    if (coverage.suspects.length > 0 && cover.overlap_m2 > o.toleranceM2 / 2) {
      // pairs with at least one candidate (the other areas are proven not to overlap one another); interiors
      // meet ('2********'): shared edges and corners are not overlaps
      await run(
        `SELECT 'overlap' AS code, 'error' AS severity, ARRAY[least(s.a, s.b)::text, greatest(s.a, s.b)::text] AS area_ids, NULL AS subject,
                ST_AsGeoJSON(s.g, 9, 0) AS location, json_build_object('m2', round(s.m2::numeric, 1)) AS params
           FROM (SELECT pr.a, pr.b, x.g, ST_Area(x.g::geography) AS m2
                   FROM (SELECT a.id AS a, b.id AS b, a.geom AS ga, b.geom AS gb
                           FROM zoning_areas a JOIN zoning_areas b ON b.plan_id = a.plan_id AND b.id <> a.id AND a.geom && b.geom
                          WHERE a.plan_id = $1 AND a.id = ANY($4::uuid[]) AND (NOT (b.id = ANY($4::uuid[])) OR a.id < b.id)
                            AND NOT (b.id = ANY($3::uuid[])) AND ST_Relate(a.geom, b.geom, '2********') OFFSET 0) pr
                   CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Intersection(pr.ga, pr.gb), 3) AS g) x) s
          WHERE s.m2 > $2`,
        [planId, o.toleranceM2, invalid, coverage.suspects],
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
