import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { SqlParams } from '../auth/scope.service';
import { GeoJsonGeometry, areaFigures } from '../spatial/geojson';
import { AreaDto, CategoryTotalDto, CommentDto, DiffEntryDto, EvidenceRefDto, PlanSummaryDto } from './zoning.dto';
import { ZONING_CATEGORIES, ZoningCategory, ZoningPlanState } from './zoning-plan.transitions';
import { returnedRows } from '../../infra/database/sql-result';

/** Stored coordinates live on this grid (degrees, ≈0.1 mm) in EPSG:4490: snapped edges stay exactly shared. */
export const GRID = 1e-9;
const geomIn = (p: string): string => `ST_SnapToGrid(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${p}), 4490)), ${GRID})`;

export { returnedRows } from '../../infra/database/sql-result';

export interface PlanRow {
  id: string;
  zone_id: string;
  zone_code: string;
  zone_name: string;
  zone_category: string;
  zone_division_code: string;
  version: number;
  state: ZoningPlanState;
  based_on: string | null;
  assessment_id: string | null;
  row_version: number;
  submitted_at: Date | null;
  justifications: Record<string, string> | null;
  approved_at: Date | null;
  returned_at: Date | null;
  return_reason: string | null;
  issued_at: Date | null;
  document_number: string | null;
  opinion_file_id: string | null;
  opinion_sha256: string | null;
  opinion_bytes: number | null;
  opinion_storage_key: string | null;
  superseded_at: Date | null;
  updated_at: Date;
  detailed: boolean;
}

/** One area a carve cut into: its size before (m², ellipsoid), what it lost, and what is left (its own row first). */
export interface CarvedArea {
  areaId: string;
  beforeM2: number;
  cutM2: number;
  parts: Array<{ areaId: string; m2: number }>;
  removed: boolean;
}

interface AreaRow { id: string; category: ZoningCategory; geometry: string; m2: number; rationale: string | null; label: string | null; evidence: EvidenceRefDto[] | null }

export function mapSummary(r: PlanRow): PlanSummaryDto {
  return {
    id: r.id, zoneId: r.zone_id, version: r.version, state: r.state, zoneName: r.zone_name, zoneCode: r.zone_code,
    documentNumber: r.document_number, submittedAt: toIsoOffset(r.submitted_at), issuedAt: toIsoOffset(r.issued_at), updatedAt: toIsoOffset(r.updated_at)!,
  };
}

const mapArea = (r: AreaRow): AreaDto => ({
  id: r.id, category: r.category, geometry: JSON.parse(r.geometry) as GeoJsonGeometry, ...areaFigures(r.m2),
  rationale: r.rationale, label: r.label, evidence: r.evidence ?? [],
});

@Injectable()
export class ZoningRepository {
  private planSelect(detailSql: string): string {
    return `SELECT zp.id, zp.zone_id, z.code AS zone_code, z.name AS zone_name, z.category AS zone_category, z.division_code AS zone_division_code,
                   zp.version, zp.state, zp.based_on, zp.assessment_id, zp.row_version, zp.submitted_at, zp.justifications,
                   zp.approved_at, zp.returned_at, zp.return_reason, zp.issued_at, zp.document_number, zp.opinion_file_id,
                   f.sha256 AS opinion_sha256, f.bytes AS opinion_bytes, f.storage_key AS opinion_storage_key,
                   zp.superseded_at, zp.updated_at, (${detailSql}) AS detailed
              FROM zoning_plans zp JOIN zones z ON z.id = zp.zone_id
              LEFT JOIN stored_files f ON f.id = zp.opinion_file_id`;
  }

  /** One plan if the read predicate lets the caller see it; `forUpdate` locks the plan row. */
  async findPlan(m: EntityManager, id: string, readSql: string, detailSql: string, params: SqlParams, forUpdate = false): Promise<PlanRow | null> {
    const rows: PlanRow[] = await m.query(
      `${this.planSelect(detailSql)} WHERE zp.id = ${params.add(id)} AND ${readSql}${forUpdate ? ' FOR UPDATE OF zp' : ''}`,
      params.values,
    );
    return rows[0] ?? null;
  }

  async listPlans(m: EntityManager, readSql: string, params: SqlParams, filter: { zoneId?: string; state?: string }): Promise<PlanRow[]> {
    const where = [readSql];
    if (filter.zoneId) where.push(`zp.zone_id = ${params.add(filter.zoneId)}`);
    if (filter.state) where.push(`zp.state = ${params.add(filter.state)}`);
    return m.query(`${this.planSelect('FALSE')} WHERE ${where.join(' AND ')} ORDER BY z.code, zp.version DESC`, params.values);
  }

