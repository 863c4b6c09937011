import { EntityManager } from 'typeorm';
import type { SeedContext, SeedStep } from '../seed';

/**
 * Demo field evidence (synthetic, labelled 演示): the demo industrial zones at different assessment
 * stages, zig-zag sweep tracks clipped to each surveyed zone, observations scattered with a fixed seed,
 * and a few registered relics with protection ranges. Everything is placed deterministically, so two
 * seeded databases look the same. Zones that already have an assessment are left alone.
 */
interface DemoAssessment {
  zone: string;
  state: 'planned' | 'surveying' | 'coring' | 'zoning' | 'concluded';
  title: string;
  /** days before "now" the survey started (null: not started) */
  startedDaysAgo: number | null;
  concludedDaysAgo?: number;
  /** sweep lines: spacing in metres and the share of the zone's height walked so far (0..1) */
  sweep: { spacingM: number; share: number } | null;
  observations: number;
  seed: number;
}

const DEMO_ASSESSMENTS: DemoAssessment[] = [
  { zone: 'SX-CZ-TLETDZ', state: 'concluded', title: '屯留经济技术开发区区域文物保护评估（演示）', startedDaysAgo: 240, concludedDaysAgo: 120, sweep: { spacingM: 100, share: 1 }, observations: 24, seed: 11 },
  { zone: 'SX-CZ-CZHTZ', state: 'zoning', title: '长治高新区区域文物保护评估（演示）', startedDaysAgo: 150, sweep: { spacingM: 100, share: 1 }, observations: 28, seed: 12 },
  { zone: 'SX-JC-GPETDZ', state: 'coring', title: '高平经济技术开发区区域文物保护评估（演示）', startedDaysAgo: 80, sweep: { spacingM: 100, share: 1 }, observations: 18, seed: 13 },
  { zone: 'SX-JC-JCETDZ', state: 'surveying', title: '晋城经济技术开发区区域文物保护评估（演示）', startedDaysAgo: 12, sweep: { spacingM: 120, share: 0.45 }, observations: 11, seed: 14 },
  { zone: 'SX-JC-YCETDZ', state: 'planned', title: '阳城经济技术开发区区域文物保护评估（演示）', startedDaysAgo: null, sweep: null, observations: 0, seed: 15 },
];

const PERIODS = ['仰韶文化', '龙山文化', '商周', '汉', '唐宋', '明清'];
const KIND_NOTES: Record<string, string> = {
  surface_scatter: '地表散见陶片、瓦片',
  section_exposure: '断面可见灰坑、文化层堆积',
  relic_check: '不可移动文物现状核查',
};

/** Relics (all synthetic): `at` picks a seeded point inside the zone, at least 400 m from its edge. */
interface DemoRelic {
  code: string; zone: string; name: string; level: 'national' | 'provincial' | 'city' | 'county' | 'unlisted'; period: string;
  seed: number; shape: 'point' | 'polygon'; rangeM: number | null; controlM: number | null; description: string;
}
const DEMO_RELICS: DemoRelic[] = [
  { code: 'DEMO-140405-001', zone: 'SX-CZ-TLETDZ', name: '西贾古墓（演示）', level: 'county', period: '汉', seed: 101, shape: 'point', rangeM: 50, controlM: 100, description: '县级文物保护单位；封土已平，保护范围为墓葬中心外扩 50 米，建设控制地带外扩 100 米（演示数据）' },
  { code: 'DEMO-140405-002', zone: 'SX-CZ-TLETDZ', name: '余吾古城址残段（演示）', level: 'provincial', period: '战国—汉', seed: 102, shape: 'polygon', rangeM: 30, controlM: 80, description: '夯土城墙残段，地表可见（演示数据）' },
  { code: 'DEMO-140405-003', zone: 'SX-CZ-TLETDZ', name: '河神庙旧址（演示）', level: 'unlisted', period: '清', seed: 103, shape: 'point', rangeM: null, controlM: null, description: '尚未核定公布为文物保护单位的不可移动文物，未划定保护范围（演示数据）' },
  { code: 'DEMO-140581-001', zone: 'SX-JC-GPETDZ', name: '寺庄古墓群（演示）', level: 'city', period: '宋金', seed: 201, shape: 'polygon', rangeM: 50, controlM: 150, description: '市级文物保护单位（演示数据）' },
  { code: 'DEMO-140403-001', zone: 'SX-CZ-CZHTZ', name: '东庄遗址（演示）', level: 'county', period: '龙山文化', seed: 301, shape: 'point', rangeM: 80, controlM: 200, description: '县级文物保护单位（演示数据）' },
];

const DAY_MS = 86_400_000;

