import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { SystemClock } from '../src/infra/clock/clock';
import { createApp } from '../src/create-app';
import { ClearanceRepository } from '../src/modules/clearance/clearance.repository';
import { AuthService } from '../src/modules/auth/auth.service';
import { benchDatabase } from './bench-database';

/**
 * Clearance check latency and throughput (issue 5): `POST /api/clearance` over real HTTP with an
 * integrator key at 1, 4 and 16 concurrent clients, against 1,000 zoning areas of 40 issued plans spread
 * over the province — next to the SAME SQL statement run by pgbench, so the ratio shows what the API adds
 * (HTTP, validation, API-key lookup and rate-limit counter in Redis, JSON shaping).
 *
 * It builds its own database from the migrated template and drops it afterwards; the demo data is not
 * touched. Figures depend on the machine (and on whoever else is using its CPUs).
 */

const exec = promisify(execFile);
const CONCURRENCY = [1, 4, 16];
const ZONES = 40;
const GRID = 5; // 5 × 5 areas per zone → 1,000 areas
const SHAPES = 200;
const API_REQUESTS_PER_LEVEL = 300;
const PGBENCH_SECONDS = 8;

export interface LevelResult {
  clients: number;
  api: { medianMs: number; p95Ms: number; perSecond: number; requests: number };
  pgbench: { medianMs: number; p95Ms: number; perSecond: number; transactions: number } | null;
}

export interface BenchContext {
  log?: (line: string) => void;
}

const quantile = (sorted: number[], q: number): number => {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
};
const r2 = (n: number): number => Math.round(n * 100) / 100;

/** 40 industrial zones on a grid over Shanxi, each with an issued plan of 25 areas, and accepted letters for half of them. */
async function buildProvince(db: Pool): Promise<void> {
  await db.query(`INSERT INTO divisions (code, name, level, path) VALUES ('140000', '山西省', 'province', '140000') ON CONFLICT DO NOTHING`);
  await db.query(`INSERT INTO organizations (type, name, division_code) VALUES ('bureau', '山西省文物局', '140000') ON CONFLICT DO NOTHING`);
  await db.query(
    `INSERT INTO zones (code, name, category, level, division_code, boundary, area_m2)
     SELECT 'BENCH-' || i, '基准开发区 ' || i, 'industrial', 'provincial', '140000', ST_Multi(g), ST_Area(g::geography)
       FROM generate_series(0, $1 - 1) i,
            LATERAL (SELECT ST_MakeEnvelope(110.8 + (i % 8) * 0.4, 35.4 + (i / 8) * 0.8, 110.8 + (i % 8) * 0.4 + 0.03, 35.4 + (i / 8) * 0.8 + 0.03, 4490) AS g) s`,
    [ZONES],
  );
  const file = await db.query(`INSERT INTO stored_files (storage_key, sha256, bytes, content_type) VALUES ('bench/opinion', $1, 0, 'application/pdf') RETURNING id`, ['2'.repeat(64)]);
  await db.query(
    `INSERT INTO zoning_plans (zone_id, version, state, issued_at, document_number, opinion_file_id)
     SELECT id, 1, 'issued', now(), 'BENCH〔2026〕' || code, $1 FROM zones WHERE code LIKE 'BENCH-%'`,
    [file.rows[0].id],
  );
  await db.query(
    `INSERT INTO zoning_areas (plan_id, category, geom)
     SELECT p.id, (ARRAY['avoidance', 'exploration', 'release', 'release', 'release'])[1 + (cx * 2 + cy) % 5],
            ST_MakeEnvelope(ST_XMin(z.boundary) + cx * 0.006, ST_YMin(z.boundary) + cy * 0.006,
                            ST_XMin(z.boundary) + (cx + 1) * 0.006, ST_YMin(z.boundary) + (cy + 1) * 0.006, 4490)
       FROM zoning_plans p JOIN zones z ON z.id = p.zone_id, generate_series(0, $1 - 1) cx, generate_series(0, $1 - 1) cy
      WHERE z.code LIKE 'BENCH-%'`,
    [GRID],
  );
  await db.query(
    `INSERT INTO commitments (plan_id, zone_id, state, signatory_name, signatory_title, letter_text, covered_geom, pdf_file_id, pdf_sha256, signed_at, decided_at)
     SELECT p.id, p.zone_id, 'accepted', '基准', '主任', '{}', ST_Multi(ST_Union(a.geom)), $1, $2, now(), now()
       FROM zoning_plans p JOIN zoning_areas a ON a.plan_id = p.id AND a.category = 'release' JOIN zones z ON z.id = p.zone_id
      WHERE right(z.code, 1) IN ('0', '2', '4', '6', '8') GROUP BY p.id, p.zone_id`,
    [file.rows[0].id, '2'.repeat(64)],
  );
  // the query shapes: ~220 m × 270 m boxes at seeded positions inside the zones, across several areas each
  await db.query(`CREATE TABLE bench_shapes (id int PRIMARY KEY, geojson text NOT NULL)`);
  await db.query(
    `INSERT INTO bench_shapes (id, geojson)
     SELECT n, ST_AsGeoJSON(ST_MakeEnvelope(x, y, x + 0.0025, y + 0.0025, 4490))
       FROM (SELECT n, ST_XMin(z.boundary) + 0.0275 * (((n * 7919) % 1000) / 1000.0) AS x, ST_YMin(z.boundary) + 0.0275 * (((n * 104729) % 1000) / 1000.0) AS y
               FROM generate_series(1, $1) n JOIN zones z ON z.code = 'BENCH-' || (n % $2)) s`,
    [SHAPES, ZONES],
  );
  await db.query(`GRANT SELECT ON bench_shapes TO PUBLIC`);
  await db.query('ANALYZE');
}

