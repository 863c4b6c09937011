import { DataSource, EntityManager } from 'typeorm';
import { LocalDiskStorage } from '../../infra/storage/local-disk.storage';
import { Actor } from '../../modules/audit/audit.service';
import { AuthRepository } from '../../modules/auth/auth.repository';
import { ScopeService } from '../../modules/auth/scope.service';
import { ZoningRepository } from '../../modules/zoning/zoning.repository';
import { ZoningService } from '../../modules/zoning/zoning.service';
import { ZoningValidationRepository } from '../../modules/zoning/zoning-validation.repository';
import type { SeedContext, SeedStep } from '../seed';

/**
 * Zoning demo (DOMAIN.md §6), through ZoningService so validation, numbering, the opinion PDF and the
 * audit happen for real:
 * - 屯留 SX-CZ-TLETDZ: v1 issued — avoidance around every registered relic (its protection range and 50 m
 *   around it) and 30 m around every positive core, release in the zone's south-east quarter (where the
 *   coring seed keeps positive clusters out), exploration for the rest; then v2 issued, superseding v1,
 *   turning the exploration land of a strip south of the centroid (between 450 m west of it and the
 *   centroid) into new release land.
 * - 长治高新 SX-CZ-CZHTZ: a plan (same construction) submitted and waiting for the demo reviewer.
 * Areas are cut from the zone polygon in SQL with fixed-precision overlay on the storage grid (gridSize
 * 1e-9°), so they cover it without gaps and stay valid on that grid.
 * A zone that already has a plan is left alone (idempotent).
 */
const TUNLIU = 'SX-CZ-TLETDZ';
const CHANGZHI = 'SX-CZ-CZHTZ';

const M_PER_DEG_LAT = 110_950;

/**
 * Areas as (category, geometry) rows for $1 = zone id, with release = the south-east quarter and, when
 * $2 > 0, also the strip south of the centroid from $2 metres west of it.
 */
const AREAS_SQL = `
  WITH z AS (SELECT id, boundary AS b, ST_X(ST_Centroid(boundary)) AS cx, ST_Y(ST_Centroid(boundary)) AS cy,
                    ST_XMin(boundary) AS x0, ST_YMin(boundary) AS y0, ST_XMax(boundary) AS x1, ST_YMax(boundary) AS y1
               FROM zones WHERE id = $1),
  avoid AS (
    SELECT ST_Intersection(z.b, ST_UnaryUnion(ST_Collect(g), 1e-9), 1e-9) AS g FROM z, (
      SELECT ST_SetSRID(ST_Buffer(r.geom::geography, 50)::geometry, 4490) AS g FROM immovable_relics r, z WHERE ST_Intersects(r.geom, z.b)
      UNION ALL SELECT r.protection_range FROM immovable_relics r, z WHERE r.protection_range && z.b AND ST_Intersects(r.protection_range, z.b)
      UNION ALL SELECT ST_SetSRID(ST_Buffer(c.geom::geography, 30)::geometry, 4490) FROM coring_points c, z
                 WHERE ST_Intersects(c.geom, z.b) AND c.result IN ('cultural_layer', 'tomb', 'feature')) parts
    GROUP BY z.b),
  rel AS (
    SELECT ST_Difference(ST_Intersection(z.b, ST_Union(
             ST_MakeEnvelope(z.cx, z.y0 - 0.01, z.x1 + 0.01, z.cy, 4490),
             CASE WHEN $2::float8 > 0 THEN ST_MakeEnvelope(z.cx - $2::float8 / (${M_PER_DEG_LAT} * cos(radians(z.cy))), z.y0 - 0.01, z.cx, z.cy, 4490)
                  ELSE 'SRID=4490;POLYGON EMPTY'::geometry END), 1e-9),
           coalesce((SELECT g FROM avoid), 'SRID=4490;POLYGON EMPTY'::geometry), 1e-9) AS g
      FROM z),
  expl AS (SELECT ST_Difference(ST_Difference(z.b, coalesce((SELECT g FROM avoid), 'SRID=4490;POLYGON EMPTY'::geometry), 1e-9), (SELECT g FROM rel), 1e-9) AS g FROM z),
  cats AS (SELECT 'avoidance' AS category, g FROM avoid UNION ALL SELECT 'release', g FROM rel UNION ALL SELECT 'exploration', g FROM expl)
  SELECT c.category, d.geom
    FROM cats c, ST_Dump(ST_CollectionExtract(c.g, 3)) d
   WHERE ST_Area(d.geom::geography) > 1`;