async function seedAssessment(m: EntityManager, ctx: SeedContext, a: DemoAssessment, zoneId: string, assessorId: string): Promise<void> {
  const existing: unknown[] = await m.query(`SELECT 1 FROM assessments WHERE zone_id = $1`, [zoneId]);
  if (existing.length) return;
  const now = ctx.clock.now();
  const createdAt = new Date(now.getTime() - ((a.startedDaysAgo ?? 5) + 10) * DAY_MS);
  const startedAt = a.startedDaysAgo === null ? null : new Date(now.getTime() - a.startedDaysAgo * DAY_MS);
  const concludedAt = a.concludedDaysAgo === undefined ? null : new Date(now.getTime() - a.concludedDaysAgo * DAY_MS);
  const [row] = (await m.query(
    `INSERT INTO assessments (zone_id, state, title, started_at, concluded_at, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6, $7::timestamptz, coalesce($5::timestamptz, $4::timestamptz, $7::timestamptz)) RETURNING id`,
    [zoneId, a.state, a.title, startedAt, concludedAt, assessorId, createdAt],
  )) as Array<{ id: string }>;
  const id = row!.id;
  await m.query(`INSERT INTO assessment_members (assessment_id, user_id, team_role, added_at) VALUES ($1, $2, 'lead', $3)`, [id, assessorId, createdAt]);
  await ctx.audit.record(m, ctx.actor, {
    action: 'assessment.create', entityType: 'assessment', entityId: id, reason: 'demo data (synthetic)',
    after: { zone: a.zone, state: a.state, title: a.title, lead: 'assessor' },
  });

  if (a.sweep && startedAt) {
    // Boustrophedon sweep lines across the zone's bounding box, a few bands per track, clipped to the boundary.
    const [box] = (await m.query(
      `SELECT ST_XMin(boundary) AS x0, ST_YMin(boundary) AS y0, ST_XMax(boundary) AS x1, ST_YMax(boundary) AS y1 FROM zones WHERE id = $1`,
      [zoneId],
    )) as Array<{ x0: number; y0: number; x1: number; y1: number }>;
    const b = box!;
    const dLat = a.sweep.spacingM / 110_540;
    const passes = Math.max(2, Math.floor(((b.y1 - b.y0) * a.sweep.share) / dLat));
    const passesPerTrack = 8;
    const tracks: Array<{ name: string; coords: number[][]; recordedAt: string }> = [];
    for (let t = 0; t * passesPerTrack < passes; t++) {
      const coords: number[][] = [];
      for (let i = t * passesPerTrack; i < Math.min(passes, (t + 1) * passesPerTrack); i++) {
        const y = b.y0 + (i + 0.5) * dLat;
        const wobble = (((i * 7919 + a.seed * 104729) % 1000) / 1000 - 0.5) * dLat * 0.3; // a walker never keeps a perfect line
        const [xa, xb] = i % 2 === 0 ? [b.x0 - 0.001, b.x1 + 0.001] : [b.x1 + 0.001, b.x0 - 0.001];
        coords.push([xa, y], [xb, y + wobble]);
      }
      const day = new Date(startedAt.getTime() + t * DAY_MS);
      tracks.push({ name: `拉网调查第 ${t + 1} 段（演示）`, coords, recordedAt: day.toISOString() });
    }
    await m.query(
      `INSERT INTO survey_tracks (assessment_id, zone_id, name, geom, recorded_at, recorded_by, created_at)
       SELECT $1, z.id, t.name, ST_Multi(ST_CollectionExtract(ST_Intersection(z.boundary, ST_SetSRID(ST_GeomFromGeoJSON(t.geometry), 4490)), 2)),
              t.recorded_at, $3, t.recorded_at
         FROM zones z, jsonb_to_recordset($4::jsonb) AS t(name text, geometry jsonb, recorded_at timestamptz)
        WHERE z.id = $2 AND NOT ST_IsEmpty(ST_CollectionExtract(ST_Intersection(z.boundary, ST_SetSRID(ST_GeomFromGeoJSON(t.geometry), 4490)), 2))`,
      [id, zoneId, assessorId, JSON.stringify(tracks.map((t) => ({ name: t.name, geometry: { type: 'LineString', coordinates: t.coords }, recorded_at: t.recordedAt })))],
    );
  }

  if (a.observations > 0 && startedAt) {
    // Seeded random points (ST_GeneratePoints with a seed is deterministic); for a partial sweep only in the walked part.
    await m.query(
      `INSERT INTO survey_observations (assessment_id, zone_id, geom, kind, period, description, observed_at, recorded_by, created_at, updated_at)
       SELECT $1, z.id, d.geom,
              (ARRAY['surface_scatter', 'surface_scatter', 'section_exposure', 'relic_check'])[1 + d.path[1] % 4],
              ($5::text[])[1 + d.path[1] % array_length($5::text[], 1)],
              NULL, $6::timestamptz + (d.path[1] || ' hours')::interval, $3, $6, $6
         FROM zones z,
              LATERAL ST_Dump(ST_GeneratePoints(
                ST_Intersection(z.boundary, ST_MakeEnvelope(ST_XMin(z.boundary), ST_YMin(z.boundary), ST_XMax(z.boundary),
                                                            ST_YMin(z.boundary) + (ST_YMax(z.boundary) - ST_YMin(z.boundary)) * $7, 4490)),
                $4, $8)) AS d
        WHERE z.id = $2`,
      [id, zoneId, assessorId, a.observations, PERIODS, startedAt, a.sweep?.share ?? 1, a.seed],
    );
    await m.query(
      `UPDATE survey_observations SET description = (($2::jsonb) ->> kind) || '（演示数据）' WHERE assessment_id = $1`,
      [id, JSON.stringify(KIND_NOTES)],
    );
  }
}

