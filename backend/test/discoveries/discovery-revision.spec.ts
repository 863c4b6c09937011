import { TestApp } from '../support/test-app';
import { buildDiscoveryWorld, DiscoveryWorld, newKey, reportBody } from './discovery-world';

describe('discoveries: preserve_in_situ opens a zoning revision; the hold ends with a revised plan or the closed report', () => {
  let sut: TestApp;
  let w: DiscoveryWorld;
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const act = (id: string, action: string, body: unknown = {}, token = w.tokens.authority) =>
    sut.request<any>('POST', `/api/discoveries/${id}/${action}`, { token, body });
  const clearance = (parcelId: string) => sut.request<any>('POST', '/api/clearance', { token: w.tokens.reviewer, body: { parcelId } });
  const reportAndArrive = async (description: string): Promise<string> => {
    const res = await sut.request<any>('POST', '/api/discoveries', { token: w.tokens.contractor, body: reportBody(w.projectId, { description }), headers: { 'idempotency-key': newKey() } });
    expect(res.status).toBe(201);
    expect((await act(res.body.id, 'record-arrival', { arrivedAt: '2026-11-27T10:00:00+08:00', people: ['赵文保'] })).status).toBe(200);
    return res.body.id;
  };

  beforeAll(async () => {
    ({ sut, w } = await buildDiscoveryWorld());
  });
  afterAll(() => sut.close());

  it('the opinion opens a draft of the zone: the issued plan’s areas plus a 50 m avoidance area around the find', async () => {
    const id = await reportAndArrive('砖室墓，建议原址保护');
    const res = await act(id, 'issue-opinion', { measures: 'preserve_in_situ', important: false, text: '原址保护，调整规划避让' });
    expect(res.status).toBe(200);
    expect(res.body.revisionPlanId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.hold).toEqual({ active: true, liftedAt: null, liftedReason: null });

    const plan = await sut.request<any>('GET', `/api/zoning-plans/${res.body.revisionPlanId}`, { token: w.tokens.assessor });
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ zoneId: w.industrialZoneId, state: 'draft', version: 2 });
    const v1 = await sut.request<any>('GET', `/api/zoning-plans/${w.planV1Id}`, { token: w.tokens.assessor });
    expect(plan.body.areas).toHaveLength(v1.body.areas.length + 1);
    const added = plan.body.areas.find((a: any) => a.rationale?.includes('原址保护'));
    expect(added.category).toBe('avoidance');
    // a disc of 50 m: π·50² ≈ 7854 m² ≈ 11.78 亩 (64-gon slightly less)
    expect(added.areaMu).toBeGreaterThan(11.6);
    expect(added.areaMu).toBeLessThan(11.8);
    const [{ d }] = await q(`SELECT ST_Distance(ST_Centroid(a.geom)::geography, r.location::geography) AS d FROM zoning_areas a, discovery_reports r WHERE a.id = $1 AND r.id = $2`, [added.id, id]);
    expect(Number(d)).toBeLessThan(1);

    // drafts stay with assessors and reviewers: the committee and the contractor never see it
    expect((await sut.request('GET', `/api/zoning-plans/${res.body.revisionPlanId}`, { token: w.tokens.committee })).status).toBe(404);
    expect((await sut.request('GET', `/api/zoning-plans/${res.body.revisionPlanId}`, { token: w.tokens.contractor })).status).toBe(403);

    // the document's history names why it was opened
    const [audit] = await q(`SELECT reason, after FROM audit_events WHERE entity_type = 'zoning_plan' AND entity_id = $1 AND action = 'zoning_plan.create'`, [res.body.revisionPlanId]);
    expect(audit.reason).toBe('discovery_preserve_in_situ');
    expect(audit.after).toMatchObject({ discoveryReportId: id, bufferM: 50, basedOn: w.planV1Id });
  });

  it('issuing a revised plan of the zone lifts the hold while the report is still open', async () => {
    const [{ id }] = await q(`SELECT id FROM discovery_reports WHERE description = '砖室墓，建议原址保护'`);
    const before = await clearance(w.neighbourParcelId);
    expect(before.body.verdict).toBe('blocked');
    expect(before.body.reasons.map((r: any) => r.code)).toEqual(['discovery_hold']);

    // the zoning workflow's issue is a compare-and-set to 'issued' (the trigger fires on that update)
    const [{ revision_plan_id: planId }] = await q(`SELECT revision_plan_id FROM discovery_reports WHERE id = $1`, [id]);
    await q(`UPDATE zoning_plans SET state = 'superseded', superseded_at = now() WHERE id = $1`, [w.planV1Id]);
    await q(
      `UPDATE zoning_plans SET state = 'issued', issued_at = $2, document_number = '晋文物函〔2026〕199号',
              opinion_file_id = (SELECT opinion_file_id FROM zoning_plans WHERE id = $3) WHERE id = $1`,
      [planId, sut.clock.now(), w.planV1Id],
    );

    const d = await sut.request<any>('GET', `/api/discoveries/${id}`, { token: w.tokens.authority });
    expect(d.body.state).toBe('opinion_issued');
    expect(d.body.hold).toMatchObject({ active: false, liftedReason: 'revised_plan_issued' });
    expect(d.body.hold.liftedAt).toMatch(/\+08:00$/);
    // the neighbour is now blocked by the plan's own avoidance area, no longer by the hold
    const after = await clearance(w.neighbourParcelId);
    expect(after.body.verdict).toBe('blocked');
    expect(after.body.reasons.map((r: any) => r.code)).toEqual(['touches_avoidance']);
  });

  it('a rescue excavation opens no revision; its hold ends when the report closes', async () => {
    const id = await reportAndArrive('灰坑，抢救性发掘');
    const res = await act(id, 'issue-opinion', { measures: 'rescue_excavation', important: false, text: '抢救性发掘' });
    expect(res.body.revisionPlanId).toBeNull();
    expect(res.body.hold.active).toBe(true);
    await act(id, 'complete-measures', {});
    const closed = await act(id, 'authorize-resumption', { reason: '发掘完成' });
    expect(closed.body.hold).toMatchObject({ active: false, liftedReason: 'discovery_closed' });
  });
});
