import { ChildProcess, spawn } from 'node:child_process';
import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import { ManualClock } from '../../src/infra/clock/clock';
import { AppConfig } from '../../src/infra/config/config';
import { bullConnection } from '../../src/infra/queue/queue.module';
import { DeadlineEngine, DISCOVERY_QUEUE } from '../../src/modules/discoveries/discovery-deadlines';
import { WorkerModule } from '../../src/worker.module';
import { TestApp } from '../support/test-app';
import { buildDiscoveryWorld, DiscoveryWorld, newKey, reportBody } from './discovery-world';
import { freePort, waitFor } from '../support/wait';

const HOUR = 3600_000;
const RECONCILE_MS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('discovery deadlines on the worker (reconciler on its own timer, BullMQ triggers)', () => {
  let sut: TestApp;
  let w: DiscoveryWorld;
  let t0: Date;
  const workers: INestApplicationContext[] = [];
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const count = async (sql: string, params: unknown[]): Promise<number> => (await q<{ n: number }>(sql, params))[0]!.n;
  const report = async (description: string): Promise<string> => {
    const res = await sut.request<any>('POST', '/api/discoveries', { token: w.tokens.contractor, body: reportBody(w.projectId, { description }), headers: { 'idempotency-key': newKey() } });
    if (res.status !== 201) throw new Error(`report: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const startWorker = async (clock: ManualClock, config: Partial<AppConfig> = {}): Promise<INestApplicationContext> => {
    const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot({ ...sut.config, ...config }, clock), { logger: ['error'] });
    await ctx.init();
    workers.push(ctx);
    return ctx;
  };
  const stopWorker = async (ctx: INestApplicationContext): Promise<void> => {
    workers.splice(workers.indexOf(ctx), 1);
    await ctx.close();
  };

  beforeAll(async () => {
    process.env.DISCOVERY_RECONCILE_MS = String(RECONCILE_MS);
    ({ sut, w } = await buildDiscoveryWorld());
    t0 = sut.clock.now();
  });
  afterAll(async () => {
    for (const ctx of workers.splice(0)) await ctx.close();
    delete process.env.DISCOVERY_RECONCILE_MS;
    await sut.close();
  });

  it('a worker stopped before the deadline, new workers started after it: reminder once, escalation to the city exactly once', async () => {
    const id = await report('工人在基槽北壁发现夯土层');
    const [onSite] = await q<{ id: string }>(`SELECT id FROM discovery_deadlines WHERE report_id = $1 AND kind = 'on_site'`, [id]);
    const escalations = () => count(`SELECT count(*)::int AS n FROM notifications WHERE deadline_id = $1 AND kind = 'deadline_escalation'`, [onSite!.id]);
    const reminders = () => count(`SELECT count(*)::int AS n FROM notifications WHERE deadline_id = $1 AND kind = 'deadline_reminder'`, [onSite!.id]);

    // 22 h 30 min after the report: inside the 2-hour reminder window, not yet due
    const a = await startWorker(new ManualClock(new Date(t0.getTime() + 22.5 * HOUR)));
    await waitFor(async () => (await reminders()) === 1);
    await sleep(RECONCILE_MS * 4);
    expect(await reminders()).toBe(1);
    expect(await escalations()).toBe(0);
    const inbox = (await sut.request<any[]>('GET', '/api/notifications', { token: w.tokens.authority })).body;
    expect(inbox.find((n) => n.deadlineId === onSite!.id)).toMatchObject({ kind: 'deadline_reminder', payload: { kind: 'on_site', dueAt: '2026-11-28T10:00:00.000+08:00' } });
    await stopWorker(a);

    // the deadline passes while no worker runs; two workers come up after it, racing each other
    const late = new Date(t0.getTime() + 25 * HOUR);
    const [b, c] = await Promise.all([startWorker(new ManualClock(late)), startWorker(new ManualClock(late))]);
    await waitFor(async () => (await escalations()) >= 1);
    // a retried BullMQ trigger for the same deadline finds nothing left to do
    const queue = b.get<Queue>(getQueueToken(DISCOVERY_QUEUE));
    const events = new QueueEvents(DISCOVERY_QUEUE, { connection: bullConnection(sut.config.redisUrl), prefix: sut.config.queuePrefix });
    await events.waitUntilReady();
    try {
      const job = await queue.add('deadline.breach', { deadlineId: onSite!.id, trigger: 'breach' });
      const result = (await job.waitUntilFinished(events, 20000)) as { breached: unknown[] };
      expect(result.breached).toEqual([]);
    } finally {
      await events.close();
    }
    await sleep(RECONCILE_MS * 5);
    expect(await escalations()).toBe(1);
    expect(await reminders()).toBe(1);

    const seen = await sut.request<any>('GET', `/api/discoveries/${id}`, { token: w.tokens.authority });
    expect(seen.body.overdue).toBe(true);
    expect(seen.body.deadlines.find((d: any) => d.kind === 'on_site')).toMatchObject({ breachedAt: '2026-11-28T11:00:00.000+08:00', escalatedTo: '140400', metAt: null });
    // Tunliu is county 140405: the escalation goes to the Changzhi city bureau (140400), not to the province
    const city = (await sut.request<any[]>('GET', '/api/notifications', { token: w.tokens.authority_city })).body;
    expect(city.filter((n) => n.deadlineId === onSite!.id).map((n) => n.kind)).toEqual(['deadline_escalation']);
    const audit = await count(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'discovery.deadline-breached' AND entity_id = $1 AND after->>'kind' = 'on_site'`, [id]);
    expect(audit).toBe(1);
    await stopWorker(b);
    await stopWorker(c);
    await queue.obliterate({ force: true }).catch(() => undefined);
  });

  it('FLUSHALL on the worker’s Redis mid-way: the reconciler still fires every due deadline', async () => {
    const port = await freePort();
    const redis: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const { default: Redis } = await import('ioredis');
    const admin = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await waitFor(async () => {
        try {
          if (admin.status !== 'ready') await admin.connect();
          return (await admin.ping()) === 'PONG';
        } catch {
          return false;
        }
      });
      const ids = [await report('北侧第一处：灰坑'), await report('北侧第二处：陶片'), await report('北侧第三处：砖室')];
      const deadlines = await q<{ id: string; due_at: Date; remind_at: Date }>(
        `SELECT id, due_at, remind_at FROM discovery_deadlines WHERE report_id = ANY($1::uuid[]) AND kind = 'on_site'`, [ids]);
      expect(deadlines).toHaveLength(3);

      const clock = new ManualClock(new Date(t0.getTime() + HOUR));
      const worker = await startWorker(clock, { redisUrl: `redis://127.0.0.1:${port}` });
      await worker.get(DeadlineEngine).schedule(deadlines.map((d) => ({ id: d.id, dueAt: d.due_at, remindAt: d.remind_at })));
      const queue = worker.get<Queue>(getQueueToken(DISCOVERY_QUEUE));
      expect(await queue.getDelayedCount()).toBe(6); // a reminder and a breach trigger each
      await admin.flushall();
      expect(await queue.getDelayedCount()).toBe(0);

      clock.set(new Date(t0.getTime() + 25 * HOUR));
      const breached = () => count(`SELECT count(*)::int AS n FROM discovery_deadlines WHERE id = ANY($1::uuid[]) AND breached_at IS NOT NULL`, [deadlines.map((d) => d.id)]);
      await waitFor(async () => (await breached()) === 3);
      await sleep(RECONCILE_MS * 3);
      expect(await count(`SELECT count(*)::int AS n FROM notifications WHERE deadline_id = ANY($1::uuid[]) AND kind = 'deadline_escalation'`, [deadlines.map((d) => d.id)])).toBe(3);
      expect(await count(`SELECT count(*)::int AS n FROM discovery_reports WHERE id = ANY($1::uuid[]) AND overdue_at IS NOT NULL`, [ids])).toBe(3);
      await stopWorker(worker);
    } finally {
      admin.disconnect();
      redis.kill('SIGTERM');
    }
  });
});
