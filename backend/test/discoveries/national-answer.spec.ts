import { hashPassword } from '../../src/modules/auth/password';
import { DeadlineEngine } from '../../src/modules/discoveries/discovery-deadlines';
import { DEMO_PASSWORD, TestApp } from '../support/test-app';
import { buildDiscoveryWorld, DiscoveryWorld, newKey, reportBody } from './discovery-world';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** DOMAIN.md §4.5: an important find's national answer (国家文物局) within 15 days, recorded by the authority. */
describe('discoveries: recording the national answer on an important find', () => {
  let sut: TestApp;
  let w: DiscoveryWorld;
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const act = (id: string, action: string, body: unknown = {}, token = w.tokens.authority, lang: 'zh-CN' | 'en' = 'zh-CN') =>
    sut.request<any>('POST', `/api/discoveries/${id}/${action}`, { token, body, lang });
  const answer = (id: string, body: unknown, token = w.tokens.authority, lang: 'zh-CN' | 'en' = 'zh-CN') => act(id, 'record-national-answer', body, token, lang);
  const advance = async (ms: number): Promise<void> => {
    sut.clock.advance(ms);
    for (const who of Object.keys(w.tokens)) w.tokens[who] = await sut.login(who);
  };
  const report = async (description: string): Promise<string> => {
    const res = await sut.request<any>('POST', '/api/discoveries', { token: w.tokens.contractor, body: reportBody(w.projectId, { description }), headers: { 'idempotency-key': newKey() } });
    if (res.status !== 201) throw new Error(`report: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const step = async (id: string, action: string, body: unknown): Promise<any> => {
    const res = await act(id, action, body);
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const national = async (id: string) =>
    (await q<{ id: string; met_at: Date | null; breached_at: Date | null }>(`SELECT id, met_at, breached_at FROM discovery_deadlines WHERE report_id = $1 AND kind = 'national'`, [id]))[0];
  const stored = async (id: string) =>
    (await q(`SELECT national_answer_at, national_answer_ref, national_answer_text, national_answer_by, national_answer_recorded_at FROM discovery_reports WHERE id = $1`, [id]))[0];
  const auditRows = (id: string) => q(`SELECT actor_user_id, before, after FROM audit_events WHERE entity_id = $1 AND action = 'discovery.record-national-answer'`, [id]);

  let important: string;
  let notImportant: string;
  let fresh: string;

  beforeAll(async () => {
    ({ sut, w } = await buildDiscoveryWorld());
    // an authority officer of another county (潞州区 140403): the Tunliu reports are outside its scope
    const [org] = await q<{ id: string }>(`INSERT INTO organizations (type, name, division_code) VALUES ('local_authority', '潞州区文物局（测试）', '140403') RETURNING id`);
    const [u] = await q<{ id: string }>(
      `INSERT INTO users (username, display_name, password_hash, org_id, password_changed_at) VALUES ('authority_luzhou', '潞州文保', $1, $2, now()) RETURNING id`,
      [await hashPassword(DEMO_PASSWORD), org!.id],
    );
    await q(`INSERT INTO role_assignments (user_id, role, scope_type, division_code) VALUES ($1, 'authority_officer', 'division', '140403')`, [u!.id]);
    w.tokens.authority_luzhou = await sut.login('authority_luzhou');

    // reported 2026-11-27 10:00 (+08:00); on site at 12:30; opinions the next day at 13:00
    important = await report('基槽内发现汉代砖室墓，墓室保存完整');
    notImportant = await report('基槽内发现零星瓦片');
    fresh = await report('基槽内发现疑似夯土');
    await advance(3 * HOUR);
    for (const id of [important, notImportant]) await step(id, 'record-arrival', { arrivedAt: '2026-11-27T12:30:00+08:00', people: ['赵文保'] });
    await advance(DAY);
    await step(important, 'issue-opinion', { measures: 'rescue_excavation', important: true, text: '重要发现，报国家文物局' });
    await step(notImportant, 'issue-opinion', { measures: 'no_cultural_value', important: false, text: '无文物价值，可复工' });
    await advance(10 * DAY); // now 2026-12-08 13:00, the national answer due 2026-12-12 10:00
  });
  afterAll(() => sut.close());

  it('refuses an answer in the future (422, in Chinese) or before the report (422), storing nothing', async () => {
    const future = await answer(important, { answeredAt: '2026-12-08T14:00:00+08:00', reference: '文物博函〔2026〕88号' });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({ code: 'discovery_national_answer_in_future', message: '答复时间不能晚于当前时间' });
    const early = await answer(important, { answeredAt: '2026-11-27T09:00:00+08:00', reference: '文物博函〔2026〕88号' });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('discovery_national_answer_before_report');
    expect(early.body.message).toContain('答复时间不能早于报告时间');

    expect(await stored(important)).toEqual({
      national_answer_at: null, national_answer_ref: null, national_answer_text: null, national_answer_by: null, national_answer_recorded_at: null,
    });
    expect((await national(important))!.met_at).toBeNull();
    expect(await auditRows(important)).toEqual([]);
  });

  it('refuses malformed bodies (400): no offset, a blank or over-long reference, an over-long text', async () => {
    for (const body of [
      { answeredAt: '2026-12-08T11:30:00', reference: '文物博函〔2026〕88号' },
      { answeredAt: '2026-12-08T11:30:00+08:00', reference: '   ' },
      { answeredAt: '2026-12-08T11:30:00+08:00' },
      { answeredAt: '2026-12-08T11:30:00+08:00', reference: '号'.repeat(101) },
      { answeredAt: '2026-12-08T11:30:00+08:00', reference: '文物博函〔2026〕88号', text: '字'.repeat(4001) },
    ]) {
      expect((await answer(important, body)).status).toBe(400);
    }
    expect((await national(important))!.met_at).toBeNull();
  });

  describe('denied access and scope', () => {
    const body = { answeredAt: '2026-12-08T11:30:00+08:00', reference: '文物博函〔2026〕88号' };

    it('the contractor, reviewer, assessor and admin may read the report but not record the answer (403); committees never (403)', async () => {
      for (const who of ['contractor', 'reviewer', 'assessor', 'admin', 'committee']) {
        const res = await answer(important, body, w.tokens[who]);
        expect([who, res.status]).toEqual([who, 403]);
      }
    });

    it('another contractor and an authority officer of another county do not see the report (404)', async () => {
      expect((await answer(important, body, w.tokens.contractor_b)).status).toBe(404);
      expect((await answer(important, body, w.tokens.authority_luzhou)).status).toBe(404);
      expect((await sut.request('GET', `/api/discoveries/${important}`, { token: w.tokens.authority_luzhou })).status).toBe(404);
      expect((await answer('00000000-0000-4000-8000-000000000000', body)).status).toBe(404);
    });

    afterAll(async () => {
      expect(await stored(important)).toMatchObject({ national_answer_at: null });
      expect(await auditRows(important)).toEqual([]);
    });
  });

  it('no national answer is expected without an important opinion (409): not important, or no opinion yet', async () => {
    const res = await answer(notImportant, { answeredAt: '2026-12-08T11:30:00+08:00', reference: '文物博函〔2026〕88号' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'discovery_national_answer_not_expected', message: '该报告的处理意见未标记为重要发现，无须登记国家文物局答复' });
    const en = await answer(fresh, { answeredAt: '2026-12-08T11:30:00+08:00', reference: '文物博函〔2026〕88号' }, w.tokens.authority, 'en');
    expect(en.status).toBe(409);
    expect(en.body).toMatchObject({ code: 'discovery_national_answer_not_expected', message: 'The handling opinion did not mark this find as important; no national answer is expected' });
    expect(await stored(notImportant)).toMatchObject({ national_answer_at: null });
    expect(await stored(fresh)).toMatchObject({ national_answer_at: null });
  });

  it('records the answer once: the national deadline is met at the answer’s time, the report shows it, the audit has it; a concurrent second one → 409', async () => {
    const [a, b] = await Promise.all([
      answer(important, { answeredAt: '2026-12-08T11:30:00+08:00', reference: '  文物博函〔2026〕88号 ', text: '同意抢救性考古发掘方案，出土文物妥善保管。' }),
      answer(important, { answeredAt: '2026-12-08T11:45:00+08:00', reference: '文物博函〔2026〕89号' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const won = a.status === 200 ? a : b;
    const lost = a.status === 200 ? b : a;
    const wonFirst = won === a;
    const expected = wonFirst
      ? { answeredAt: '2026-12-08T11:30:00.000+08:00', reference: '文物博函〔2026〕88号', text: '同意抢救性考古发掘方案，出土文物妥善保管。' }
      : { answeredAt: '2026-12-08T11:45:00.000+08:00', reference: '文物博函〔2026〕89号', text: null };
    expect(lost.body.code).toBe('discovery_national_answer_recorded');
    expect(lost.body.message).toBe(`已登记国家文物局答复（${expected.reference}），不能重复登记`);

    expect(won.body.state).toBe('opinion_issued'); // not a state change
    expect(won.body.allowedActions).toEqual(['complete-measures']);
    expect(won.body.nationalAnswer).toEqual({ ...expected, recordedAt: '2026-12-08T13:00:00.000+08:00' });
    expect(won.body.deadlines.find((d: any) => d.kind === 'national')).toMatchObject({ dueAt: '2026-12-12T10:00:00.000+08:00', metAt: expected.answeredAt });

    const seen = await sut.request<any>('GET', `/api/discoveries/${important}`, { token: w.tokens.contractor });
    expect(seen.body.nationalAnswer).toEqual(won.body.nationalAnswer);
    expect((await national(important))!.met_at!.toISOString()).toBe(new Date(expected.answeredAt).toISOString());

    const [authority] = await q<{ id: string }>(`SELECT id FROM users WHERE username = 'authority'`);
    expect(await stored(important)).toMatchObject({ national_answer_ref: expected.reference, national_answer_by: authority!.id });
    const audit = await auditRows(important);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_user_id: authority!.id,
      before: { nationalAnswer: null, nationalDeadline: { metAt: null } },
      after: { nationalAnswer: { ...expected, recordedAt: '2026-12-08T13:00:00.000+08:00' }, nationalDeadline: { metAt: expected.answeredAt } },
    });
    const history = await sut.request<any>('GET', `/api/discoveries/${important}/history`, { token: w.tokens.authority });
    const actions = (Array.isArray(history.body) ? history.body : history.body.events).map((e: any) => e.action);
    expect(actions).toContain('discovery.record-national-answer');

    // a later retry is refused too, and changes nothing
    const again = await answer(important, { answeredAt: '2026-12-08T12:00:00+08:00', reference: '文物博函〔2026〕90号' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('discovery_national_answer_recorded');
    expect(await stored(important)).toMatchObject({ national_answer_ref: expected.reference });
    expect(await auditRows(important)).toHaveLength(1);
  });

  it('the answered national deadline neither reminds nor escalates after its due time; the report is not overdue', async () => {
    await advance(5 * DAY); // 2026-12-13 13:00, past the 2026-12-12 10:00 due time
    const deadline = (await national(important))!;
    const fired = await sut.app.get(DeadlineEngine).fireDue(deadline.id);
    expect(fired).toEqual({ reminded: [], breached: [] });
    expect((await national(important))!.breached_at).toBeNull();
    expect(await q(`SELECT id FROM notifications WHERE deadline_id = $1`, [deadline.id])).toEqual([]);
    expect((await sut.request<any>('GET', `/api/discoveries/${important}`, { token: w.tokens.authority })).body.overdue).toBe(false);
  });

  it('an answer may still be recorded after the report is closed', async () => {
    const id = await report('基槽内发现唐代窑址');
    await advance(HOUR);
    await step(id, 'record-arrival', { arrivedAt: '2026-12-13T13:30:00+08:00', people: ['赵文保'] });
    await step(id, 'issue-opinion', { measures: 'rescue_excavation', important: true, text: '重要发现，报国家文物局' });
    await step(id, 'complete-measures', {});
    expect((await step(id, 'authorize-resumption', {})).state).toBe('closed');
    await advance(2 * DAY);
    const res = await answer(id, { answeredAt: '2026-12-15T09:00:00+08:00', reference: '文物博函〔2026〕95号' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'closed', nationalAnswer: { answeredAt: '2026-12-15T09:00:00.000+08:00', reference: '文物博函〔2026〕95号', text: null } });
    expect(res.body.deadlines.find((d: any) => d.kind === 'national').metAt).toBe('2026-12-15T09:00:00.000+08:00');
  });
});
