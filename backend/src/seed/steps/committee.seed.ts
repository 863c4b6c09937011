import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EntityManager } from 'typeorm';
import { REPO_ROOT } from '../../infra/config/config';
import { toIsoOffset } from '../../infra/clock/time';
import { LocalDiskStorage } from '../../infra/storage/local-disk.storage';
import { AuthRepository } from '../../modules/auth/auth.repository';
import { AuthService } from '../../modules/auth/auth.service';
import { ClearanceVerdict, decideClearance } from '../../modules/clearance/clearance-verdict';
import { ClearanceRepository } from '../../modules/clearance/clearance.repository';
import { composeLetter } from '../../modules/commitments/commitment-letter';
import { renderCommitmentPdf, shanghaiDateZh } from '../../modules/commitments/commitment-pdf.renderer';
import { CommitmentsRepository } from '../../modules/commitments/commitments.repository';
import { GeoJsonGeometry } from '../../modules/spatial/geojson';
import type { SeedContext, SeedStep } from '../seed';

/**
 * The committee's part of the demo story (DOMAIN.md §6), in 屯留 SX-CZ-TLETDZ after the zoning seed
 * issued v1 and then v2: a commitment letter on v1, submitted and accepted (so v1's release land is
 * released), none yet on v2 (its new release land is pending_commitment); parcels with each verdict, their
 * shapes derived from the seeded zoning in SQL and checked with the real clearance rule; a transferred
 * parcel with an active project of the demo contractor; and a demo integrator with an API key.
 */
const TUNLIU = 'SX-CZ-TLETDZ';
const AGRI = 'SX-JZ-NYGX';
const CONTRACTOR_ORG = '山西晋通建设工程有限公司（演示）';
const INTEGRATOR = 'land-system-demo';
const KEY_FILE = resolve(REPO_ROOT, '.local', 'demo-integrator-key.txt');
const DAY_MS = 86_400_000;

interface DemoParcel {
  code: string;
  name: string;
  use: string;
  zone: string;
  want: ClearanceVerdict;
  /** SQL giving candidate centre points (geometry(Point)) for $1 = issued plan id, $2 = v1 plan id, $3 = zone id */
  candidates: string;
  transferredDaysAgo?: number;
}

/** Seeded random points inside the given areas, plus their point-on-surface: deterministic candidates. */
const pointsIn = (areas: string): string => {
  const polys = `SELECT g FROM (SELECT ST_CollectionExtract(g, 3) AS g FROM (${areas}) a0) a1 WHERE NOT ST_IsEmpty(g) AND ST_Area(g) > 0`;
  return `SELECT ST_PointOnSurface(g) AS pt, 0 AS k FROM (${polys}) a
   UNION ALL SELECT (ST_Dump(ST_GeneratePoints(g, 12, 7))).geom, 1 FROM (${polys}) a`;
};

const PARCELS: DemoParcel[] = [
  {
    code: 'TL-2026-01', name: '新材料产业园一号地块（演示）', use: '工业用地', zone: TUNLIU, want: 'cleared',
    candidates: pointsIn(`SELECT ST_Intersection(a.geom, (SELECT ST_Union(geom) FROM zoning_areas WHERE plan_id = $2 AND category = 'release')) AS g
                            FROM zoning_areas a WHERE a.plan_id = $1 AND a.category = 'release'`),
    transferredDaysAgo: 45,
  },
  {
    code: 'TL-2026-02', name: '装备制造园二号地块（演示）', use: '工业用地', zone: TUNLIU, want: 'cleared',
    candidates: pointsIn(`SELECT ST_Intersection(a.geom, (SELECT ST_Union(geom) FROM zoning_areas WHERE plan_id = $2 AND category = 'release')) AS g
                            FROM zoning_areas a WHERE a.plan_id = $1 AND a.category = 'release'`),
  },
  {
    code: 'TL-2026-03', name: '北区扩展三号地块（演示）', use: '物流仓储用地', zone: TUNLIU, want: 'pending_commitment',
    candidates: pointsIn(`SELECT ST_Difference(a.geom, coalesce((SELECT ST_Union(geom) FROM zoning_areas WHERE plan_id = $2 AND category = 'release'), 'SRID=4490;POLYGON EMPTY'::geometry)) AS g
                            FROM zoning_areas a WHERE a.plan_id = $1 AND a.category = 'release'`),
  },
  {
    code: 'TL-2026-04', name: '东区四号地块（演示）', use: '工业用地', zone: TUNLIU, want: 'exploration_required',
    candidates: pointsIn(`SELECT geom AS g FROM zoning_areas WHERE plan_id = $1 AND category = 'exploration'`),
  },
  {
    // a box around an avoidance area's vertex straddles it and its neighbours
    code: 'TL-2026-05', name: '古城址南侧五号地块（演示）', use: '商业用地', zone: TUNLIU, want: 'blocked',
    candidates: `SELECT (ST_DumpPoints(ST_ExteriorRing(geom))).geom AS pt, 0 AS k FROM zoning_areas WHERE plan_id = $1 AND category = 'avoidance'`,
  },
  {
    code: 'JZ-2026-01', name: '智慧农业示范园一号地块（演示）', use: '设施农用地', zone: AGRI, want: 'individual_survey_required',
    candidates: pointsIn(`SELECT ST_Buffer(boundary, -0.003) AS g FROM zones WHERE id = $3`),
  },
];

