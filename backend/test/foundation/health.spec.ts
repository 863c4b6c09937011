import { ChildProcess, spawn } from 'node:child_process';
import { TestApp, createTestApp } from '../support/test-app';
import { freePort, waitFor } from '../support/wait';


describe('GET /api/health', () => {
  let redis: ChildProcess;
  let sut: TestApp;
  beforeAll(async () => {
    // a private redis-server: this test stops it, so it must not be the shared one
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const { default: Redis } = await import('ioredis');
    await waitFor(async () => {
      const c = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        c.disconnect();
      }
    });
    sut = await createTestApp({ seed: false, config: { redisUrl: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await sut.close();
    if (redis.exitCode === null) redis.kill('SIGKILL');
  });

  it('reports the PostGIS version and Redis without a token', async () => {
    const res = await sut.request<any>('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database.postgis).toMatch(/^3\.\d+\.\d+/);
    expect(res.body.redis).toBe('ok');
  });

  it('turns 503 naming Redis when its Redis is stopped', async () => {
    redis.kill('SIGTERM');
    await new Promise((r) => redis.once('exit', r));
    const res = await sut.request<any>('GET', '/api/health');
    expect(res.status).toBe(503);
    expect(res.body.database.postgis).toMatch(/^3\./);
    expect(res.body.redis).toMatch(/^error/);
  });
});
