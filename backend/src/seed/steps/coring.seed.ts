import { EntityManager } from 'typeorm';
import { gaussKrugerSrid } from '../../modules/coring/core-result';
import { codePrefix } from '../../modules/coring/coring.repository';
import type { SeedContext, SeedStep } from '../seed';

/**
 * Demo coring (synthetic, 演示): in every demo zone whose assessment is coring, zoning or concluded, a
 * 40 m quincunx grid (thousands of cores per zone) laid out in the zone's Gauss–Krüger projection, with
 * positive results clustered around two or three fixed centres and the rest negative (a few disturbed).
 * Random draws are md5 hashes of the zone code and lattice indexes, so every seeded database looks the
 * same. One INSERT … SELECT per zone; a zone whose assessment already has cores is left alone.
 */
const SPACING_M = 40;
/** share of cores disturbed by modern works (outside the clusters) */
const DISTURBED_SHARE = 0.03;

/**
 * A cluster of positive cores: centre offset (metres east/north of the zone centroid, in the projection),
 * spread σ, the chance of a positive core at the centre (falling off as a Gaussian, cut at 3σ), and the mix
 * of what is found there: `cl` cultural layer, `tomb`, the rest features.
 */
interface Cluster { dx: number; dy: number; sigma: number; peak: number; cl: number; tomb: number }

const CLUSTERS: Record<string, Cluster[]> = {
  // Tunliu (SX-CZ-TLETDZ): all three clusters stay out of the zone's south-east quarter (east of AND south
  // of the centroid), where the zoning demo draws release areas:
  //   north-west  (−900 m E, +700 m N) σ 180 m — a settlement: cultural layer with some features;
  //   north-east  (+650 m E, +950 m N) σ 150 m — a cemetery: mostly tombs (reaches no lower than +500 m N);
  //   south-west (−1000 m E, −600 m N) σ 140 m — pits and features (reaches no further east than −580 m E).
  'SX-CZ-TLETDZ': [
    { dx: -900, dy: 700, sigma: 180, peak: 0.85, cl: 0.7, tomb: 0.05 },
    { dx: 650, dy: 950, sigma: 150, peak: 0.8, cl: 0.15, tomb: 0.7 },
    { dx: -1000, dy: -600, sigma: 140, peak: 0.75, cl: 0.3, tomb: 0.05 },
  ],
  // Changzhi hi-tech zone: a large settlement east of the centre and a small cemetery to the south-west.
  'SX-CZ-CZHTZ': [
    { dx: 800, dy: 200, sigma: 260, peak: 0.8, cl: 0.75, tomb: 0.05 },
    { dx: -700, dy: -900, sigma: 130, peak: 0.75, cl: 0.1, tomb: 0.75 },
  ],
  // Gaoping: tombs near the registered demo cemetery in the north, a settlement to the south.
  'SX-JC-GPETDZ': [
    { dx: -300, dy: 800, sigma: 170, peak: 0.8, cl: 0.2, tomb: 0.65 },
    { dx: 500, dy: -600, sigma: 200, peak: 0.8, cl: 0.7, tomb: 0.05 },
  ],
};
const DEFAULT_CLUSTERS: Cluster[] = [
  { dx: -600, dy: 400, sigma: 180, peak: 0.8, cl: 0.6, tomb: 0.15 },
  { dx: 500, dy: -500, sigma: 150, peak: 0.75, cl: 0.3, tomb: 0.4 },
];

/** Share of the zone (by rows, from the south) already cored at each stage. */
const CORED_SHARE: Record<string, number> = { coring: 0.6, zoning: 1, concluded: 1 };