async function apiLevel(baseUrl: string, key: string, shapes: string[], clients: number): Promise<LevelResult['api']> {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= API_REQUESTS_PER_LEVEL) return;
      const t0 = process.hrtime.bigint();
      const res = await fetch(`${baseUrl}/api/clearance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: `{"geometry":${shapes[i % shapes.length]}}`,
      });
      const body = (await res.json()) as { verdict?: string };
      if (res.status !== 200 || !body.verdict) throw new Error(`clearance answered ${res.status}: ${JSON.stringify(body)}`);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { medianMs: r2(quantile(latencies, 0.5)), p95Ms: r2(quantile(latencies, 0.95)), perSecond: r2(latencies.length / seconds), requests: latencies.length };
}

/** The API's statement for a drawn shape, with pgbench variables instead of bind parameters. */
function pgbenchScript(): string {
  const sql = ClearanceRepository.sqlForShape()
    .replace(/\$1/g, '(SELECT geojson FROM bench_shapes WHERE id = :i)')
    .replace(/\$2::boolean/g, 'false')
    .replace(/\s+/g, ' ')
    .trim();
  return `\\set i random(1, ${SHAPES})\n${sql};\n`;
}

async function pgbenchLevel(url: string, dir: string, clients: number): Promise<LevelResult['pgbench']> {
  const script = join(dir, 'clearance.sql');
  await writeFile(script, pgbenchScript());
  const prefix = join(dir, `pgbench-${clients}`);
  await exec('pgbench', ['-n', '-f', script, '-c', String(clients), '-j', String(Math.min(clients, 4)), '-T', String(PGBENCH_SECONDS), '-l', '--log-prefix', prefix, url], { maxBuffer: 1 << 24 });
  const latencies: number[] = [];
  for (const f of (await readdir(dir)).filter((n) => n.startsWith(`pgbench-${clients}.`))) {
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) {
      const parts = line.trim().split(/\s+/);
      if (parts.length >= 3) latencies.push(Number(parts[2]) / 1000); // µs → ms
    }
  }
  latencies.sort((a, b) => a - b);
  return { medianMs: r2(quantile(latencies, 0.5)), p95Ms: r2(quantile(latencies, 0.95)), perSecond: r2(latencies.length / PGBENCH_SECONDS), transactions: latencies.length };
}

async function hasPgbench(): Promise<boolean> {
  try {
    await exec('pgbench', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * A committee's parcel list: 64 parcels (8 × 8, ~33 m × 33 m) over one zone's issued plan, each verdict
 * measured one statement per parcel (how the list worked before) and all in one statement (how it works now).
 */
async function parcelList(admin: Pool, repo: ClearanceRepository): Promise<string> {
  const { rows: ids } = await admin.query(
    `INSERT INTO parcels (zone_id, code, name, planned_use, geom, area_m2)
     SELECT z.id, 'P-' || i || '-' || j, '基准地块', '工业', ST_Multi(g), ST_Area(g::geography)
       FROM zones z, generate_series(0, 7) i, generate_series(0, 7) j,
            LATERAL (SELECT ST_MakeEnvelope(ST_XMin(z.boundary) + 0.0005 + i * 0.0035, ST_YMin(z.boundary) + 0.0005 + j * 0.0035,
                                            ST_XMin(z.boundary) + 0.0008 + i * 0.0035, ST_YMin(z.boundary) + 0.0008 + j * 0.0035, 4490) AS g) s
      WHERE z.code = 'BENCH-0'
     RETURNING id`,
  );
  const parcelIds = ids.map((r: { id: string }) => r.id);
  const best = async (fn: () => Promise<unknown>): Promise<number> => {
    let t = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      await fn();
      t = Math.min(t, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return Math.round(t);
  };
  const each = await best(async () => {
    for (const id of parcelIds) await repo.measure({ parcelId: id }, false);
  });
  const batch = await best(() => repo.measureParcels(parcelIds, false));
  return `parcel list, ${parcelIds.length} parcels of one zone: one statement per parcel ${each} ms, one statement for all ${batch} ms (best of 3)`;
}

export async function run(ctx: BenchContext = {}): Promise<{ name: string; areas: number; levels: LevelResult[]; notes: string[] }> {
  const log = ctx.log ?? ((l: string) => console.log(l));
  const db = await benchDatabase('clearance', { integratorRatePerMinute: 1_000_000_000 });
  const { config, admin } = db;
  const dir = await mkdtemp(join(tmpdir(), 'qz-bench-'));
  const notes: string[] = [];
  const app = await createApp(config, { clock: new SystemClock() });
  try {
    await buildProvince(admin);
    const { rows: [{ n }] } = await admin.query(`SELECT count(*)::int AS n FROM zoning_areas`);
    // an integrator key: the land-transfer system's path (no geometry in the answer, like the pgbench statement)
    const auth = app.get(AuthService);
    const k = auth.generateApiKey();
    const org = await admin.query(`SELECT id FROM organizations LIMIT 1`);
    const u = await admin.query(`INSERT INTO users (username, display_name, org_id, is_service_account) VALUES ('bench-integrator', '基准', $1, true) RETURNING id`, [org.rows[0].id]);
    await admin.query(`INSERT INTO role_assignments (user_id, role, scope_type, division_code) VALUES ($1, 'integrator', 'province', '140000')`, [u.rows[0].id]);
    await admin.query(`INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at) VALUES ($1, 'bench', $2, $3, now())`, [u.rows[0].id, k.prefix, k.hash]);
    const shapes = (await admin.query(`SELECT geojson FROM bench_shapes ORDER BY id`)).rows.map((r) => r.geojson as string);

    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    const baseUrl = `http://127.0.0.1:${address.port}`;
    await apiLevel(baseUrl, k.key, shapes, 2); // warm-up: connections, plans, JIT of the handlers

    const pgbench = await hasPgbench();
    if (!pgbench) notes.push('pgbench not found on PATH: the SQL-only column is empty (install postgresql-contrib / postgresql-client).');
    const levels: LevelResult[] = [];
    for (const clients of CONCURRENCY) {
      const api = await apiLevel(baseUrl, k.key, shapes, clients);
      const sql = pgbench ? await pgbenchLevel(config.databaseAdminUrl, dir, clients) : null;
      levels.push({ clients, api, pgbench: sql });
    }
    log(`clearance check — ${n} zoning areas in ${ZONES} issued plans, ${SHAPES} query shapes (~220 m × 280 m), integrator key over HTTP vs the same SQL in pgbench`);
    log('clients | API median ms | API p95 ms | API req/s | SQL median ms | SQL p95 ms | SQL tx/s | API/SQL median');
    for (const l of levels) {
      const ratio = l.pgbench ? r2(l.api.medianMs / l.pgbench.medianMs) : NaN;
      log(`${String(l.clients).padStart(7)} | ${String(l.api.medianMs).padStart(13)} | ${String(l.api.p95Ms).padStart(10)} | ${String(l.api.perSecond).padStart(9)} | ${String(l.pgbench?.medianMs ?? '—').padStart(13)} | ${String(l.pgbench?.p95Ms ?? '—').padStart(10)} | ${String(l.pgbench?.perSecond ?? '—').padStart(8)} | ${ratio}`);
    }
    log(await parcelList(admin, app.get(ClearanceRepository)));
    for (const note of notes) log(note);
    return { name: 'clearance', areas: n as number, levels, notes };
  } finally {
    await app.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
