import { AuditService } from '../../src/modules/audit/audit.service';
import { SeedContext } from '../../src/seed/seed';
import { discoveriesSeedStep } from '../../src/seed/steps/discoveries.seed';
import { createTestApp, TestApp } from '../support/test-app';

/** The demo seed (TEST_EPOCH = 2026-11-27 10:00 +08:00): one active project, one stopped by a find three hours old, one closed find. */
describe('discoveries demo seed step', () => {
  let sut: TestApp;
  const tokens: Record<string, string> = {};
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);

  beforeAll(async () => {
    sut = await createTestApp();
    for (const who of ['contractor', 'authority', 'admin']) tokens[who] = await sut.login(who);
  });
  afterAll(() => sut.close());

  it('the contractor keeps one active project and has a second one stopped', async () => {
    const projects = (await sut.request<any[]>('GET', '/api/projects', { token: tokens.contractor })).body;
    expect(Object.fromEntries(projects.map((p) => [p.name, p.state]))).toEqual({
      '晋通装备制造车间（演示）': 'stopped',
      '晋通新材料厂房一期（演示）': 'active',
    });
  });

  it('the open find was reported three hours before the seed: the authority sees its countdown, the stop-work order is active', async () => {
    const open = (await sut.request<any[]>('GET', '/api/discoveries?state=reported', { token: tokens.authority })).body;
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      projectName: '晋通装备制造车间（演示）', state: 'reported', overdue: false, reportedAt: '2026-11-27T07:00:00.000+08:00',
      stopWorkOrder: { state: 'active' }, hold: { active: true }, allowedActions: ['record-arrival'],
    });
    expect(open[0].deadlines.map((d: any) => [d.kind, d.dueAt, d.metAt])).toEqual([
      ['on_site', '2026-11-28T07:00:00.000+08:00', null],
      ['opinion', '2026-12-04T07:00:00.000+08:00', null],
    ]);
    const inbox = (await sut.request<any[]>('GET', '/api/notifications', { token: tokens.authority })).body;
    expect(inbox.some((n) => n.reportId === open[0].id && n.kind === 'discovery_reported')).toBe(true);
  });

  it('a closed find with its whole history: arrival, opinion, measures, resumption, on the active project', async () => {
    const [closed] = (await sut.request<any[]>('GET', '/api/discoveries?state=closed', { token: tokens.authority })).body;
    expect(closed).toMatchObject({
      projectName: '晋通新材料厂房一期（演示）', state: 'closed', overdue: false, opinion: { measures: 'rescue_excavation' },
      stopWorkOrder: { state: 'lifted' }, hold: { active: false, liftedReason: 'discovery_closed' },
    });
    expect(closed.reportedAt).toBe('2026-11-06T10:00:00.000+08:00');
    expect(closed.stopWorkOrder.acknowledgedAt).toBe('2026-11-06T10:20:00.000+08:00');
    expect(closed.arrival.arrivedAt).toBe('2026-11-06T16:05:00.000+08:00');
    expect(closed.deadlines.every((d: any) => d.metAt !== null && d.breachedAt === null)).toBe(true);
    const history = await sut.request<any>('GET', `/api/discoveries/${closed.id}/history`, { token: tokens.authority });
    const events = Array.isArray(history.body) ? history.body : history.body.events;
    expect(events.map((e: any) => e.action)).toEqual([
      'discovery.report', 'discovery.record-arrival', 'discovery.issue-opinion', 'discovery.complete-measures', 'discovery.authorize-resumption',
    ]);
    expect((await sut.request<any>('GET', '/api/audit/verify', { token: tokens.admin })).body.ok).toBe(true);
  });

  it('is idempotent: running the step again adds nothing', async () => {
    const count = async () => (await q(`SELECT (SELECT count(*) FROM discovery_reports)::int AS r, (SELECT count(*) FROM projects)::int AS p, (SELECT count(*) FROM audit_events)::int AS a`))[0];
    const before = await count();
    const logs: string[] = [];
    const ctx: SeedContext = {
      db: sut.dataSource, config: sut.config, clock: sut.clock, audit: sut.app.get(AuditService),
      actor: { principal: null, correlationId: null, system: 'seed' }, log: (m) => logs.push(m),
      orgIds: new Map(), userIds: new Map((await q(`SELECT id, username FROM users`)).map((r: any) => [r.username, r.id])), zoneIds: new Map(),
    };
    await sut.dataSource.transaction((m) => discoveriesSeedStep.run(m, ctx));
    expect(await count()).toEqual(before);
    expect(logs).toEqual([]);
  });
});