const STRATIGRAPHY: Record<string, string> = {
  negative: '①耕土层 0–0.3 米；②扰土 0.3–0.8 米；③黄褐色生土，未见文化遗存',
  cultural_layer: '①耕土层 0–0.3 米；②灰褐色文化层 0.8–1.6 米，含陶片、炭粒、红烧土块；③生土',
  tomb: '①耕土层 0–0.3 米；②五花土填土，土质较硬，疑为墓葬填土，近底部见朽木痕迹',
  feature: '①耕土层 0–0.3 米；②灰坑堆积，灰黑色，含灰烬与陶片；③生土',
  disturbed: '现代扰土至 1.5 米以下，含砖块、塑料，原生地层已破坏',
};

interface Target {
  assessment_id: string; state: string; zone_id: string; zone_code: string; started_at: Date | null; concluded_at: Date | null;
  centroid_lon: number;
}

async function seedZone(m: EntityManager, ctx: SeedContext, t: Target, recordedBy: string | null): Promise<number> {
  const srid = gaussKrugerSrid(t.centroid_lon);
  const [frame] = (await m.query(
    `SELECT ST_XMin(g) AS x0, ST_YMin(g) AS y0, ST_XMax(g) AS x1, ST_YMax(g) AS y1, ST_X(ST_Centroid(g)) AS cx, ST_Y(ST_Centroid(g)) AS cy
       FROM (SELECT ST_Transform(boundary, $2::int) AS g FROM zones WHERE id = $1) s`,
    [t.zone_id, srid],
  )) as Array<{ x0: number; y0: number; x1: number; y1: number; cx: number; cy: number }>;
  const f = frame!;
  // PostGIS functions are priced so high that the planner would JIT-compile this (~1 s for ~0.1 s of work)
  await m.query(`SET LOCAL jit = off`);
  const now = ctx.clock.now();
  const start = t.started_at ?? new Date(now.getTime() - 30 * 86_400_000);
  const end = t.concluded_at ?? now;
  const rows: Array<{ n: string }> = await m.query(
    `WITH area AS MATERIALIZED (SELECT ST_Transform(z.boundary, $2::int) AS g FROM zones z WHERE z.id = $1),
          pts AS (
            SELECT j, i, xy.x, xy.y, ST_SetSRID(ST_MakePoint(xy.x, xy.y), $2::int) AS p
              FROM generate_series($3::bigint, $4::bigint) AS j, generate_series($5::bigint, $6::bigint) AS i,
                   LATERAL (SELECT i * $7::float8 + CASE WHEN j % 2 <> 0 THEN $7::float8 / 2 ELSE 0 END AS x, j * $7::float8 AS y) xy, area
             WHERE ST_Intersects(ST_SetSRID(ST_MakePoint(xy.x, xy.y), $2::int), area.g)),
          rnd AS (
            SELECT pts.*, h.h,
                   ('x' || substr(h.h, 1, 8))::bit(32)::bigint / 4294967296.0 AS u1,
                   ('x' || substr(h.h, 9, 8))::bit(32)::bigint / 4294967296.0 AS u2,
                   ('x' || substr(h.h, 17, 8))::bit(32)::bigint / 4294967296.0 AS u3
              FROM pts, LATERAL (SELECT md5($8::text || ':' || pts.j || ':' || pts.i) AS h) h),
          near AS (
            SELECT rnd.*, best.prob, best.cl, best.tomb
              FROM rnd LEFT JOIN LATERAL (
                SELECT k.peak * exp(-(power(rnd.x - $9::float8 - k.dx, 2) + power(rnd.y - $10::float8 - k.dy, 2)) / (2 * k.sigma * k.sigma)) AS prob, k.cl, k.tomb
                  FROM jsonb_to_recordset($11::jsonb) AS k(dx float8, dy float8, sigma float8, peak float8, cl float8, tomb float8)
                 WHERE power(rnd.x - $9::float8 - k.dx, 2) + power(rnd.y - $10::float8 - k.dy, 2) < power(3 * k.sigma, 2)
                 ORDER BY 1 DESC LIMIT 1) best ON true),
          res AS (
            SELECT near.*,
                   CASE WHEN near.prob IS NOT NULL AND near.u1 < near.prob THEN
                          CASE WHEN near.u2 < near.cl THEN 'cultural_layer' WHEN near.u2 < near.cl + near.tomb THEN 'tomb' ELSE 'feature' END
                        WHEN near.u1 > 1 - $12::float8 THEN 'disturbed'
                        ELSE 'negative' END AS outcome,
                   (near.y - $13::float8) / ($14::float8 - $13::float8) AS progress
              FROM near),
          ins AS (
            INSERT INTO coring_points (assessment_id, zone_id, code, geom, status, depth_m, result, stratigraphy, cored_at, recorded_by, created_at, updated_at)
            SELECT $15::uuid, $1::uuid, $16::text || '-' || lpad((row_number() OVER (ORDER BY j, i))::text, 6, '0'), ST_Transform(p, 4490),
                   CASE WHEN cored THEN 'cored' ELSE 'planned' END,
                   CASE WHEN cored THEN round((CASE outcome WHEN 'negative' THEN 2.5 + 2 * u3 WHEN 'disturbed' THEN 1.0 + u3 ELSE 1.2 + 2.3 * u3 END)::numeric, 2) END,
                   CASE WHEN cored THEN outcome END,
                   CASE WHEN cored THEN ($17::jsonb ->> outcome) || '（演示）' END,
                   CASE WHEN cored THEN $18::timestamptz + ($19::timestamptz - $18::timestamptz) * (0.05 + 0.9 * least(1.0, progress / $20::float8)) END,
                   CASE WHEN cored THEN $21::uuid END,
                   $22::timestamptz, $22::timestamptz
              FROM (SELECT res.*, res.progress <= $20::float8 AS cored FROM res) r
            RETURNING 1)
     SELECT count(*)::text AS n FROM ins`,
    [
      t.zone_id, srid,
      Math.floor(f.y0 / SPACING_M), Math.ceil(f.y1 / SPACING_M), Math.floor(f.x0 / SPACING_M) - 1, Math.ceil(f.x1 / SPACING_M),
      SPACING_M, t.zone_code, f.cx, f.cy, JSON.stringify(CLUSTERS[t.zone_code] ?? DEFAULT_CLUSTERS), DISTURBED_SHARE,
      f.y0, f.y1, t.assessment_id, codePrefix(t.zone_code), JSON.stringify(STRATIGRAPHY), start, end,
      CORED_SHARE[t.state] ?? 1, recordedBy, now,
    ],
  );
  return Number(rows[0]!.n);
}