/** A ~100 m square around a point (half-size in degrees at Shanxi's latitude). */
const BOX_SQL = `ST_SetSRID(ST_MakeEnvelope(ST_X(pt) - 0.00056, ST_Y(pt) - 0.00045, ST_X(pt) + 0.00056, ST_Y(pt) + 0.00045), 4490)`;

async function ensureCommitment(m: EntityManager, ctx: SeedContext, zoneId: string, v1: { id: string; issued_at: Date }): Promise<string | null> {
  const existing: Array<{ id: string }> = await m.query(`SELECT id FROM commitments WHERE plan_id = $1 AND state = 'accepted'`, [v1.id]);
  if (existing[0]) return existing[0].id;
  const repo = new CommitmentsRepository(ctx.db);
  const plan = (await repo.findPlan(m, v1.id))!;
  const releaseAreas = await repo.releaseAreas(m, v1.id);
  if (!releaseAreas.length) return null;
  const committeeUser = ctx.userIds.get('committee') ?? null;
  const reviewerUser = ctx.userIds.get('reviewer') ?? null;
  // signed a week after v1 was issued, accepted three days later (never in the future)
  const now = ctx.clock.now().getTime();
  const signedAt = new Date(Math.min(v1.issued_at.getTime() + 7 * DAY_MS, now - 2 * DAY_MS));
  const decidedAt = new Date(Math.min(signedAt.getTime() + 3 * DAY_MS, now - DAY_MS));
  const facts = {
    bureauName: await repo.bureauName(m), committeeName: plan.committee_name ?? `${plan.zone_name}管理委员会`, zoneName: plan.zone_name,
    zoneCode: plan.zone_code, planVersion: plan.version, documentNumber: plan.document_number ?? '—', releaseAreas,
    signatoryName: '孙管委', signatoryTitle: '管委会主任', dateZh: shanghaiDateZh(signedAt), extraClauses: ['每季度向省文物局报送释放区土地出让和项目建设情况。'],
  };
  const letter = composeLetter(facts);
  const id = await repo.insert(m, { planId: v1.id, zoneId, signatoryName: facts.signatoryName, signatoryTitle: facts.signatoryTitle, extraClauses: facts.extraClauses, createdBy: committeeUser });
  const pdf = await renderCommitmentPdf(facts, letter, { commitmentId: id, signedAt });
  const stored = await new LocalDiskStorage(ctx.config).put('commitments', pdf, 'application/pdf');
  const fileId = await repo.insertStoredFile(m, {
    key: stored.key, sha256: stored.sha256, bytes: stored.bytes, contentType: 'application/pdf', originalName: `${facts.zoneName}承诺书-v${facts.planVersion}.pdf`, createdBy: committeeUser,
  });
  await m.query(
    `UPDATE commitments SET state = 'accepted', ${repo.freezeSet(2)}, decided_at = $7, decided_by = $8 WHERE id = $1 AND state = 'draft'`,
    [id, JSON.stringify(letter), fileId, stored.sha256, signedAt, committeeUser, decidedAt, reviewerUser],
  );
  await ctx.audit.record(m, ctx.actor, { action: 'commitment.create', entityType: 'commitment', entityId: id, reason: 'demo data', after: { planId: v1.id, planVersion: plan.version } });
  await ctx.audit.record(m, ctx.actor, { action: 'commitment.submit', entityType: 'commitment', entityId: id, reason: 'demo data', after: { state: 'submitted', pdfSha256: stored.sha256, signedAt: toIsoOffset(signedAt) } });
  await ctx.audit.record(m, ctx.actor, { action: 'commitment.accept', entityType: 'commitment', entityId: id, reason: 'demo data', after: { state: 'accepted', decidedAt: toIsoOffset(decidedAt) } });
  return id;
}