  async findIssuedPlanIdForZone(m: EntityManager, zoneId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(`SELECT id FROM zoning_plans WHERE zone_id = $1 AND state = 'issued'`, [zoneId]);
    return rows[0]?.id ?? null;
  }

  async zoneForNewPlan(m: EntityManager, zoneId: string): Promise<{ category: string; assessment_id: string | null } | null> {
    // the zone row lock serialises version numbering within the zone
    const rows: Array<{ category: string; assessment_id: string | null }> = await m.query(
      `SELECT z.category,
              (SELECT a.id FROM assessments a WHERE a.zone_id = z.id ORDER BY (a.state <> 'concluded') DESC, a.created_at DESC LIMIT 1) AS assessment_id
         FROM zones z WHERE z.id = $1 FOR UPDATE OF z`,
      [zoneId],
    );
    return rows[0] ?? null;
  }

  /** Members of the zone's open assessment team (empty when there is none or it has no members). */
  async openTeam(m: EntityManager, zoneId: string): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await m.query(
      `SELECT am.user_id FROM assessments a JOIN assessment_members am ON am.assessment_id = a.id
        WHERE a.zone_id = $1 AND a.state <> 'concluded'`,
      [zoneId],
    );
    return rows.map((r) => r.user_id);
  }

  async insertPlan(m: EntityManager, p: { zoneId: string; basedOn: string | null; assessmentId: string | null; createdBy: string | null }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO zoning_plans (zone_id, version, based_on, assessment_id, created_by)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4 FROM zoning_plans WHERE zone_id = $1
       RETURNING id`,
      [p.zoneId, p.basedOn, p.assessmentId, p.createdBy],
    );
    return rows[0]!.id;
  }

  async planZone(m: EntityManager, planId: string): Promise<string | null> {
    const rows: Array<{ zone_id: string }> = await m.query(`SELECT zone_id FROM zoning_plans WHERE id = $1`, [planId]);
    return rows[0]?.zone_id ?? null;
  }

  /** Copies every area and its evidence links in one statement. */
  async copyAreas(m: EntityManager, fromPlan: string, toPlan: string): Promise<void> {
    await m.query(
      `WITH src AS (SELECT id, gen_random_uuid() AS new_id, category, geom, rationale, label FROM zoning_areas WHERE plan_id = $1),
            ins AS (INSERT INTO zoning_areas (id, plan_id, category, geom, rationale, label)
                    SELECT new_id, $2, category, geom, rationale, label FROM src RETURNING id)
       INSERT INTO zoning_area_evidence (area_id, evidence_type, evidence_id)
       SELECT s.new_id, e.evidence_type, e.evidence_id FROM zoning_area_evidence e JOIN src s ON s.id = e.area_id`,
      [fromPlan, toPlan],
    );
  }

  /**
   * A new area made of `region` ∩ the zone (its largest part), carved out of the plan's areas: every area
   * whose interior meets it keeps only what lies outside. Faces, not pairwise differences: the boundaries of
   * the region (on the storage grid), of the areas it cuts and (where the region leaves the zone) of the zone
   * are noded together, polygonized, and each face goes to the new area or back to the area it lies in.
   * Built from the same noded edges, the new area and its neighbours share every new vertex, and the input
   * vertices are kept bit for bit (a grid-size union would re-round them and part cut areas from untouched
   * neighbours), so validation proves the coverage from the edges (ADR 0002) and finds neither an overlap
   * nor a gap. The crossings the noding adds are then put on the storage grid, the same in every part. A cut area that falls apart keeps its largest part in its row; the
   * other parts become new areas with its category, rationale, evidence and label (suffixed -2, -3, …).
   * Parts of `toleranceM2` or less are dropped, and an area with nothing left is deleted. Null when the
   * region does not meet the zone.
   */
  async insertAreaCarved(
    m: EntityManager,
    planId: string,
    zoneId: string,
    a: { category: ZoningCategory; region: GeoJsonGeometry; rationale: string | null; label: string | null },
    toleranceM2: number,
  ): Promise<{ areaId: string; m2: number; cut: CarvedArea[]; carveError?: string } | null> {
    type Row = { area_id: string | null; before_m2: number | null; n: number | null; g: Buffer | null; m2: number | null };
    // a GEOS failure on odd drawings must not fail the caller's transaction (an authority's opinion has a
    // legal deadline): the area then goes in uncarved, like a drawn one, and validation shows the overlaps
    await m.query('SAVEPOINT insert_area_carved');
    let carveError: string | undefined;
    const rows: Row[] = await m.query(
      `WITH z AS (SELECT boundary FROM zones WHERE id = $2),
            r AS (SELECT ST_SnapToGrid(ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($3)), 4490), $4) AS g),
            cut AS MATERIALIZED (SELECT a.id, a.geom FROM zoning_areas a, r
                                  WHERE a.plan_id = $1 AND a.geom && r.g
                                    AND CASE WHEN ST_IsValid(a.geom) THEN ST_Relate(a.geom, r.g, '2********') ELSE false END),
            zl AS (SELECT ST_Boundary(z.boundary) AS g FROM z, r WHERE NOT ST_CoveredBy(r.g, z.boundary)),
            -- floating noding keeps every input vertex as it is; only crossings are new
            lines AS (SELECT ST_UnaryUnion(ST_Collect(l)) AS g FROM (
                        SELECT ST_Boundary(geom) AS l FROM cut
                        UNION ALL SELECT ST_Boundary(g) FROM r
                        UNION ALL SELECT ST_Intersection(zl.g, r.g) FROM zl, r) s),
            faces AS MATERIALIZED (SELECT d.geom, ST_PointOnSurface(d.geom) AS pt
                                     FROM (SELECT ST_Polygonize(g) AS p FROM lines) s, ST_Dump(s.p) d),
            inside AS (SELECT f.geom FROM faces f, r, z WHERE ST_Intersects(r.g, f.pt) AND ST_Intersects(z.boundary, f.pt)),
            kept AS MATERIALIZED (SELECT d.geom FROM (SELECT ST_UnaryUnion(ST_Collect(geom)) AS g FROM inside) u, ST_Dump(u.g) d
                                   WHERE GeometryType(d.geom) = 'POLYGON' ORDER BY ST_Area(d.geom) DESC LIMIT 1),
            owned AS (SELECT f.geom, k.geom IS NOT NULL AS is_new,
                             (SELECT c.id FROM cut c WHERE ST_Intersects(c.geom, f.pt) ORDER BY c.id LIMIT 1) AS owner
                        FROM faces f LEFT JOIN kept k ON ST_Intersects(k.geom, f.pt)),
            merged AS (SELECT owner, ST_UnaryUnion(ST_Collect(geom)) AS g FROM owned WHERE NOT is_new AND owner IS NOT NULL GROUP BY owner),
            parts AS MATERIALIZED (
                     SELECT NULL::uuid AS owner, k.geom, ST_Area(k.geom::geography) AS m2 FROM kept k
                     UNION ALL
                     SELECT p.owner, p.geom, p.m2 FROM (SELECT mg.owner, d.geom, ST_Area(d.geom::geography) AS m2
                                                          FROM merged mg, ST_Dump(mg.g) d WHERE GeometryType(d.geom) = 'POLYGON') p
                      WHERE p.m2 > $5),
            -- the vertices the crossings added go onto the storage grid (the same point the same way in every
            -- part); the input vertices stay exactly as they are, so edges shared with untouched areas stay shared
            orig AS MATERIALIZED (SELECT DISTINCT ST_X(d.geom) AS x, ST_Y(d.geom) AS y
                                    FROM (SELECT geom FROM cut UNION ALL SELECT g FROM r UNION ALL SELECT zl.g FROM zl) s, ST_DumpPoints(s.geom) d),
            snapped AS (SELECT p.owner, p.geom AS raw,
                               (SELECT ST_MakePolygon((array_agg(rg.ring ORDER BY rg.n))[1], (array_agg(rg.ring ORDER BY rg.n))[2:])
                                  FROM (SELECT rr.path[1] AS n,
                                               ST_RemoveRepeatedPoints(ST_MakeLine(array_agg(
                                                 CASE WHEN o.x IS NULL THEN ST_SnapToGrid(pp.geom, $4) ELSE pp.geom END ORDER BY pp.path[1]))) AS ring
                                          FROM ST_DumpRings(p.geom) rr
                                          CROSS JOIN LATERAL ST_DumpPoints(ST_ExteriorRing(rr.geom)) pp
                                          LEFT JOIN orig o ON o.x = ST_X(pp.geom) AND o.y = ST_Y(pp.geom)
                                         GROUP BY rr.path[1]) rg) AS geom
                          FROM parts p),
            -- snapping moves a crossing by less than 0.1 mm; should that ever spoil a part, no part is snapped
            ok AS (SELECT coalesce(bool_and(ST_IsValid(geom) AND GeometryType(geom) = 'POLYGON'), true) AS snapped FROM snapped),
            outs AS (SELECT s.owner, CASE WHEN ok.snapped THEN s.geom ELSE s.raw END AS geom FROM snapped s, ok)
       SELECT NULL::uuid AS area_id, NULL::float8 AS before_m2, 1 AS n, ST_AsEWKB(o.geom) AS g, ST_Area(o.geom::geography) AS m2
         FROM outs o WHERE o.owner IS NULL
       UNION ALL
       SELECT c.id, ST_Area(c.geom::geography), row_number() OVER (PARTITION BY c.id ORDER BY ST_Area(o.geom) DESC)::int,
              ST_AsEWKB(o.geom), ST_Area(o.geom::geography)
         FROM cut c LEFT JOIN outs o ON o.owner = c.id`,
      [planId, zoneId, JSON.stringify(a.region), GRID, toleranceM2],
    ).catch(async (e: Error) => {
      carveError = e.message;
      await m.query('ROLLBACK TO SAVEPOINT insert_area_carved');
      return m.query(
        `SELECT NULL::uuid AS area_id, NULL::float8 AS before_m2, 1 AS n, ST_AsEWKB(d.geom) AS g, ST_Area(d.geom::geography) AS m2
           FROM zones z, ST_Dump(ST_Intersection(ST_SnapToGrid(ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($2)), 4490), $3), z.boundary)) d
          WHERE z.id = $1 AND GeometryType(d.geom) = 'POLYGON' ORDER BY ST_Area(d.geom) DESC LIMIT 1`,
        [zoneId, JSON.stringify(a.region), GRID],
      );
    });
    await m.query('RELEASE SAVEPOINT insert_area_carved');
    const created = rows.find((r) => r.area_id === null);
    if (!created?.g) return null;
    const [area] = (await m.query(
      `INSERT INTO zoning_areas (plan_id, category, geom, rationale, label) VALUES ($1, $2, ST_GeomFromEWKB($3), $4, $5) RETURNING id`,
      [planId, a.category, created.g, a.rationale, a.label],
    )) as Array<{ id: string }>;

    const byArea = new Map<string, { beforeM2: number; parts: Array<{ n: number; g: Buffer; m2: number }> }>();
    for (const r of rows) {
      if (r.area_id === null) continue;
      const e = byArea.get(r.area_id) ?? { beforeM2: Number(r.before_m2), parts: [] };
      if (r.g) e.parts.push({ n: Number(r.n), g: r.g, m2: Number(r.m2) });
      byArea.set(r.area_id, e);
    }
    const firsts = [...byArea].flatMap(([id, e]) => e.parts.filter((p) => p.n === 1).map((p) => ({ id, g: p.g })));
    const others = [...byArea].flatMap(([id, e]) => e.parts.filter((p) => p.n > 1).map((p) => ({ id, ...p })));
    const removed = [...byArea].filter(([, e]) => e.parts.length === 0).map(([id]) => id);
    if (firsts.length) await m.query(
      `UPDATE zoning_areas a SET geom = ST_GeomFromEWKB(t.g), updated_at = now()
         FROM unnest($2::uuid[], $3::bytea[]) AS t(id, g) WHERE a.id = t.id AND a.plan_id = $1`,
      [planId, firsts.map((f) => f.id), firsts.map((f) => f.g)],
    );
    const split: Array<{ id: string; from_id: string; n: number }> = others.length ? await m.query(
      `WITH src AS (SELECT gen_random_uuid() AS id, a.id AS from_id, a.category, a.rationale, a.label, t.n, ST_GeomFromEWKB(t.g) AS geom
                      FROM unnest($2::uuid[], $3::bytea[], $4::int[]) AS t(id, g, n) JOIN zoning_areas a ON a.id = t.id AND a.plan_id = $1),
            ins AS (INSERT INTO zoning_areas (id, plan_id, category, geom, rationale, label)
                    SELECT id, $1, category, geom, rationale, CASE WHEN label IS NULL THEN NULL ELSE label || '-' || n END FROM src RETURNING id),
            ev AS (INSERT INTO zoning_area_evidence (area_id, evidence_type, evidence_id)
                   SELECT s.id, e.evidence_type, e.evidence_id FROM src s JOIN zoning_area_evidence e ON e.area_id = s.from_id)
       SELECT id, from_id, n FROM src ORDER BY from_id, n`,
      [planId, others.map((o) => o.id), others.map((o) => o.g), others.map((o) => o.n)],
    ) : [];
    if (removed.length) await m.query(`DELETE FROM zoning_areas WHERE plan_id = $1 AND id = ANY($2::uuid[])`, [planId, removed]);

    const round = (x: number): number => Math.round(x * 10) / 10;
    const cut: CarvedArea[] = [...byArea].map(([id, e]) => {
      const parts = e.parts.sort((p, q) => p.n - q.n).map((p) => ({
        areaId: p.n === 1 ? id : split.find((s) => s.from_id === id && Number(s.n) === p.n)!.id, m2: round(p.m2),
      }));
      const keptM2 = e.parts.reduce((s, p) => s + p.m2, 0);
      return { areaId: id, beforeM2: round(e.beforeM2), cutM2: round(e.beforeM2 - keptM2), parts, removed: parts.length === 0 };
    });
    return { areaId: area!.id, m2: round(Number(created.m2)), cut, ...(carveError ? { carveError } : {}) };
  }

  /**
   * Compare-and-set on the plan's row revision for an area edit: bumps it only when the caller's If-Match
   * is current and the plan is still a draft. Returns the new revision, or why it failed.
   */
  async bumpDraftRevision(m: EntityManager, planId: string, expected: number): Promise<{ ok: true; rowVersion: number } | { ok: false; state: ZoningPlanState; rowVersion: number } | null> {
    const rows = returnedRows<{ row_version: number }>(await m.query(
      `UPDATE zoning_plans SET row_version = row_version + 1, updated_at = now()
        WHERE id = $1 AND row_version = $2 AND state = 'draft' RETURNING row_version`,
      [planId, expected],
    ));
    if (rows[0]) return { ok: true, rowVersion: rows[0].row_version };
    const now: Array<{ state: ZoningPlanState; row_version: number }> = await m.query(`SELECT state, row_version FROM zoning_plans WHERE id = $1`, [planId]);
    return now[0] ? { ok: false, state: now[0].state, rowVersion: now[0].row_version } : null;
  }

  /** Polygon check before storage: type, emptiness after snapping. Validity is validation's job. */
  async inspectPolygon(m: EntityManager, g: GeoJsonGeometry): Promise<{ type: string | null; empty: boolean }> {
    const rows: Array<{ type: string | null; empty: boolean | null }> = await m.query(
      `SELECT GeometryType(g) AS type, (g IS NULL OR ST_IsEmpty(g)) AS empty FROM (SELECT ${geomIn('$1')} AS g) s`,
      [JSON.stringify(g)],
    );
    return { type: rows[0]?.type ?? null, empty: rows[0]?.empty ?? true };
  }

  async insertArea(m: EntityManager, planId: string, a: { category: ZoningCategory; geometry: GeoJsonGeometry; rationale: string | null; label: string | null }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO zoning_areas (plan_id, category, geom, rationale, label) VALUES ($1, $2, ${geomIn('$3')}, $4, $5) RETURNING id`,
      [planId, a.category, JSON.stringify(a.geometry), a.rationale, a.label],
    );
    return rows[0]!.id;
  }

  /**
   * Imported areas in one statement: each feature's polygon (a MultiPolygon gives one area per part) on the
   * storage grid; returns the new ids with the feature index each came from, in file order.
   */
  async insertImportedAreas(
    m: EntityManager,
    planId: string,
    items: Array<{ index: number; category: ZoningCategory; geometry: GeoJsonGeometry; rationale: string | null; label: string | null }>,
  ): Promise<Array<{ id: string; index: number; category: ZoningCategory }>> {
    const rows: Array<{ id: string; index: number; category: ZoningCategory }> = await m.query(
      `WITH src AS (
         SELECT t.idx, t.category, t.rationale, t.label, t.ord, ${geomIn('t.g')} AS g
           FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(g, idx, category, rationale, label, ord)),
       parts AS MATERIALIZED (
         SELECT gen_random_uuid() AS id, src.idx, src.category, src.rationale, src.label, src.ord, d.path, d.geom
           FROM src, ST_Dump(src.g) d
          WHERE GeometryType(d.geom) = 'POLYGON' AND NOT ST_IsEmpty(d.geom)),
       ins AS (
         INSERT INTO zoning_areas (id, plan_id, category, geom, rationale, label)
         SELECT p.id, $1, p.category, p.geom, p.rationale, p.label FROM parts p
         RETURNING id)
       SELECT parts.id, parts.idx AS index, parts.category
         FROM parts JOIN ins ON ins.id = parts.id
        ORDER BY parts.ord, parts.path`,
      [
        planId,
        items.map((i) => JSON.stringify(i.geometry)),
        items.map((i) => i.index),
        items.map((i) => i.category),
        items.map((i) => i.rationale),
        items.map((i) => i.label),
      ],
    );
    return rows.map((r) => ({ id: r.id, index: Number(r.index), category: r.category }));
  }

  async updateArea(m: EntityManager, planId: string, areaId: string, a: { category?: ZoningCategory; geometry?: GeoJsonGeometry; rationale?: string; label?: string }): Promise<boolean> {
    const rows = returnedRows(await m.query(
      `UPDATE zoning_areas SET category = coalesce($3, category),
              geom = CASE WHEN $4::text IS NULL THEN geom ELSE ${geomIn('$4::text')} END,
              rationale = coalesce($5, rationale), label = coalesce($6, label), updated_at = now()
        WHERE id = $2 AND plan_id = $1 RETURNING id`,
      [planId, areaId, a.category ?? null, a.geometry ? JSON.stringify(a.geometry) : null, a.rationale ?? null, a.label ?? null],
    ));
    return rows.length > 0;
  }

  async deleteArea(m: EntityManager, planId: string, areaId: string): Promise<boolean> {
    const rows = returnedRows(await m.query(`DELETE FROM zoning_areas WHERE id = $2 AND plan_id = $1 RETURNING id`, [planId, areaId]));
    return rows.length > 0;
  }

  /**
   * ST_Split by the line; the pieces replace the area (same category, rationale and evidence). Returns the
   * new ids, or fewer than two when the line does not cut the area.
   */
  async splitArea(m: EntityManager, planId: string, areaId: string, line: GeoJsonGeometry): Promise<string[] | null> {
    const found: Array<{ n: number }> = await m.query(
      `SELECT count(*)::int AS n FROM zoning_areas a,
              ST_Dump(ST_Split(a.geom, ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($3)), 4490))) d
        WHERE a.id = $2 AND a.plan_id = $1 AND ST_IsValid(a.geom)`,
      [planId, areaId, JSON.stringify(line)],
    );
    const n = found[0]?.n ?? 0;
    if (n < 2) return n === 0 ? null : [];
    const rows: Array<{ id: string }> = await m.query(
      `WITH src AS (SELECT * FROM zoning_areas WHERE id = $2 AND plan_id = $1),
            pieces AS (SELECT gen_random_uuid() AS id, src.category, src.rationale, src.label, ST_SnapToGrid(d.geom, ${GRID}) AS geom, d.path
                         FROM src, ST_Dump(ST_Split(src.geom, ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($3)), 4490))) d),
            ins AS (INSERT INTO zoning_areas (id, plan_id, category, geom, rationale, label)
                    SELECT id, $1, category, geom, rationale, label FROM pieces ORDER BY path RETURNING id),
            ev AS (INSERT INTO zoning_area_evidence (area_id, evidence_type, evidence_id)
                   SELECT p.id, e.evidence_type, e.evidence_id FROM pieces p CROSS JOIN zoning_area_evidence e WHERE e.area_id = $2)
       SELECT id FROM pieces ORDER BY path`,
      [planId, areaId, JSON.stringify(line)],
    );
    await m.query(`DELETE FROM zoning_areas WHERE id = $1`, [areaId]);
    return rows.map((r) => r.id);
  }

  async missingEvidence(m: EntityManager, refs: EvidenceRefDto[]): Promise<EvidenceRefDto[]> {
    if (!refs.length) return [];
    const rows: Array<{ type: EvidenceRefDto['type']; id: string }> = await m.query(
      `SELECT r.type, r.id::text FROM unnest($1::text[], $2::uuid[]) AS r(type, id)
        WHERE NOT CASE r.type
          WHEN 'relic' THEN EXISTS (SELECT 1 FROM immovable_relics x WHERE x.id = r.id)
          WHEN 'core' THEN EXISTS (SELECT 1 FROM coring_points x WHERE x.id = r.id)
          ELSE EXISTS (SELECT 1 FROM survey_observations x WHERE x.id = r.id) END`,
      [refs.map((r) => r.type), refs.map((r) => r.id)],
    );
    return rows;
  }

  async replaceEvidence(m: EntityManager, areaId: string, refs: EvidenceRefDto[]): Promise<void> {
    await m.query(`DELETE FROM zoning_area_evidence WHERE area_id = $1`, [areaId]);
    if (!refs.length) return;
    await m.query(
      `INSERT INTO zoning_area_evidence (area_id, evidence_type, evidence_id)
       SELECT $1, t, i FROM unnest($2::text[], $3::uuid[]) AS r(t, i) ON CONFLICT DO NOTHING`,
      [areaId, refs.map((r) => r.type), refs.map((r) => r.id)],
    );
  }

  /** Areas of a plan; rationale and evidence only when `detailed` (stripped in SQL for committees). */
  async areas(m: EntityManager, planId: string, detailed: boolean, onlyIds?: string[]): Promise<AreaDto[]> {
    const rows: AreaRow[] = await m.query(
      `SELECT a.id, a.category, ST_AsGeoJSON(a.geom, 9, 0) AS geometry, ST_Area(a.geom::geography) AS m2,
              CASE WHEN $2 THEN a.rationale END AS rationale, a.label,
              CASE WHEN $2 THEN (SELECT json_agg(json_build_object('type', e.evidence_type, 'id', e.evidence_id) ORDER BY e.evidence_type, e.evidence_id)
                                   FROM zoning_area_evidence e WHERE e.area_id = a.id) END AS evidence
         FROM zoning_areas a WHERE a.plan_id = $1 AND ($3::uuid[] IS NULL OR a.id = ANY($3::uuid[]))
        ORDER BY array_position(ARRAY['avoidance', 'exploration', 'release'], a.category), a.created_at, a.id`,
      [planId, detailed, onlyIds ?? null],
    );
    return rows.map(mapArea);
  }

  async totals(m: EntityManager, planId: string): Promise<CategoryTotalDto[]> {
    const rows: Array<{ category: ZoningCategory; n: number; m2: number }> = await m.query(
      `SELECT category, count(*)::int AS n, coalesce(sum(ST_Area(geom::geography)), 0) AS m2 FROM zoning_areas WHERE plan_id = $1 GROUP BY category`,
      [planId],
    );
    return ZONING_CATEGORIES.map((c) => {
      const r = rows.find((x) => x.category === c);
      return { category: c, count: r?.n ?? 0, ...areaFigures(r?.m2 ?? 0) };
    });
  }

  async areaCount(m: EntityManager, planId: string): Promise<number> {
    const rows: Array<{ n: number }> = await m.query(`SELECT count(*)::int AS n FROM zoning_areas WHERE plan_id = $1`, [planId]);
    return rows[0]!.n;
  }

  async setStateFields(m: EntityManager, planId: string, set: string, params: unknown[]): Promise<void> {
    await m.query(`UPDATE zoning_plans SET ${set} WHERE id = $1`, [planId, ...params]);
  }

  /** Moves the zone's issued plan (if any, other than `exceptId`) to superseded; returns its id. */
  async supersedeIssued(m: EntityManager, zoneId: string, byPlanId: string, at: Date): Promise<string | null> {
    const rows = returnedRows<{ id: string }>(await m.query(
      `UPDATE zoning_plans SET state = 'superseded', superseded_at = $3, superseded_by = $2, row_version = row_version + 1, updated_at = now()
        WHERE zone_id = $1 AND state = 'issued' AND id <> $2 RETURNING id`,
      [zoneId, byPlanId, at],
    ));
    return rows[0]?.id ?? null;
  }

  async insertStoredFile(m: EntityManager, f: { key: string; sha256: string; bytes: number; contentType: string; originalName: string; createdBy: string | null }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO stored_files (storage_key, sha256, bytes, content_type, original_name, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [f.key, f.sha256, f.bytes, f.contentType, f.originalName, f.createdBy],
    );
    return rows[0]!.id;
  }

  async insertComment(m: EntityManager, planId: string, authorId: string, body: string, location: GeoJsonGeometry | null): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO zoning_comments (plan_id, author_id, body, location)
       VALUES ($1, $2, $3, CASE WHEN $4::text IS NULL THEN NULL ELSE ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($4::text)), 4490) END) RETURNING id`,
      [planId, authorId, body, location ? JSON.stringify(location) : null],
    );
    return rows[0]!.id;
  }

  async comments(m: EntityManager, planId: string, onlyId?: string): Promise<CommentDto[]> {
    const rows: Array<{ id: string; plan_id: string; author_id: string; display_name: string; body: string; location: string | null; created_at: Date }> = await m.query(
      `SELECT c.id, c.plan_id, c.author_id, u.display_name, c.body, ST_AsGeoJSON(c.location, 9, 0) AS location, c.created_at
         FROM zoning_comments c JOIN users u ON u.id = c.author_id
        WHERE c.plan_id = $1 AND ($2::uuid IS NULL OR c.id = $2::uuid) ORDER BY c.created_at, c.id`,
      [planId, onlyId ?? null],
    );
    return rows.map((r) => ({
      id: r.id, planId: r.plan_id, author: { id: r.author_id, displayName: r.display_name }, body: r.body,
      location: r.location ? (JSON.parse(r.location) as GeoJsonGeometry) : null, createdAt: toIsoOffset(r.created_at)!,
    }));
  }

  /**
   * Differences between two plans, in SQL. Areas with the same footprint (ST_Equals) are unchanged or
   * recategorised; the remaining ones are paired by their largest interior overlap (each area at most
   * once) as reshaped, with the symmetric difference as the changed geometry; the rest are added/removed.
   */
  async diff(m: EntityManager, planId: string, againstId: string | null): Promise<DiffEntryDto[]> {
    const rows: Array<{ change: DiffEntryDto['change']; area_id: string | null; prev_id: string | null; category: string | null; prev_category: string | null; geometry: string; m2: number }> = await m.query(
      `WITH a AS (SELECT id, category, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom) END AS geom FROM zoning_areas WHERE plan_id = $1),
            b AS (SELECT id, category, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom) END AS geom FROM zoning_areas WHERE plan_id = $2),
            same AS MATERIALIZED (SELECT DISTINCT ON (a.id) a.id AS aid, b.id AS bid, a.category AS acat, b.category AS bcat, a.geom
                                    FROM a JOIN b ON a.geom && b.geom AND ST_Equals(a.geom, b.geom) ORDER BY a.id, b.id),
            ra AS (SELECT * FROM a WHERE id NOT IN (SELECT aid FROM same)),
            rb AS (SELECT * FROM b WHERE id NOT IN (SELECT bid FROM same)),
            pairs AS MATERIALIZED (SELECT ra.id AS aid, rb.id AS bid, ra.category AS acat, rb.category AS bcat, ra.geom AS ga, rb.geom AS gb,
                                          ST_Area(ST_Intersection(ra.geom, rb.geom)) AS ov
                                     FROM ra JOIN rb ON ra.geom && rb.geom AND ST_Relate(ra.geom, rb.geom, '2********')),
            best_a AS (SELECT DISTINCT ON (aid) * FROM pairs ORDER BY aid, ov DESC),
            matched AS (SELECT DISTINCT ON (bid) * FROM best_a ORDER BY bid, ov DESC)
       SELECT 'recategorised' AS change, aid AS area_id, bid AS prev_id, acat AS category, bcat AS prev_category,
              ST_AsGeoJSON(geom, 9, 0) AS geometry, ST_Area(geom::geography) AS m2
         FROM same WHERE acat <> bcat
       UNION ALL
       SELECT 'reshaped', aid, bid, acat, bcat, ST_AsGeoJSON(d.g, 9, 0), ST_Area(d.g::geography)
         FROM matched CROSS JOIN LATERAL (SELECT ST_SymDifference(ga, gb) AS g) d
       UNION ALL
       SELECT 'added', id, NULL, category, NULL, ST_AsGeoJSON(geom, 9, 0), ST_Area(geom::geography)
         FROM ra WHERE id NOT IN (SELECT aid FROM matched)
       UNION ALL
       SELECT 'removed', NULL, id, NULL, category, ST_AsGeoJSON(geom, 9, 0), ST_Area(geom::geography)
         FROM rb WHERE id NOT IN (SELECT bid FROM matched)`,
      [planId, againstId],
    );
    const order = { removed: 0, added: 1, reshaped: 2, recategorised: 3 } as Record<string, number>;
    return rows
      .map((r) => {
        const f = areaFigures(r.m2);
        return {
          change: r.change, areaId: r.area_id, previousAreaId: r.prev_id, category: r.category, previousCategory: r.prev_category,
          geometry: JSON.parse(r.geometry) as GeoJsonGeometry, changedM2: f.areaM2, changedMu: f.areaMu,
        };
      })
      .sort((x, y) => order[x.change]! - order[y.change]! || (x.areaId ?? x.previousAreaId ?? '').localeCompare(y.areaId ?? y.previousAreaId ?? ''));
  }
}
