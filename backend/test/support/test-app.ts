import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ManualClock } from '../../src/infra/clock/clock';
import { AppConfig } from '../../src/infra/config/config';
import { AuditService } from '../../src/modules/audit/audit.service';
import { createApp } from '../../src/create-app';
import { runSeed } from '../../src/seed/seed';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT, loadConfig } from '../../src/infra/config/config';
import { withDatabase } from '../../src/infra/database/data-source';
import { createDatabaseFromTemplate, dropDatabase } from '../../src/infra/database/migrator';
import { TestDatabase, createTestDatabase, migratedTemplate } from './test-db';

export interface InjectOptions {
  token?: string;
  apiKey?: string;
  body?: unknown;
  headers?: Record<string, string>;
  lang?: 'zh-CN' | 'en';
}

export interface TestResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  raw: Buffer;
}

export interface TestApp {
  app: NestFastifyApplication;
  db: TestDatabase;
  config: AppConfig;
  clock: ManualClock;
  dataSource: DataSource;
  request<T = any>(method: string, url: string, opts?: InjectOptions): Promise<TestResponse<T>>;
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export const DEMO_PASSWORD = 'Qianzhi@2026';
/** The instant every test app's clock starts at — and the instant the seeded template was seeded at. */
export const TEST_EPOCH = new Date('2026-11-27T02:00:00Z');
const SEEDED_TEMPLATE_LOCK = 7_221_0004;

/** Hash of the backend sources (seed steps call the real services, so any change may change the seed). */
function sourceHash(): string {
  const h = createHash('sha1');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) h.update(p).update(readFileSync(p));
    }
  };
  walk(join(REPO_ROOT, 'backend', 'src'));
  return h.digest('hex').slice(0, 12);
}

/** Every file the seeded template's rows point at is still on disk (someone may have cleared var/storage). */
async function storedFilesPresent(url: string, storageDir: string): Promise<boolean> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const rows = (await c.query<{ storage_key: string }>('SELECT storage_key FROM stored_files')).rows;
    return rows.every((r) => existsSync(join(storageDir, r.storage_key)));
  } finally {
    await c.end();
  }
}

let seeded: Promise<string> | undefined;
/**
 * The demo world is seeded once per set of migrations and sources into a template database
 * (qz_seed_<hash>), which every test file then clones in a fraction of a second instead of re-running the
 * seed (three PDF renders and thousands of cores) itself. Serialised across Jest workers by an advisory lock.
 */
function seededTemplate(): Promise<string> {
  seeded ??= (async () => {
    const migrated = await migratedTemplate();
    const base = loadConfig({ ...process.env, NODE_ENV: 'test', DEMO_PASSWORD });
    // the seed stores PDFs under STORAGE_DIR: a template seeded from another checkout points at files elsewhere
    const name = `qz_seed_${createHash('sha1').update(migrated).update(sourceHash()).update(base.storageDir).digest('hex').slice(0, 12)}`;
    const lock = new Client({ connectionString: withDatabase(base.databaseAdminUrl, 'postgres') });
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [SEEDED_TEMPLATE_LOCK]);
      const ready = await lock.query('SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate', [name]);
      if (ready.rowCount !== 0 && !(await storedFilesPresent(withDatabase(base.databaseAdminUrl, name), base.storageDir))) {
        await lock.query('UPDATE pg_database SET datistemplate = false WHERE datname = $1', [name]);
        ready.rowCount = 0;
      }
      if (ready.rowCount === 0) {
        await dropDatabase(base.databaseAdminUrl, name);
        await createDatabaseFromTemplate(base.databaseAdminUrl, name, migrated);
        const config: AppConfig = {
          ...base,
          databaseUrl: withDatabase(base.databaseUrl, name),
          databaseAdminUrl: withDatabase(base.databaseAdminUrl, name),
          queuePrefix: `qz_seed_${name}`,
        };
        const clock = new ManualClock(TEST_EPOCH);
        const app = await createApp(config, { clock });
        await app.init();
        try {
          await runSeed({
            db: app.get(DataSource), config, clock, audit: app.get(AuditService),
            actor: { principal: null, correlationId: null, system: 'seed' }, log: () => undefined,
            orgIds: new Map(), userIds: new Map(), zoneIds: new Map(),
          });
        } finally {
          await app.close();
        }
        await lock.query('UPDATE pg_database SET datistemplate = true WHERE datname = $1', [name]);
      }
      return name;
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [SEEDED_TEMPLATE_LOCK]).catch(() => undefined);
      await lock.end();
    }
  })();
  return seeded;
}

/**
 * The real API (Fastify, guards, filters, PostGIS, Redis) on a private database, driven in-process with
 * light-my-request. The clock is manual so tests move time instead of sleeping.
 */
export async function createTestApp(opts: { seed?: boolean; env?: Record<string, string>; config?: Partial<AppConfig> } = {}): Promise<TestApp> {
  const db = await createTestDatabase({ DEMO_PASSWORD, ...opts.env }, opts.seed === false ? undefined : await seededTemplate());
  const config: AppConfig = { ...db.config, ...opts.config };
  const clock = new ManualClock(TEST_EPOCH);
  const app = await createApp(config, { clock });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const dataSource = app.get(DataSource);
  const fastify = app.getHttpAdapter().getInstance();
  const request = async <T>(method: string, url: string, o: InjectOptions = {}): Promise<TestResponse<T>> => {
    const headers: Record<string, string> = { 'accept-language': o.lang ?? 'zh-CN', ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.apiKey) headers['x-api-key'] = o.apiKey;
    let payload: string | Buffer | undefined;
    if (o.body !== undefined) {
      if (Buffer.isBuffer(o.body) || typeof o.body === 'string') payload = o.body;
      else {
        payload = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const res = await fastify.inject({ method: method as 'GET', url, headers, payload });
    const type = String(res.headers['content-type'] ?? '');
    const body = type.includes('json') && res.body.length ? (JSON.parse(res.body) as T) : (res.body as unknown as T);
    return { status: res.statusCode, body, headers: res.headers as TestResponse['headers'], raw: res.rawPayload };
  };
  return {
    app, db, config, clock, dataSource, request,
    async login(username, password = DEMO_PASSWORD) {
      const res = await request<{ accessToken: string }>('POST', '/api/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