async function ensureParcel(m: EntityManager, ctx: SeedContext, d: DemoParcel, zoneId: string, planIds: { issued: string; v1: string }, clearance: ClearanceRepository): Promise<string | null> {
  const existing: Array<{ id: string }> = await m.query(`SELECT id FROM parcels WHERE zone_id = $1 AND code = $2`, [zoneId, d.code]);
  if (existing[0]) return existing[0].id;
  const candidates: Array<{ box: string }> = await m.query(
    `SELECT ST_AsGeoJSON(${BOX_SQL}, 9, 0) AS box FROM (${d.candidates}) c WHERE $1::uuid IS NOT NULL AND $2::uuid IS NOT NULL AND pt IS NOT NULL AND NOT ST_IsEmpty(pt)
       AND NOT EXISTS (SELECT 1 FROM parcels p WHERE p.zone_id = $3 AND ST_Intersects(p.geom, ${BOX_SQL}))
     ORDER BY k, ST_X(pt), ST_Y(pt) LIMIT 40`,
    [planIds.issued, planIds.v1, zoneId],
  );
  for (const c of candidates) {
    const geometry = JSON.parse(c.box) as GeoJsonGeometry;
    const measured = await clearance.measure({ geometry }, false, m);
    if (!measured?.valid || measured.zone?.id !== zoneId || decideClearance(measured.figures).verdict !== d.want) continue;
    const [row] = (await m.query(
      `INSERT INTO parcels (zone_id, code, name, planned_use, geom, area_m2, created_by)
       SELECT $1, $2, $3, $4, g, ST_Area(g::geography), $6 FROM (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4490)) AS g) s RETURNING id`,
      [zoneId, d.code, d.name, d.use, c.box, ctx.userIds.get('committee') ?? null],
    )) as Array<{ id: string }>;
    await ctx.audit.record(m, ctx.actor, { action: 'parcel.create', entityType: 'parcel', entityId: row!.id, reason: 'demo data', after: { code: d.code, name: d.name, verdict: d.want } });
    return row!.id;
  }
  ctx.log(`committee: no place found for demo parcel ${d.code} with verdict ${d.want} (the zoning seed's areas do not allow one)`);
  return null;
}

async function ensureIntegrator(m: EntityManager, ctx: SeedContext): Promise<void> {
  const auth = new AuthService(ctx.config, ctx.db, new AuthRepository(ctx.db), ctx.audit, ctx.clock);
  const bureau = ctx.orgIds.get('bureau')!;
  const [user] = (await m.query(
    `INSERT INTO users (username, display_name, org_id, is_service_account) VALUES ($1, '土地出让系统（演示）', $2, true)
     ON CONFLICT (lower(username)) DO UPDATE SET is_active = true RETURNING id, (xmax = 0) AS inserted`,
    [INTEGRATOR, bureau],
  )) as Array<{ id: string; inserted: boolean }>;
  await m.query(`DELETE FROM role_assignments WHERE user_id = $1`, [user!.id]);
  await m.query(`INSERT INTO role_assignments (user_id, role, scope_type, division_code) VALUES ($1, 'integrator', 'province', '140000')`, [user!.id]);
  if (user!.inserted) await ctx.audit.record(m, ctx.actor, { action: 'service_account.create', entityType: 'user', entityId: user!.id, reason: 'demo integrator' });

  // The key is shown once; the demo keeps it in .local so restarts reuse it. A stale file (another database) gets a new key.
  let key = existsSync(KEY_FILE) ? readFileSync(KEY_FILE, 'utf8').trim() : '';
  const prefix = /^qz_([A-Za-z0-9]{12})_/.exec(key)?.[1];
  const stored: Array<{ key_hash: string }> = prefix
    ? await m.query(`SELECT key_hash FROM api_keys WHERE prefix = $1 AND user_id = $2 AND revoked_at IS NULL`, [prefix, user!.id])
    : [];
  let reused = true;
  if (!stored[0] || stored[0].key_hash !== auth.hashApiKey(key)) {
    const fresh = auth.generateApiKey();
    const [k] = (await m.query(
      `INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at) VALUES ($1, '演示土地出让系统密钥', $2, $3, $4) RETURNING id`,
      [user!.id, fresh.prefix, fresh.hash, ctx.clock.now()],
    )) as Array<{ id: string }>;
    await ctx.audit.record(m, ctx.actor, { action: 'api_key.create', entityType: 'api_key', entityId: k!.id, reason: 'demo integrator key' });
    key = fresh.key;
    reused = false;
    if (ctx.config.env !== 'test') {
      mkdirSync(dirname(KEY_FILE), { recursive: true });
      writeFileSync(KEY_FILE, `${key}\n`, { mode: 0o600 });
    }
  }
  ctx.log(
    `演示集成方 API 密钥 demo integrator API key (${INTEGRATOR}, ${reused ? 'reused from' : 'new, saved to'} .local/demo-integrator-key.txt):\n  ${key}\n` +
      `  curl -s -X POST http://localhost:${ctx.config.port}/api/clearance -H 'X-Api-Key: ${key}' -H 'Content-Type: application/json' -d '{"zoneCode":"${TUNLIU}","parcelCode":"TL-2026-01"}'`,
  );
}

