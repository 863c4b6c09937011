import { AuditService } from '../../src/modules/audit/audit.service';
import { runSeed } from '../../src/seed/seed';
import { TestApp, createTestApp } from '../support/test-app';
import { assessmentOf, extraAssessor, zoneIds } from './evidence-helpers';

describe('assessments', () => {
  let sut: TestApp;
  const tokens: Record<string, string> = {};
  let zones: Record<string, string>;
  beforeAll(async () => {
    sut = await createTestApp();
    for (const u of ['admin', 'assessor', 'reviewer', 'authority', 'committee', 'contractor']) tokens[u] = await sut.login(u);
    zones = await zoneIds(sut);
  });
  afterAll(() => sut.close());

  it('the zones list shows each demo zone at its seeded assessment stage', async () => {
    const res = await sut.request<any[]>('GET', '/api/zones', { token: tokens.reviewer });
    const status = Object.fromEntries(res.body.map((z) => [z.code, z.assessmentStatus]));
    expect(status).toMatchObject({
      'SX-CZ-TLETDZ': 'concluded', 'SX-CZ-CZHTZ': 'zoning', 'SX-JC-GPETDZ': 'coring', 'SX-JC-JCETDZ': 'surveying',
      'SX-JC-YCETDZ': 'planned', 'SX-JC-QSETDZ': 'not_started', 'SX-JZ-NYGX': 'not_applicable', 'SX-JZ-PYWL': 'not_applicable',
    });
  });

  it('refuses an assessment of an agricultural or cultural-tourism zone, saying projects there apply individually', async () => {
    for (const code of ['SX-JZ-NYGX', 'SX-JZ-PYWL']) {
      const res = await sut.request<any>('POST', '/api/assessments', { token: tokens.assessor, body: { zoneId: zones[code] } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('assessment_not_applicable');
      expect(res.body.message).toContain('农业类/文旅类开发区不做整体评估');
      expect(res.body.message).toContain('单个建设项目需单独申请考古调查勘探');
    }
  });

  it('only assessors and reviewers open assessments; evidence readers only read them', async () => {
    for (const who of ['committee', 'contractor', 'authority', 'admin']) {
      const res = await sut.request<any>('POST', '/api/assessments', { token: tokens[who], body: { zoneId: zones['SX-JC-QSETDZ'] } });
      expect(res.status).toBe(403);
    }
    for (const who of ['committee', 'contractor']) {
      expect((await sut.request('GET', '/api/assessments', { token: tokens[who] })).status).toBe(403);
      expect((await sut.request('GET', `/api/assessments/${await assessmentOf(sut, 'SX-CZ-TLETDZ')}`, { token: tokens[who] })).status).toBe(403);
    }
  });

  it('walks an assessment through its states with team guards, audit history and a 409 naming the allowed actions', async () => {
    const created = await sut.request<any>('POST', '/api/assessments', {
      token: tokens.assessor, body: { zoneId: zones['SX-JC-QSETDZ'], title: '沁水经开区评估' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'planned', allowedActions: ['start-survey'], zone: { code: 'SX-JC-QSETDZ' } });
    expect(created.body.members).toEqual([expect.objectContaining({ username: 'assessor', teamRole: 'lead' })]);
    expect(created.body.createdAt).toMatch(/\+08:00$/);
    const id = created.body.id as string;

    const again = await sut.request<any>('POST', '/api/assessments', { token: tokens.reviewer, body: { zoneId: zones['SX-JC-QSETDZ'] } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('assessment_already_open');

    const wrong = await sut.request<any>('POST', `/api/assessments/${id}/conclude`, { token: tokens.assessor });
    expect(wrong.status).toBe(409);
    expect(wrong.body.details).toEqual({ state: 'planned', action: 'conclude', allowedActions: ['start-survey'] });
    expect(wrong.body.message).toBe('当前状态为“计划中”，不能执行“完成评估”；可执行的操作：开始调查');

    // an assessor who is not on the team may not drive it, nor change the team
    const outsider = await extraAssessor(sut, 'assessor_b');
    const denied = await sut.request<any>('POST', `/api/assessments/${id}/start-survey`, { token: outsider.token });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('assessment_not_team_member');
    expect((await sut.request('POST', `/api/assessments/${id}/members`, { token: outsider.token, body: { userId: outsider.id } })).status).toBe(403);
    for (const who of ['committee', 'contractor', 'authority']) {
      expect((await sut.request('POST', `/api/assessments/${id}/start-survey`, { token: tokens[who] })).status).toBe(403);
    }

    // the lead adds them; then they may
    const added = await sut.request<any>('POST', `/api/assessments/${id}/members`, { token: tokens.assessor, body: { userId: outsider.id } });
    expect(added.status).toBe(200);
    expect(added.body.members.map((m: any) => `${m.username}:${m.teamRole}`).sort()).toEqual(['assessor:lead', 'assessor_b:member']);
    const started = await sut.request<any>('POST', `/api/assessments/${id}/start-survey`, { token: outsider.token, body: { reason: '进场调查' } });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ state: 'surveying', allowedActions: ['start-coring'] });
    expect(started.body.startedAt).toBe('2026-11-27T10:00:00.000+08:00');

    // the last lead cannot be removed; a member can
    expect((await sut.request<any>('DELETE', `/api/assessments/${id}/members/${created.body.members[0].userId}`, { token: tokens.assessor })).body.code).toBe('assessment_last_lead');
    expect((await sut.request('DELETE', `/api/assessments/${id}/members/${outsider.id}`, { token: tokens.assessor })).status).toBe(200);
    expect((await sut.request('POST', `/api/assessments/${id}/start-coring`, { token: outsider.token })).status).toBe(403);

    // a reviewer (not on the team) guides it to the end
    for (const action of ['start-coring', 'start-zoning', 'conclude']) {
      const res = await sut.request<any>('POST', `/api/assessments/${id}/${action}`, { token: tokens.reviewer });
      expect(res.status).toBe(200);
    }
    const done = await sut.request<any>('GET', `/api/assessments/${id}`, { token: tokens.assessor });
    expect(done.body).toMatchObject({ state: 'concluded', allowedActions: [] });
    expect(done.body.concludedAt).toMatch(/\+08:00$/);

    const history = await sut.request<any[]>('GET', `/api/assessments/${id}/history`, { token: tokens.reviewer });
    expect(history.status).toBe(200);
    expect(history.body.map((e) => e.action)).toEqual([
      'assessment.create', 'assessment.member.add', 'assessment.start-survey', 'assessment.member.remove',
      'assessment.start-coring', 'assessment.start-zoning', 'assessment.conclude',
    ]);
    expect(history.body[2]).toMatchObject({ reason: '进场调查', before: { state: 'planned' }, after: { state: 'surveying' } });
    expect((await sut.request<any>('GET', '/api/audit/verify', { token: tokens.reviewer })).body.ok).toBe(true);

    // a concluded zone may be reassessed
    const re = await sut.request<any>('POST', '/api/assessments', { token: tokens.reviewer, body: { zoneId: zones['SX-JC-QSETDZ'], memberIds: [outsider.id] } });
    expect(re.status).toBe(201);
    expect(re.body.members).toEqual([expect.objectContaining({ username: 'assessor_b', teamRole: 'lead' })]);
    const zone = (await sut.request<any[]>('GET', '/api/zones', { token: tokens.committee })).body;
    expect(zone.find((z) => z.code === 'SX-JC-QSETDZ')).toBeUndefined(); // committee sees only its own zone
    const list = (await sut.request<any[]>('GET', '/api/zones', { token: tokens.reviewer })).body;
    expect(list.find((z) => z.code === 'SX-JC-QSETDZ')!.assessmentStatus).toBe('planned');
  });

  it('shows counts of the survey and the cores on the detail, and scopes reads by division', async () => {
    const tunliu = await assessmentOf(sut, 'SX-CZ-TLETDZ');
    const gaoping = await assessmentOf(sut, 'SX-JC-GPETDZ');
    const detail = await sut.request<any>('GET', `/api/assessments/${tunliu}`, { token: tokens.authority });
    expect(detail.status).toBe(200);
    expect(detail.body.counts.tracks).toBeGreaterThan(3);
    expect(detail.body.counts.observations).toBe(24);
    expect(detail.body.counts.trackLengthM).toBeGreaterThan(50_000);
    // the coring table exists (coring module): counts by result, an object even when empty
    expect(detail.body.counts.coresByResult).toEqual(expect.any(Object));

    const mine = (await sut.request<any[]>('GET', '/api/assessments', { token: tokens.authority })).body;
    expect(mine.map((a) => a.zone.code)).toEqual(['SX-CZ-TLETDZ']);
    expect((await sut.request('GET', `/api/assessments/${gaoping}`, { token: tokens.authority })).status).toBe(404);
    const all = (await sut.request<any[]>('GET', `/api/assessments?zoneId=${zones['SX-JC-GPETDZ']}`, { token: tokens.assessor })).body;
    expect(all).toEqual([expect.objectContaining({ id: gaoping, state: 'coring' })]);
  });

  it('seeding again adds no second assessment, track, observation or relic', async () => {
    const counts = async (): Promise<unknown> => (await sut.db.admin.query(
      `SELECT (SELECT count(*) FROM assessments WHERE title LIKE '%（演示）') AS a, (SELECT count(*) FROM survey_tracks WHERE name LIKE '%（演示）') AS t,
              (SELECT count(*) FROM survey_observations WHERE description LIKE '%（演示数据）') AS o, (SELECT count(*) FROM immovable_relics WHERE code LIKE 'DEMO-%') AS r`,
    )).rows[0];
    const before = await counts();
    expect(before).toEqual({ a: '5', t: expect.any(String), o: String(24 + 28 + 18 + 11), r: '5' });
    await runSeed({
      db: sut.dataSource, config: sut.config, clock: sut.clock, audit: sut.app.get(AuditService),
      actor: { principal: null, correlationId: null, system: 'seed' }, log: () => undefined,
      orgIds: new Map(), userIds: new Map(), zoneIds: new Map(),
    });
    expect(await counts()).toEqual(before);
  });
});
