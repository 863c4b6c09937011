import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import { ManualClock, SystemClock } from '../src/infra/clock/clock';
import { createApp } from '../src/create-app';
import { hashPassword } from '../src/modules/auth/password';
import { verifyWebhook } from '../src/modules/discoveries/notification-text';
import { WorkerModule } from '../src/worker.module';
import { jpegWithExif } from '../test/support/exif-jpeg';
import { benchDatabase } from './bench-database';

/**
 * Discoveries (issue 6): report submissions per second and p95 latency at 16 concurrent contractors, each a
 * multipart `POST /api/discoveries` with two photos (a phone-sized JPEG with EXIF GPS, ~300 KB, and a small
 * one) over real HTTP — content sniffing, EXIF, SHA-256, storage, the one-transaction report with its
 * stop-work order, deadlines, hold, notifications and outbox rows. Then the worker: from its start with
 * its clock 25 h later, how fast every on-site deadline is breached and escalated, and how fast every
 * e-mail (in-process SMTP server) and signed webhook (local HTTP receiver) of those reports is delivered.
 *
 * Own database from the migrated template, dropped afterwards. Figures depend on the machine.
 */

const CLIENTS = 16;
const REPORTS = 320;
const PROJECTS = 64;
const PASSWORD = 'Bench@2026-disc';

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
const r1 = (n: number): number => Math.round(n * 10) / 10;

export interface BenchContext {
  log?: (line: string) => void;
}

async function buildWorld(db: Pool): Promise<{ projectIds: string[]; countyOrgId: string; cityOrgId: string; bureauOrgId: string }> {
  await db.query(`INSERT INTO divisions (code, name, level, parent_code, path) VALUES
    ('140000', '山西省', 'province', NULL, '140000'), ('140400', '长治市', 'city', '140000', '140000.140400'),
    ('140405', '屯留区', 'county', '140400', '140000.140400.140405') ON CONFLICT DO NOTHING`);
  const org = async (type: string, name: string, division: string): Promise<string> =>
    (await db.query(`INSERT INTO organizations (type, name, division_code) VALUES ($1, $2, $3) RETURNING id`, [type, name, division])).rows[0].id;
  const bureauOrgId = await org('bureau', '基准省文物局', '140000');
  const cityOrgId = await org('local_authority', '基准市文物局', '140400');
  const countyOrgId = await org('local_authority', '基准区文物局', '140405');
  const contractorOrgId = await org('contractor', '基准施工公司', '140405');
  const u = await db.query(
    `INSERT INTO users (username, display_name, password_hash, org_id, password_changed_at) VALUES ('bench-contractor', '基准施工', $1, $2, now()) RETURNING id`,
    [await hashPassword(PASSWORD), contractorOrgId],
  );
  await db.query(`INSERT INTO role_assignments (user_id, role, scope_type, org_id) VALUES ($1, 'contractor', 'org', $2)`, [u.rows[0].id, contractorOrgId]);
  const zone = await db.query(
    `INSERT INTO zones (code, name, category, level, division_code, boundary, area_m2)
     SELECT 'BENCH-DISC', '基准开发区', 'industrial', 'provincial', '140405', ST_Multi(g), ST_Area(g::geography)
       FROM (SELECT ST_MakeEnvelope(113.0, 36.3, 113.08, 36.36, 4490) AS g) s RETURNING id`,
  );
  const projects = await db.query(
    `WITH p AS (
       INSERT INTO parcels (zone_id, code, name, planned_use, geom, area_m2, transferred_at)
       SELECT $1, 'B-' || i, '基准地块 ' || i, '工业用地', ST_Multi(g), ST_Area(g::geography), now()
         FROM generate_series(0, $2 - 1) i,
              LATERAL (SELECT ST_MakeEnvelope(113.0 + (i % 8) * 0.009, 36.3 + (i / 8) * 0.007, 113.0 + (i % 8) * 0.009 + 0.006, 36.3 + (i / 8) * 0.007 + 0.005, 4490) AS g) s
       RETURNING id)
     INSERT INTO projects (parcel_id, zone_id, name, contractor_org_id) SELECT id, $1, '基准项目', $3 FROM p RETURNING id`,
    [zone.rows[0].id, PROJECTS, contractorOrgId],
  );
  await db.query('ANALYZE');
  return { projectIds: projects.rows.map((r) => r.id as string), countyOrgId, cityOrgId, bureauOrgId };
}