export const committeeSeedStep: SeedStep = {
  name: 'committee: commitment, parcels, project, integrator key',
  async run(m, ctx) {
    await ensureIntegrator(m, ctx);
    const zones: Array<{ id: string; code: string }> = await m.query(`SELECT id, code FROM zones WHERE code = ANY($1::text[])`, [[TUNLIU, AGRI]]);
    const zoneId = new Map(zones.map((z) => [z.code, z.id]));
    const tunliu = zoneId.get(TUNLIU);
    if (!tunliu) return;
    const plans: Array<{ id: string; version: number; state: string; issued_at: Date }> = await m.query(
      `SELECT id, version, state, issued_at FROM zoning_plans WHERE zone_id = $1 AND state IN ('issued', 'superseded') ORDER BY version`,
      [tunliu],
    );
    const issued = plans.find((p) => p.state === 'issued');
    const v1 = plans[0];
    if (!issued || !v1) {
      ctx.log('committee: 屯留 has no issued zoning plan yet (the zoning seed step runs first); commitment and parcels not seeded');
      return;
    }
    await ensureCommitment(m, ctx, tunliu, v1);
    const clearance = new ClearanceRepository(ctx.db);
    const ids = new Map<string, string>();
    for (const d of PARCELS) {
      const z = zoneId.get(d.zone);
      if (!z) continue;
      const id = await ensureParcel(m, ctx, d, z, { issued: issued.id, v1: v1.id }, clearance);
      if (id) ids.set(d.code, id);
    }
    const transferred = PARCELS.find((d) => d.transferredDaysAgo !== undefined)!;
    const parcelId = ids.get(transferred.code);
    const contractor: Array<{ id: string }> = await m.query(`SELECT id FROM organizations WHERE name = $1`, [CONTRACTOR_ORG]);
    if (parcelId && contractor[0]) {
      const at = new Date(ctx.clock.now().getTime() - transferred.transferredDaysAgo! * DAY_MS);
      const updated: unknown[] = await m.query(`UPDATE parcels SET transferred_at = $2, transferred_by = $3 WHERE id = $1 AND transferred_at IS NULL RETURNING id`, [parcelId, at, ctx.userIds.get('committee') ?? null]);
      if (updated.length) await ctx.audit.record(m, ctx.actor, { action: 'parcel.transfer', entityType: 'parcel', entityId: parcelId, reason: 'demo data', after: { transferredAt: toIsoOffset(at) } });
      const project: unknown[] = await m.query(`SELECT 1 FROM projects WHERE parcel_id = $1`, [parcelId]);
      if (!project.length) {
        const [p] = (await m.query(
          `INSERT INTO projects (parcel_id, zone_id, name, contractor_org_id, state, created_by) VALUES ($1, $2, '晋通新材料厂房一期（演示）', $3, 'active', $4) RETURNING id`,
          [parcelId, tunliu, contractor[0].id, ctx.userIds.get('committee') ?? null],
        )) as Array<{ id: string }>;
        await ctx.audit.record(m, ctx.actor, { action: 'project.create', entityType: 'project', entityId: p!.id, reason: 'demo data', after: { parcelId, contractor: CONTRACTOR_ORG, state: 'active' } });
      }
    }
  },
};
