import { createHash } from 'node:crypto';
import { TestApp, createTestApp } from '../support/test-app';
import { runSeed } from '../../src/seed/seed';
import { AuditService } from '../../src/modules/audit/audit.service';

/** The demo story of DOMAIN.md §6 as the seed leaves it (and leaves it again on a second run). */
describe('zoning demo seed', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await createTestApp();
  });
  afterAll(() => sut.close());

  it('屯留 has v1 superseded by v2 (issued, with its PDF) which adds release land; 长治高新 waits for review', async () => {
    const committee = await sut.login('committee');
    const zones = (await sut.request<any[]>('GET', '/api/zones', { token: committee })).body;
    const tunliu = zones.find((z) => z.code === 'SX-CZ-TLETDZ');
    const plans = (await sut.request<any[]>('GET', `/api/zoning-plans?zoneId=${tunliu.id}`, { token: committee })).body;
    expect(plans.map((p) => [p.version, p.state])).toEqual([[2, 'issued'], [1, 'superseded']]);
    const [v2, v1] = await Promise.all(plans.map(async (p) => (await sut.request<any>('GET', `/api/zoning-plans/${p.id}`, { token: committee })).body));
    for (const plan of [v1, v2]) {
      expect(plan.totals.map((x: any) => x.count > 0)).toEqual([true, true, true]);
      const total = plan.totals.reduce((s: number, x: any) => s + x.areaM2, 0);
      expect(Math.abs(total - tunliu.areaM2)).toBeLessThan(5);
      const pdf = await sut.request<any>('GET', `/api/zoning-plans/${plan.id}/opinion.pdf`, { token: committee });
      expect(pdf.status).toBe(200);
      expect(createHash('sha256').update(pdf.raw).digest('hex')).toBe(plan.opinion.sha256);
    }
    const release = (p: any) => p.totals.find((x: any) => x.category === 'release').areaM2;
    expect(release(v2)).toBeGreaterThan(release(v1) + 10_000);

    const reviewer = await sut.login('reviewer');
    const submitted = (await sut.request<any[]>('GET', '/api/zoning-plans?state=submitted', { token: reviewer })).body;
    expect(submitted.map((p) => p.zoneCode)).toEqual(['SX-CZ-CZHTZ']);
    const v2diff = (await sut.request<any>('GET', `/api/zoning-plans/${v2.id}/diff`, { token: reviewer })).body;
    expect(v2diff.againstPlanId).toBe(v1.id);
    expect(v2diff.changes.length).toBeGreaterThan(0);
    for (const id of [v1.id, v2.id, submitted[0]!.id]) {
      const r = await sut.request<any>('POST', `/api/zoning-plans/${id}/validate`, { token: reviewer });
      expect(r.body.problems.filter((p: any) => p.severity === 'error')).toEqual([]);
    }

    // a second run changes nothing
    const before = await sut.db.admin.query(`SELECT count(*)::int AS n FROM zoning_plans`);
    await runSeed({ db: sut.dataSource, config: sut.config, clock: sut.clock, audit: sut.app.get(AuditService), actor: { principal: null, correlationId: null, system: 'seed' }, log: () => undefined, orgIds: new Map(), userIds: new Map(), zoneIds: new Map() });
    expect((await sut.db.admin.query(`SELECT count(*)::int AS n FROM zoning_plans`)).rows[0].n).toBe(before.rows[0].n);
  }, 300_000);
});