export const coringSeedStep: SeedStep = {
  name: 'coring grids with clustered positive cores (demo)',
  async run(m, ctx) {
    const targets: Target[] = await m.query(
      `SELECT a.id AS assessment_id, a.state, a.zone_id, z.code AS zone_code, a.started_at, a.concluded_at,
              ST_X(ST_Centroid(z.boundary)) AS centroid_lon
         FROM assessments a JOIN zones z ON z.id = a.zone_id
        WHERE z.is_demo AND a.state IN ('coring', 'zoning', 'concluded')
          AND NOT EXISTS (SELECT 1 FROM coring_points c WHERE c.assessment_id = a.id)
        ORDER BY z.code`,
    );
    const assessor: Array<{ id: string }> = await m.query(`SELECT id FROM users WHERE username = 'assessor'`);
    for (const t of targets) {
      const n = await seedZone(m, ctx, t, assessor[0]?.id ?? null);
      ctx.log(`  ${t.zone_code}: ${n} cores (${t.state})`);
      await ctx.audit.record(m, ctx.actor, {
        action: 'cores.grid', entityType: 'assessment', entityId: t.assessment_id, reason: 'demo data (synthetic)',
        after: { created: n, spacingM: SPACING_M, pattern: 'quincunx', coredShare: CORED_SHARE[t.state] ?? 1 },
      });
    }
  },
};