const RATIONALE: Record<string, string> = {
  avoidance: '演示数据：已登记不可移动文物的保护范围及其周边50米、阳性探孔周边30米，划为避让区。',
  exploration: '演示数据：大孔距实探未发现遗存但密度不足以释放，土地出让前须进行考古勘探。',
  release: '演示数据：大孔距实探均为阴性或扰土，无已登记文物，在承诺基础上释放。',
};

async function principalOf(db: DataSource, ctx: SeedContext, username: string): Promise<Actor> {
  const principal = await new AuthRepository(db).findPrincipalByUserId(ctx.userIds.get(username)!);
  if (!principal) throw new Error(`seed: demo account ${username} missing`);
  return { principal, correlationId: null, system: 'seed' };
}

/** A draft of the zone with areas cut in SQL (one INSERT … SELECT, audited), then submitted with justified warnings. */
async function draftAndSubmit(svc: ZoningService, ctx: SeedContext, assessor: Actor, zoneId: string, basedOn: string | null, extraReleaseM: number): Promise<string> {
  const plan = await svc.create(assessor, { zoneId, ...(basedOn ? { basedOn } : {}) });
  await ctx.db.transaction(async (m: EntityManager) => {
    await m.query(`DELETE FROM zoning_areas WHERE plan_id = $1`, [plan.id]);
    const rows: Array<{ n: number }> = await m.query(
      `WITH ins AS (INSERT INTO zoning_areas (plan_id, category, geom, rationale)
                    SELECT $3, a.category, a.geom, ($4::jsonb) ->> a.category FROM (${AREAS_SQL}) a RETURNING id)
       SELECT count(*)::int AS n FROM ins`,
      [zoneId, extraReleaseM, plan.id, JSON.stringify(RATIONALE)],
    );
    await m.query(`UPDATE zoning_plans SET row_version = row_version + 1 WHERE id = $1`, [plan.id]);
    await ctx.audit.record(m, assessor, { action: 'zoning_plan.area_add', entityType: 'zoning_plan', entityId: plan.id, reason: 'demo data (areas cut from the zone polygon)', after: { areas: rows[0]!.n } });
  });
  const check = await svc.validate(assessor.principal!, plan.id, {}, 'zh-CN');
  const problems = 'sync' in check ? check.sync.problems : [];
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`seed: demo plan has validation errors: ${errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
  const justifications = Object.fromEntries(problems.map((p) => [p.key, '演示数据：自动划分产生的细小边角，已现场核实。']));
  await svc.act(assessor, plan.id, 'submit', { justifications }, 'zh-CN');
  return plan.id;
}

export const zoningSeedStep: SeedStep = {
  name: 'zoning plans (demo: Tunliu v1 issued → v2 issued; Changzhi hi-tech submitted)',
  async run(m, ctx) {
    const zones: Array<{ id: string; code: string; plans: number }> = await m.query(
      `SELECT z.id, z.code, (SELECT count(*)::int FROM zoning_plans p WHERE p.zone_id = z.id) AS plans FROM zones z WHERE z.code = ANY($1)`,
      [[TUNLIU, CHANGZHI]],
    );
    const db = ctx.db;
    const svc = new ZoningService(db, new ZoningRepository(), new ZoningValidationRepository(), new ScopeService(db), ctx.audit, new LocalDiskStorage(ctx.config), ctx.config, ctx.clock);
    const assessor = await principalOf(db, ctx, 'assessor');
    const reviewer = await principalOf(db, ctx, 'reviewer');

    const tunliu = zones.find((z) => z.code === TUNLIU);
    if (tunliu && tunliu.plans === 0) {
      const v1 = await draftAndSubmit(svc, ctx, assessor, tunliu.id, null, 0);
      await svc.act(reviewer, v1, 'approve', {}, 'zh-CN');
      await svc.act(reviewer, v1, 'issue', {}, 'zh-CN');
      const v2 = await draftAndSubmit(svc, ctx, assessor, tunliu.id, v1, 450);
      await svc.act(reviewer, v2, 'approve', {}, 'zh-CN');
      const issued = await svc.act(reviewer, v2, 'issue', {}, 'zh-CN');
      ctx.log(`zoning: ${TUNLIU} v1 superseded, v2 issued as ${issued.documentNumber}`);
    }
    const changzhi = zones.find((z) => z.code === CHANGZHI);
    if (changzhi && changzhi.plans === 0) {
      await draftAndSubmit(svc, ctx, assessor, changzhi.id, null, 0);
      ctx.log(`zoning: ${CHANGZHI} v1 submitted, waiting for review`);
    }
  },
};
