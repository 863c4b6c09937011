import { TestApp } from '../support/test-app';
import { buildDiscoveryWorld, DiscoveryWorld, newKey, reportBody } from './discovery-world';

describe('discoveries: report a find, stop work, the authority’s desk', () => {
  let sut: TestApp;
  let w: DiscoveryWorld;
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const report = (body: unknown, key: string | null = newKey(), token = w.tokens.contractor) =>
    sut.request<any>('POST', '/api/discoveries', { token, body, headers: key ? { 'idempotency-key': key } : {} });
  const act = (id: string, action: string, body: unknown = {}, token = w.tokens.authority) =>
    sut.request<any>('POST', `/api/discoveries/${id}/${action}`, { token, body });
  const clearance = (parcelId: string) => sut.request<any>('POST', '/api/clearance', { token: w.tokens.reviewer, body: { parcelId } });
  /** Moves the manual clock and logs everyone in again (access tokens live minutes, not days). */
  const advance = async (ms: number): Promise<void> => {
    sut.clock.advance(ms);
    for (const who of Object.keys(w.tokens)) w.tokens[who] = await sut.login(who);
  };
  const projectState = async (id: string) => (await q<{ state: string }>(`SELECT state FROM projects WHERE id = $1`, [id]))[0]!.state;

  beforeAll(async () => {
    ({ sut, w } = await buildDiscoveryWorld());
  });
  afterAll(() => sut.close());

  it('the whole lifecycle: report → stop work + clock + hold + notices → arrival → opinion → measures → resumption', async () => {
    expect((await clearance(w.parcelId)).body.verdict).toBe('cleared');

    const created = await report(reportBody(w.projectId));
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['deadlines', 'id', 'reportedAt', 'state', 'stopWorkOrderId']);
    expect(created.body).toMatchObject({
      state: 'reported',
      reportedAt: '2026-11-27T10:00:00.000+08:00',
      deadlines: { onSiteDue: '2026-11-28T10:00:00.000+08:00', opinionDue: '2026-12-04T10:00:00.000+08:00' },
    });
    const id: string = created.body.id;

    // the project is stopped, and the land around the find is held: the project parcel and its neighbour are blocked
    expect(await projectState(w.projectId)).toBe('stopped');
    expect((await sut.request<any[]>('GET', '/api/projects', { token: w.tokens.contractor })).body[0].state).toBe('stopped');
    for (const parcelId of [w.parcelId, w.neighbourParcelId]) {
      const c = await clearance(parcelId);
      expect(c.body.verdict).toBe('blocked');
      expect(c.body.reasons.map((r: any) => r.code)).toContain('discovery_hold');
      expect(c.body.reasons.find((r: any) => r.code === 'discovery_hold').message).toMatch(/^涉及因新发现文物遗存而暂停出让的范围 [0-9.]+ 亩/);
    }
    expect((await clearance(w.farParcelId)).body.verdict).toBe('cleared');
    const [hold] = await q(`SELECT reason, active, round(sqrt(ST_Area(geom::geography) / pi())) AS r FROM clearance_holds WHERE source_id = $1`, [id]);
    expect(hold).toMatchObject({ reason: 'discovery_hold', active: true });
    expect(Number(hold.r)).toBeGreaterThanOrEqual(49);
    expect(Number(hold.r)).toBeLessThanOrEqual(50);

    // the county authority and the provincial bureau are told at once; the city is not (yet)
    const inbox = (await sut.request<any[]>('GET', '/api/notifications', { token: w.tokens.authority })).body;
    const notice = inbox.find((n) => n.reportId === id);
    expect(notice).toMatchObject({ kind: 'discovery_reported', readAt: null, payload: { onSiteDue: '2026-11-28T10:00:00.000+08:00' } });
    expect((await sut.request<any[]>('GET', '/api/notifications', { token: w.tokens.reviewer })).body.some((n) => n.reportId === id)).toBe(true);
    expect((await sut.request<any[]>('GET', '/api/notifications', { token: w.tokens.authority_city })).body.some((n) => n.reportId === id)).toBe(false);
    const read = await sut.request<any>('POST', `/api/notifications/${notice.id}/read`, { token: w.tokens.authority });
    expect(read.status).toBe(200);
    expect(read.body.readAt).toMatch(/\+08:00$/);
    expect((await sut.request('POST', `/api/notifications/${notice.id}/read`, { token: w.tokens.contractor })).status).toBe(404);

    // the authority's view: the find with its deadlines and only the next possible action
    const seen = await sut.request<any>('GET', `/api/discoveries/${id}`, { token: w.tokens.authority });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      state: 'reported', overdue: false, foundAt: '2026-11-27T09:40:00.000+08:00', depthM: 2.3, accuracyM: 4.5,
      location: { type: 'Point', coordinates: [113.50812, 36.507] }, allowedActions: ['record-arrival'],
      stopWorkOrder: { id: created.body.stopWorkOrderId, state: 'active', acknowledgedAt: null },
    });
    expect(seen.body.deadlines.map((d: any) => [d.kind, d.dueAt, d.metAt])).toEqual([
      ['on_site', '2026-11-28T10:00:00.000+08:00', null],
      ['opinion', '2026-12-04T10:00:00.000+08:00', null],
    ]);

    // the contractor acknowledges the stop-work order (time kept once)
    await advance(15 * 60_000);
    const ack = await sut.request<any>('POST', `/api/stop-work-orders/${created.body.stopWorkOrderId}/acknowledge`, { token: w.tokens.contractor });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ state: 'active', acknowledgedAt: '2026-11-27T10:15:00.000+08:00' });
    await advance(60_000);
    expect((await sut.request<any>('POST', `/api/stop-work-orders/${created.body.stopWorkOrderId}/acknowledge`, { token: w.tokens.contractor })).body.acknowledgedAt)
      .toBe('2026-11-27T10:15:00.000+08:00');

    // resumption before the measures are done is refused, naming the state
    const early = await act(id, 'authorize-resumption');
    expect(early.status).toBe(409);
    expect(early.body.details).toMatchObject({ state: 'reported', allowedActions: ['record-arrival'] });

    await advance(3 * 3600_000);
    const future = await act(id, 'record-arrival', { arrivedAt: '2026-11-27T18:00:00+08:00', people: ['赵文保'] });
    expect(future.status).toBe(422);
    const arrived = await act(id, 'record-arrival', { arrivedAt: '2026-11-27T13:00:00+08:00', people: ['赵文保', '钱考古'], notes: '现场已设警戒线' });
    expect(arrived.status).toBe(200);
    expect(arrived.body).toMatchObject({ state: 'on_site', arrival: { arrivedAt: '2026-11-27T13:00:00.000+08:00', people: ['赵文保', '钱考古'] } });
    expect(arrived.body.deadlines.find((d: any) => d.kind === 'on_site').metAt).toBe('2026-11-27T13:00:00.000+08:00');
    expect((await act(id, 'authorize-resumption')).status).toBe(409);

    await advance(24 * 3600_000);
    const opinion = await act(id, 'issue-opinion', { measures: 'rescue_excavation', important: true, text: '进行抢救性考古发掘，发掘完毕后方可复工' });
    expect(opinion.status).toBe(200);
    expect(opinion.body.opinion).toMatchObject({ measures: 'rescue_excavation', important: true });
    const byKind = Object.fromEntries(opinion.body.deadlines.map((d: any) => [d.kind, d]));
    expect(byKind.opinion.metAt).toBe('2026-11-28T13:16:00.000+08:00');
    expect(byKind.national).toMatchObject({ dueAt: '2026-12-12T10:00:00.000+08:00', metAt: null });
    expect((await act(id, 'authorize-resumption')).status).toBe(409);

    expect((await act(id, 'complete-measures', { notes: '发掘完毕，遗物已入库' })).body.state).toBe('measures_done');
    expect(await projectState(w.projectId)).toBe('stopped');
    const closed = await act(id, 'authorize-resumption', { reason: '抢救性发掘完成' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ state: 'closed', allowedActions: [], stopWorkOrder: { state: 'lifted' } });
    expect(closed.body.closedAt).toMatch(/\+08:00$/);

    // the project resumes, the hold is gone, the contractor is told
    expect(await projectState(w.projectId)).toBe('active');
    expect((await clearance(w.parcelId)).body.verdict).toBe('cleared');
    expect((await clearance(w.neighbourParcelId)).body.verdict).toBe('cleared');
    const contractorInbox = (await sut.request<any[]>('GET', '/api/notifications', { token: w.tokens.contractor })).body;
    expect(contractorInbox.filter((n) => n.reportId === id).map((n) => n.kind)).toEqual(['stop_work_lifted']);

    // every step is in the document's history
    const history = await sut.request<any>('GET', `/api/discoveries/${id}/history`, { token: w.tokens.authority });
    expect(history.status).toBe(200);
    const actions = (Array.isArray(history.body) ? history.body : history.body.events).map((e: any) => e.action);
    expect(actions).toEqual(expect.arrayContaining([
      'discovery.report', 'discovery.record-arrival', 'discovery.issue-opinion', 'discovery.complete-measures', 'discovery.authorize-resumption',
    ]));
  });

  it('five identical concurrent submissions with one key → one report, one stop-work order, one set of notifications', async () => {
    const key = newKey();
    const body = reportBody(w.projectId, { description: '并发重试：同一份报告', foundAt: '2026-11-28T14:00:00+08:00' });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => report(body, key)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    for (const a of answers) expect(a.body).toEqual(answers[0]!.body);
    const [id] = [...ids];
    expect((await q(`SELECT id FROM discovery_reports WHERE description = $1`, ['并发重试：同一份报告'])).length).toBe(1);
    expect((await q(`SELECT id FROM stop_work_orders WHERE report_id = $1`, [id])).length).toBe(1);
    expect((await q(`SELECT id FROM clearance_holds WHERE source_id = $1`, [id])).length).toBe(1);
    const notices = await q<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE report_id = $1 AND kind = 'discovery_reported'`, [id]);
    expect(notices[0]!.n).toBe(2); // the Tunliu department and the provincial bureau, once each

    // a later retry (the phone came back online) still gets the original answer
    const retry = await report(body, key);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(answers.find((a) => a.status === 201)!.body);
  });

  it('the same key with a different body → 422, nothing created', async () => {
    const key = newKey();
    const first = await report(reportBody(w.projectId, { description: '第一次' }), key);
    expect(first.status).toBe(201);
    const before = (await q(`SELECT count(*)::int AS n FROM discovery_reports`))[0].n;
    const other = await report(reportBody(w.projectId, { description: '另一份报告' }), key, w.tokens.contractor);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect((await q(`SELECT count(*)::int AS n FROM discovery_reports`))[0].n).toBe(before);
  });

  it('a second open find keeps the project stopped until both are closed', async () => {
    const open = await q(`SELECT id FROM discovery_reports WHERE project_id = $1 AND state <> 'closed'`, [w.projectId]);
    expect(open.length).toBeGreaterThanOrEqual(2);
    expect(await projectState(w.projectId)).toBe('stopped');
  });

  it('input: the Idempotency-Key header is required (a UUID); foundAt needs an offset; a Point location', async () => {
    expect((await report(reportBody(w.projectId), null)).status).toBe(400);
    expect((await report(reportBody(w.projectId), 'not-a-uuid')).body.code).toBe('idempotency_key_required');
    const noOffset = await report(reportBody(w.projectId, { foundAt: '2026-11-27T09:40:00' }));
    expect(noOffset.status).toBe(400);
    const polygon = await report(reportBody(w.projectId, { location: { type: 'Polygon', coordinates: [[[113.5, 36.5], [113.6, 36.5], [113.6, 36.6], [113.5, 36.5]]] } }));
    expect(polygon.status).toBe(400);
  });

  describe('denied access and scope', () => {
    let id: string;
    beforeAll(async () => {
      id = (await q<{ id: string }>(`SELECT id FROM discovery_reports WHERE state = 'reported' ORDER BY reported_at LIMIT 1`))[0]!.id;
    });

    it('a contractor reporting on another organisation’s project → 403; an unknown project → 404', async () => {
      const res = await report(reportBody(w.projectId), newKey(), w.tokens.contractor_b);
      expect(res.status).toBe(403);
      expect((await report(reportBody('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
    });

    it('only contractors report a find', async () => {
      for (const who of ['authority', 'reviewer', 'committee', 'admin', 'assessor']) {
        expect((await report(reportBody(w.projectId), newKey(), w.tokens[who])).status).toBe(403);
      }
    });

    it('reads: the contractor only its org’s finds, another contractor nothing, committees never; the city authority sees its tree', async () => {
      const mine = (await sut.request<any[]>('GET', '/api/discoveries', { token: w.tokens.contractor })).body;
      expect(mine.length).toBeGreaterThanOrEqual(3);
      expect(mine.every((d) => d.projectId === w.projectId)).toBe(true);
      expect((await sut.request<any[]>('GET', '/api/discoveries', { token: w.tokens.contractor_b })).body).toEqual([]);
      expect((await sut.request('GET', `/api/discoveries/${id}`, { token: w.tokens.contractor_b })).status).toBe(404);
      expect((await sut.request('GET', '/api/discoveries', { token: w.tokens.committee })).status).toBe(403);
      expect((await sut.request('GET', `/api/discoveries/${id}`, { token: w.tokens.committee })).status).toBe(403);
      expect((await sut.request('GET', `/api/discoveries/${id}`, { token: w.tokens.authority_city })).status).toBe(200);
      expect((await sut.request('GET', `/api/discoveries/${id}`, { token: w.tokens.reviewer })).status).toBe(200);
    });

    it('authority steps: the contractor, reviewer and committee may not take them; the other contractor cannot even see the report', async () => {
      const body = { arrivedAt: '2026-11-27T11:00:00+08:00', people: ['某人'] };
      expect((await act(id, 'record-arrival', body, w.tokens.contractor)).status).toBe(403);
      expect((await act(id, 'record-arrival', body, w.tokens.reviewer)).status).toBe(403);
      expect((await act(id, 'record-arrival', body, w.tokens.committee)).status).toBe(403);
      expect((await act(id, 'record-arrival', body, w.tokens.contractor_b)).status).toBe(404);
      const d = await sut.request<any>('GET', `/api/discoveries/${id}`, { token: w.tokens.authority });
      expect(d.body.state).toBe('reported');
    });

    it('stop-work acknowledgement: only the project’s contractor', async () => {
      const d = await sut.request<any>('GET', `/api/discoveries/${id}`, { token: w.tokens.authority });
      const orderId = d.body.stopWorkOrder.id;
      expect((await sut.request('POST', `/api/stop-work-orders/${orderId}/acknowledge`, { token: w.tokens.contractor_b })).status).toBe(404);
      expect((await sut.request('POST', `/api/stop-work-orders/${orderId}/acknowledge`, { token: w.tokens.authority })).status).toBe(403);
      expect((await sut.request('POST', `/api/stop-work-orders/${orderId}/acknowledge`, { token: w.tokens.reviewer })).status).toBe(403);
    });
  });
});
