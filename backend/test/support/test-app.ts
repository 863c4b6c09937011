import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ManualClock } from '../../src/infra/clock/clock';
import { AppConfig } from '../../src/infra/config/config';
import { AuditService } from '../../src/modules/audit/audit.service';
import { createApp } from '../../src/create-app';
import { runSeed } from '../../src/seed/seed';
import { TestDatabase, createTestDatabase } from './test-db';

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

/**
 * The real API (Fastify, guards, filters, PostGIS, Redis) on a private database, driven in-process with
 * light-my-request. The clock is manual so tests move time instead of sleeping.
 */
export async function createTestApp(opts: { seed?: boolean; env?: Record<string, string>; config?: Partial<AppConfig> } = {}): Promise<TestApp> {
  const db = await createTestDatabase({ DEMO_PASSWORD, ...opts.env });
  const config: AppConfig = { ...db.config, ...opts.config };
  const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));
  const app = await createApp(config, { clock });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const dataSource = app.get(DataSource);
  if (opts.seed !== false) {
    await runSeed({
      db: dataSource, config, clock, audit: app.get(AuditService),
      actor: { principal: null, correlationId: null, system: 'seed' }, log: () => undefined,
      orgIds: new Map(), userIds: new Map(), zoneIds: new Map(),
    });
  }
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