export async function run(ctx: BenchContext = {}): Promise<unknown> {
  const log = ctx.log ?? ((l: string) => console.log(l));
  const db = await benchDatabase('discoveries');
  const { config, admin } = db;

  // the organisations' peers: an SMTP server and a webhook receiver that checks every signature
  let mails = 0;
  let hooksOk = 0;
  let hooksBad = 0;
  let secret = '';
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        mails++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ok = verifyWebhook(secret, String(req.headers['x-qianzhi-timestamp']), Buffer.concat(chunks).toString('utf8'), String(req.headers['x-qianzhi-signature']));
      if (ok) hooksOk++;
      else hooksBad++;
      res.writeHead(ok ? 200 : 401).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const smtpPort = (smtp.server.address() as { port: number }).port;
  const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const env = { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, NOTIFY_DELIVERY_BACKOFF_MS: '200', DISCOVERY_RECONCILE_MS: '1000' };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);

  const app = await createApp(config, { clock: new SystemClock() });
  let worker: INestApplicationContext | null = null;
  try {
    const world = await buildWorld(admin);
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-contractor', password: PASSWORD }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    // channels: the county by e-mail and webhook, the bureau and the city by e-mail
    const q = (sql: string, p: unknown[]) => admin.query(sql, p);
    secret = randomBytes(32).toString('base64url');
    await q(`INSERT INTO notification_channels (org_id, email, webhook_url, webhook_secret) VALUES ($1, 'county@bench.cn', $2, $3), ($4, 'bureau@bench.cn', NULL, NULL), ($5, 'city@bench.cn', NULL, NULL)`,
      [world.countyOrgId, hookUrl, secret, world.bureauOrgId, world.cityOrgId]);

    // photos as a phone sends them: a ~300 KB JPEG with EXIF GPS near the find, and a small one
    const big = Buffer.concat([jpegWithExif({ takenAt: '2026:11:27 09:38:12', offset: '+08:00', lat: 36.3021, lon: 113.0031 }), randomBytes(300 * 1024)]);
    const small = jpegWithExif({ takenAt: '2026:11:27 09:39:00', lat: 36.3021, lon: 113.0031 });
    const form = (data: unknown): { body: Buffer; type: string } => {
      const b = `----bench-${randomUUID()}`;
      const part = (name: string, file: Buffer) => [Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="photos"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`), file, Buffer.from('\r\n')];
      return {
        body: Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="data"\r\n\r\n${JSON.stringify(data)}\r\n`), ...part('IMG_0001.jpg', big), ...part('IMG_0002.jpg', small), Buffer.from(`--${b}--\r\n`)]),
        type: `multipart/form-data; boundary=${b}`,
      };
    };
    let next = 0;
    const latencies: number[] = [];
    const submit = async (total: number, record: boolean): Promise<void> => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const f = form({
          projectId: world.projectIds[i % world.projectIds.length], location: { type: 'Point', coordinates: [113.003 + (i % 8) * 0.009, 36.302 + Math.floor((i % 64) / 8) * 0.007] },
          accuracyM: 5, foundAt: '2026-11-27T09:40:00+08:00', depthM: 2, description: `基准新发现 ${i}`, suspectedType: 'tomb',
        });
        const t0 = process.hrtime.bigint();
        const res = await fetch(`${baseUrl}/api/discoveries`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID(), 'content-type': f.type }, body: f.body });
        const body = (await res.json()) as { id?: string };
        if (res.status !== 201 || !body.id) throw new Error(`report answered ${res.status}: ${JSON.stringify(body)}`);
        if (record) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    };
    await Promise.all(Array.from({ length: 4 }, () => submit(16, false))); // warm-up
    next = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: CLIENTS }, () => submit(REPORTS, true)));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    latencies.sort((a, b) => a - b);
    const photoMb = (REPORTS * (big.length + small.length)) / 1048576;
    log(`report a find: ${REPORTS} multipart submissions with 2 photos each (${r1((big.length + small.length) / 1024)} KB), ${CLIENTS} concurrent clients over HTTP`);
    log(`  ${r1(REPORTS / seconds)} reports/s, median ${r1(quantile(latencies, 0.5))} ms, p95 ${r1(quantile(latencies, 0.95))} ms, max ${r1(latencies[latencies.length - 1]!)} ms (${r1(photoMb / seconds)} MB/s of photos)`);

    // the worker, its clock past every on-site deadline: escalations, then deliveries of everything
    const { rows: [counts] } = await q(`SELECT (SELECT count(*) FROM discovery_deadlines WHERE kind = 'on_site')::int AS deadlines,
      (SELECT count(*) FROM notification_deliveries)::int AS deliveries`, []);
    const w0 = Date.now();
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, new ManualClock(new Date(Date.now() + 25 * 3600_000))), { logger: ['error'] });
    await worker.init();
    const wait = async (sql: string, target: number, limitMs: number): Promise<number> => {
      for (;;) {
        const { rows: [r] } = await q(sql, []);
        if (r.n >= target) return Date.now() - w0;
        if (Date.now() - w0 > limitMs) throw new Error(`timed out: ${sql} = ${r.n} of ${target}`);
        await new Promise((res) => setTimeout(res, 50));
      }
    };
    const escalatedMs = await wait(`SELECT count(*)::int AS n FROM discovery_deadlines WHERE kind = 'on_site' AND breached_at IS NOT NULL`, counts.deadlines, 300_000);
    const { rows: [after] } = await q(`SELECT (SELECT count(*) FROM notification_deliveries)::int AS deliveries,
      (SELECT count(*) FROM notifications WHERE kind IN ('deadline_escalation', 'deadline_reminder'))::int AS notices`, []);
    const deliveredMs = await wait(`SELECT count(*)::int AS n FROM notification_deliveries WHERE state <> 'pending'`, after.deliveries, 600_000);
    const { rows: [states] } = await q(`SELECT count(*) FILTER (WHERE state = 'sent')::int AS sent, count(*) FILTER (WHERE state = 'failed')::int AS failed FROM notification_deliveries`, []);
    log(`worker: ${counts.deadlines} on-site deadlines breached and escalated to the city in ${r1(escalatedMs / 1000)} s (${r1(counts.deadlines / (escalatedMs / 1000))} escalations/s, ${after.notices} notifications written)`);
    log(`worker: ${after.deliveries} deliveries (${counts.deliveries} from the reports + ${after.deliveries - counts.deliveries} from escalations; e-mail over SMTP and signed webhooks) done in ${r1(deliveredMs / 1000)} s from its start — ${r1(after.deliveries / (deliveredMs / 1000))} deliveries/s; ${states.sent} sent, ${states.failed} failed; SMTP received ${mails}, webhooks verified ${hooksOk}, refused ${hooksBad}`);
    return { reportsPerSecond: r1(REPORTS / seconds), p95Ms: r1(quantile(latencies, 0.95)), escalationsPerSecond: r1(counts.deadlines / (escalatedMs / 1000)), deliveriesPerSecond: r1(after.deliveries / (deliveredMs / 1000)) };
  } finally {
    if (worker) await worker.close();
    await app.close();
    await new Promise<void>((r) => smtp.close(() => r()));
    await new Promise<void>((r) => receiver.close(() => r()));
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await db.drop();
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
