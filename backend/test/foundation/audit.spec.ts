import { Client } from 'pg';
import { AuditService } from '../../src/modules/audit/audit.service';
import { TestApp, createTestApp } from '../support/test-app';

describe('audit chain (DOMAIN.md §4.6)', () => {
  let sut: TestApp;
  let reviewer: string;
  beforeAll(async () => {
    sut = await createTestApp();
    reviewer = await sut.login('reviewer');
  });
  afterAll(() => sut.close());

  it('verifies after 20 concurrent writers without forking the chain', async () => {
    const audit = sut.app.get(AuditService);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sut.dataSource.transaction((m) =>
          audit.record(m, { principal: null, correlationId: `c${i}`, system: 'test' }, { action: 'test.write', entityType: 'test', entityId: String(i), after: { i, 名称: '并发' } }),
        ),
      ),
    );
    const res = await sut.request<any>('GET', '/api/audit/verify', { token: reviewer });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const total = Number((await sut.db.admin.query('SELECT count(*) FROM audit_events')).rows[0].count);
    expect(res.body.checked).toBe(total);
    expect(total).toBeGreaterThanOrEqual(20 + 9);
    // one chain: every prev_hash is the hash of exactly one earlier row (or genesis)
    const forks = await sut.db.admin.query(
      `SELECT count(*) FROM audit_events a WHERE a.prev_hash <> repeat('0', 64) AND NOT EXISTS (SELECT 1 FROM audit_events b WHERE b.hash = a.prev_hash AND b.id < a.id)`,
    );
    expect(Number(forks.rows[0].count)).toBe(0);
  });

  it('refuses UPDATE and DELETE through the application role', async () => {
    const app = new Client({ connectionString: sut.config.databaseUrl });
    await app.connect();
    try {
      await expect(app.query(`UPDATE audit_events SET reason = 'tampered' WHERE id = (SELECT min(id) FROM audit_events)`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`DELETE FROM audit_events`)).rejects.toThrow(/permission denied/);
      const role = await app.query(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
      expect(role.rows[0].rolsuper).toBe(false);
    } finally {
      await app.end();
    }
  });

  it('the trigger refuses UPDATE even for the owner', async () => {
    await expect(sut.db.admin.query(`UPDATE audit_events SET reason = 'x' WHERE id = (SELECT min(id) FROM audit_events)`)).rejects.toThrow(/append-only/);
  });

  it('reports the edited row after a superuser bypasses the trigger with session_replication_role = replica', async () => {
    const target = (await sut.db.admin.query(`SELECT id FROM audit_events ORDER BY id OFFSET 5 LIMIT 1`)).rows[0].id as string;
    const c = await sut.db.admin.connect();
    try {
      await c.query(`SET session_replication_role = replica`);
      await c.query(`UPDATE audit_events SET reason = 'quietly changed' WHERE id = $1`, [target]);
      await c.query(`SET session_replication_role = origin`);
    } finally {
      c.release();
    }
    const res = await sut.request<any>('GET', '/api/audit/verify', { token: reviewer });
    expect(res.body.ok).toBe(false);
    expect(res.body.brokenAt).toBe(Number(target));
    expect(res.body.checked).toBe(6);
  });

  it('only admins and reviewers may verify', async () => {
    for (const u of ['assessor', 'authority', 'committee', 'contractor']) {
      expect((await sut.request('GET', '/api/audit/verify', { token: await sut.login(u) })).status).toBe(403);
    }
  });

  it('a document shows its own history, oldest first, with the same read check as the document', async () => {
    const admin = await sut.login('admin');
    const zones = (await sut.request<any[]>('GET', '/api/zones', { token: admin })).body;
    const tunliu = zones.find((z) => z.code === 'SX-CZ-TLETDZ')!;
    const patched = await sut.request<any>('PATCH', `/api/zones/${tunliu.id}`, { token: admin, body: { nameEn: 'Tunliu ETDZ' } });
    expect(patched.status).toBe(200);
    const history = await sut.request<any[]>('GET', `/api/zones/${tunliu.id}/history`, { token: await sut.login('committee') });
    expect(history.status).toBe(200);
    expect(history.body.map((e) => e.action)).toEqual(['zone.create', 'zone.update']);
    expect(history.body[1].before.nameEn).toBe('Tunliu Economic and Technological Development Zone');
    expect(history.body[1].after.nameEn).toBe('Tunliu ETDZ');
    expect(history.body[1].actor.label).toBe('admin');
    expect(history.body[1].occurredAt).toMatch(/\+08:00$/);
    const gaoping = zones.find((z) => z.code === 'SX-JC-GPETDZ')!;
    expect((await sut.request('GET', `/api/zones/${gaoping.id}/history`, { token: await sut.login('committee') })).status).toBe(404);
  });
});
