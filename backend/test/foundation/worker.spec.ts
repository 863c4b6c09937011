import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import { ManualClock } from '../../src/infra/clock/clock';
import { QUEUES } from '../../src/infra/queue/jobs';
import { bullConnection } from '../../src/infra/queue/queue.module';
import { WorkerModule } from '../../src/worker.module';
import { TestApp, createTestApp } from '../support/test-app';

describe('worker process (BullMQ on real Redis)', () => {
  let api: TestApp;
  let worker: INestApplicationContext;
  beforeAll(async () => {
    api = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config, new ManualClock(new Date('2026-11-27T02:00:00Z'))), { logger: ['error'] });
    await worker.init();
  });
  afterAll(async () => {
    const q = worker.get<Queue>(getQueueToken(QUEUES.maintenance));
    await q.obliterate({ force: true });
    await worker.close();
    await api.close();
  });

  it('registers its schedulers once, however often it starts', async () => {
    const q = worker.get<Queue>(getQueueToken(QUEUES.maintenance));
    const schedulers = await q.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(['audit.verify-chain', 'auth.purge-expired-tokens']);
  });

  it('verifies the audit chain as a job and returns what it did', async () => {
    const q = worker.get<Queue>(getQueueToken(QUEUES.maintenance));
    const events = new QueueEvents(QUEUES.maintenance, { connection: bullConnection(api.config.redisUrl), prefix: api.config.queuePrefix });
    await events.waitUntilReady();
    try {
      const job = await q.add('audit.verify-chain', {});
      const result = (await job.waitUntilFinished(events, 20000)) as { ok: boolean; checked: number };
      expect(result.ok).toBe(true);
      const total = Number((await api.db.admin.query('SELECT count(*) FROM audit_events')).rows[0].count);
      expect(result.checked).toBe(total);
      expect(total).toBeGreaterThan(0);
    } finally {
      await events.close();
    }
  });

  it('purges expired refresh tokens', async () => {
    await api.login('assessor');
    await api.login('reviewer');
    await api.login('admin');
    // two of the three sessions expired long ago; the third is still valid and must survive
    await api.db.admin.query(`UPDATE refresh_tokens SET expires_at = '2026-01-01T00:00:00Z' WHERE user_id IN (SELECT id FROM users WHERE username IN ('assessor', 'reviewer'))`);
    const expired = Number((await api.db.admin.query(`SELECT count(*) FROM refresh_tokens WHERE expires_at < '2026-02-01Z'`)).rows[0].count);
    const q = worker.get<Queue>(getQueueToken(QUEUES.maintenance));
    const events = new QueueEvents(QUEUES.maintenance, { connection: bullConnection(api.config.redisUrl), prefix: api.config.queuePrefix });
    await events.waitUntilReady();
    try {
      const job = await q.add('auth.purge-expired-tokens', {});
      const result = (await job.waitUntilFinished(events, 20000)) as { purged: number };
      expect(result.purged).toBe(expired);
      expect(expired).toBeGreaterThanOrEqual(2);
      expect(Number((await api.db.admin.query(`SELECT count(*) FROM refresh_tokens WHERE expires_at < '2026-02-01Z'`)).rows[0].count)).toBe(0);
      expect(Number((await api.db.admin.query(`SELECT count(*) FROM refresh_tokens WHERE user_id = (SELECT id FROM users WHERE username = 'admin')`)).rows[0].count)).toBeGreaterThanOrEqual(1);
    } finally {
      await events.close();
    }
  });
});