async function seedRelics(m: EntityManager, ctx: SeedContext): Promise<void> {
  const now = ctx.clock.now();
  const rows = DEMO_RELICS.filter((r) => ctx.zoneIds.has(r.zone)).map((r) => ({ ...r, zone_id: ctx.zoneIds.get(r.zone)! }));
  // One statement: a seeded point ≥ 400 m inside the zone; a point relic stays a point, a polygon relic is a
  // small irregular quadrilateral around it; ranges are geodesic buffers (only where the demo defines them).
  const inserted: Array<{ id: string; code: string }> = await m.query(
    `WITH src AS (
       SELECT r.*, (ST_Dump(ST_GeneratePoints(ST_SetSRID(ST_Buffer(z.boundary::geography, -400)::geometry, 4490), 1, r.seed))).geom AS pt,
              z.division_code
         FROM jsonb_to_recordset($1::jsonb) AS r(code text, zone_id uuid, name text, level text, period text, seed int, shape text,
                                                  "rangeM" float8, "controlM" float8, description text)
         JOIN zones z ON z.id = r.zone_id
     ), shaped AS (
       SELECT src.*,
              CASE WHEN shape = 'point' THEN pt
                   ELSE ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[
                          ST_MakePoint(ST_X(pt) - 0.0011, ST_Y(pt) - 0.0006), ST_MakePoint(ST_X(pt) + 0.0012, ST_Y(pt) - 0.0005),
                          ST_MakePoint(ST_X(pt) + 0.0010, ST_Y(pt) + 0.0007), ST_MakePoint(ST_X(pt) - 0.0009, ST_Y(pt) + 0.0006),
                          ST_MakePoint(ST_X(pt) - 0.0011, ST_Y(pt) - 0.0006)])), 4490) END AS g
         FROM src
     )
     INSERT INTO immovable_relics (code, name, protection_level, period, geom, protection_range, control_zone, zone_id, division_code,
                                   description, created_at, updated_at)
     SELECT code, name, level, period, g,
            CASE WHEN "rangeM" IS NULL THEN NULL ELSE ST_Multi(ST_SetSRID(ST_Buffer(g::geography, "rangeM")::geometry, 4490)) END,
            CASE WHEN "controlM" IS NULL THEN NULL ELSE ST_Multi(ST_SetSRID(ST_Buffer(g::geography, "controlM")::geometry, 4490)) END,
            zone_id, division_code, description, $2, $2
       FROM shaped
     ON CONFLICT (code) DO NOTHING
     RETURNING id, code`,
    [JSON.stringify(rows.map((r) => ({ code: r.code, zone_id: r.zone_id, name: r.name, level: r.level, period: r.period, seed: r.seed, shape: r.shape, rangeM: r.rangeM, controlM: r.controlM, description: r.description }))), now],
  );
  if (inserted.length) {
    await ctx.audit.record(m, ctx.actor, {
      action: 'relic.import', entityType: 'relic_register', entityId: 'demo', reason: 'demo data (synthetic relics)',
      after: { count: inserted.length, ids: inserted.map((r) => r.id), codes: inserted.map((r) => r.code) },
    });
  }
}

export const evidenceSeedStep: SeedStep = {
  name: 'assessments, sweep survey and relics (demo)',
  async run(m, ctx) {
    const assessorId = ctx.userIds.get('assessor');
    if (!assessorId) throw new Error('the evidence seed needs the demo assessor account');
    for (const a of DEMO_ASSESSMENTS) {
      const zoneId = ctx.zoneIds.get(a.zone);
      if (zoneId) await seedAssessment(m, ctx, a, zoneId, assessorId);
    }
    await seedRelics(m, ctx);
  },
};
