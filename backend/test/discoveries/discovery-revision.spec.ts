import { proveCoverage } from '../../src/modules/zoning/coverage-proof';
import { Box, issuePlan } from '../clearance/committee-world';
import { TestApp } from '../support/test-app';
import { validate } from '../zoning/zoning-fixtures';
import { buildDiscoveryWorld, DiscoveryWorld, newKey, reportBody } from './discovery-world';

describe('discoveries: preserve_in_situ opens a zoning revision; the hold ends with a revised plan or the closed report', () => {
  let sut: TestApp;
  let w: DiscoveryWorld;
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const act = (id: string, action: string, body: unknown = {}, token = w.tokens.authority) =>
    sut.request<any>('POST', `/api/discoveries/${id}/${action}`, { token, body });
  const clearance = (parcelId: string) => sut.request<any>('POST', '/api/clearance', { token: w.tokens.reviewer, body: { parcelId } });
  const reportAndArrive = async (description: string, at?: [number, number]): Promise<string> => {
    const body = reportBody(w.projectId, { description, ...(at ? { location: { type: 'Point', coordinates: at } } : {}) });
    const res = await sut.request<any>('POST', '/api/discoveries', { token: w.tokens.contractor, body, headers: { 'idempotency-key': newKey() } });
    expect(res.status).toBe(201);
    expect((await act(res.body.id, 'record-arrival', { arrivedAt: '2026-11-27T10:00:00+08:00', people: ['赵文保'] })).status).toBe(200);
    return res.body.id;
  };

  /** The plan's areas as stored, with their areas on the ellipsoid and evidence links. */
  const storedAreas = (planId: string) => q<{ id: string; category: string; label: string | null; m2: number; rings: number; evidence: string[] }>(
    `SELECT a.id, a.category, a.label, ST_Area(a.geom::geography) AS m2, ST_NRings(a.geom) AS rings,
            ARRAY(SELECT e.evidence_type || ':' || e.evidence_id FROM zoning_area_evidence e WHERE e.area_id = a.id ORDER BY 1) AS evidence
       FROM zoning_areas a WHERE a.plan_id = $1 ORDER BY a.category, ST_Area(a.geom) DESC`,
    [planId],
  ).then((rows) => rows.map((r) => ({ ...r, m2: Number(r.m2) })));
  const totalM2 = async (planId: string): Promise<number> => (await storedAreas(planId)).reduce((s, a) => s + a.m2, 0);
  /** The edge-chain proof (ADR 0002) of a plan: the areas it cannot prove disjoint (none when neighbours share edges vertex for vertex). */
  const suspects = async (planId: string): Promise<string[]> => {
    const areas = await q<{ id: string; wkb: Buffer }>(`SELECT id, ST_AsBinary(geom, 'NDR') AS wkb FROM zoning_areas WHERE plan_id = $1`, [planId]);
    return (await proveCoverage(async (sql, params) => (await sut.db.admin.query(sql, params)).rows, areas)).suspects;
  };
  const opinionAudit = async (reportId: string): Promise<any> =>
    (await q(`SELECT after FROM audit_events WHERE entity_type = 'discovery_report' AND entity_id = $1 AND action = 'discovery.issue-opinion'`, [reportId]))[0]!.after;

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

    // the disc lies inside release R1: the draft's copy of R1 has it as a hole, and nothing overlaps
    // (the rest of T-IND is unzoned in v1, so gaps remain for the assessors)
    const v1Release = (await storedAreas(w.planV1Id)).find((a) => a.category === 'release')!;
    const release = (await storedAreas(res.body.revisionPlanId)).filter((a) => a.category === 'release');
    const avoidance = (await storedAreas(res.body.revisionPlanId)).find((a) => a.id === added.id)!;
    expect(release).toHaveLength(1);
    expect(release[0]!.rings).toBe(2);
    expect(Math.abs(release[0]!.m2 - (v1Release.m2 - avoidance.m2))).toBeLessThan(1);
    const problems = await validate(sut, { assessor: w.tokens.assessor } as any, res.body.revisionPlanId);
    expect(problems.filter((p) => p.code === 'overlap' || p.code === 'invalid_geometry' || p.code === 'outside_boundary')).toEqual([]);
    expect(problems.some((p) => p.code === 'gap')).toBe(true);
    const revision = (await opinionAudit(id)).revision;
    expect(revision).toMatchObject({ planId: res.body.revisionPlanId, areaId: added.id, basedOn: w.planV1Id });
    expect(revision.cut).toEqual([{ areaId: release[0]!.id, beforeM2: expect.any(Number), cutM2: expect.any(Number), parts: [{ areaId: release[0]!.id, m2: expect.any(Number) }], removed: false }]);
    expect(Math.abs(revision.cut[0].cutM2 - avoidance.m2)).toBeLessThan(1);

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
  describe('on an issued plan that covers the zone, the draft comes out consistent', () => {
    // three full-height columns of T-IND sharing their edges vertex for vertex: release W, an exploration
    // strip S ≈ 45 m wide (a 50 m disc cuts it in two) with an evidence link, release E
    const COLUMNS: Array<[string, Box]> = [
      ['release', [113.5, 36.5, 113.509, 36.52]],
      ['exploration', [113.509, 36.5, 113.5095, 36.52]],
      ['release', [113.5095, 36.5, 113.52, 36.52]],
    ];
    const DISC_M2 = Math.PI * 50 ** 2;
    let issuedId: string;
    let strip: { id: string; label: string };
    const evidence = 'observation:6f1c2a4e-9b8d-4c3e-8f7a-1d2e3f4a5b6c';

    beforeAll(async () => {
      const [{ v }] = await q(`SELECT max(version) + 1 AS v FROM zoning_plans WHERE zone_id = $1`, [w.industrialZoneId]);
      issuedId = await issuePlan(sut, w.industrialZoneId, Number(v), COLUMNS);
      strip = (await q(`SELECT id, label FROM zoning_areas WHERE plan_id = $1 AND category = 'exploration'`, [issuedId]))[0]!;
      await q(`INSERT INTO zoning_area_evidence (area_id, evidence_type, evidence_id) VALUES ($1, 'observation', $2)`, [strip.id, evidence.split(':')[1]]);
      // the issued plan itself is a clean coverage of the zone
      expect(await validate(sut, { assessor: w.tokens.assessor } as any, issuedId)).toEqual([]);
      expect(await suspects(issuedId)).toEqual([]);
    });

    const openDraft = async (description: string, at: [number, number]): Promise<{ reportId: string; planId: string }> => {
      const reportId = await reportAndArrive(description, at);
      const res = await act(reportId, 'issue-opinion', { measures: 'preserve_in_situ', important: false, text: '原址保护' });
      expect(res.status).toBe(200);
      return { reportId, planId: res.body.revisionPlanId };
    };

    it('a find well inside: the disc is carved out of all three columns, the strip becomes two areas, validation finds nothing', async () => {
      const { reportId, planId } = await openDraft('石砌墓室，位于勘探条带中部', [113.50925, 36.51]);
      expect(await validate(sut, { assessor: w.tokens.assessor } as any, planId)).toEqual([]);
      // proven from the edges: the disc and the cut neighbours share every new vertex
      expect(await suspects(planId)).toEqual([]);

      const areas = await storedAreas(planId);
      const avoidance = areas.filter((a) => a.category === 'avoidance');
      expect(avoidance).toHaveLength(1);
      expect(Math.abs(avoidance[0]!.m2 - DISC_M2) / DISC_M2).toBeLessThan(0.02);
      expect(Math.abs((await totalM2(planId)) - (await totalM2(issuedId)))).toBeLessThan(1);

      const parts = areas.filter((a) => a.category === 'exploration');
      expect(parts).toHaveLength(2);
      expect(parts.map((a) => a.label).sort()).toEqual([strip.label, `${strip.label}-2`]);
      expect(parts.map((a) => a.evidence)).toEqual([[evidence], [evidence]]);
      expect(parts.find((a) => a.label === strip.label)!.id).not.toBe(strip.id); // the draft's copy, not the issued row
      expect(areas.filter((a) => a.category === 'release').map((a) => a.rings)).toEqual([1, 1]);

      const { revision } = await opinionAudit(reportId);
      expect(revision.avoidanceM2).toBeCloseTo(avoidance[0]!.m2, 0);
      expect(revision.cut).toHaveLength(3);
      const stripCut = revision.cut.find((c: any) => c.parts.length === 2);
      expect(stripCut.parts.map((p: any) => p.areaId).sort()).toEqual(parts.map((a) => a.id).sort());
      expect(revision.cut.reduce((sum: number, c: any) => sum + c.cutM2, 0)).toBeCloseTo(avoidance[0]!.m2, -1);
    });

    it('a find 22 m from the zone boundary: the clipped disc is carved out, nothing overlaps, nothing is missing', async () => {
      const at: [number, number] = [113.50925, 36.5002];
      const { planId } = await openDraft('夯土基址，临近开发区南界', at);
      expect(await validate(sut, { assessor: w.tokens.assessor } as any, planId)).toEqual([]);
      expect(await suspects(planId)).toEqual([]);

      const areas = await storedAreas(planId);
      const avoidance = areas.filter((a) => a.category === 'avoidance');
      expect(avoidance).toHaveLength(1);
      const [{ m2 }] = await q(
        `SELECT ST_Area(ST_Intersection(ST_SetSRID(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 4490)::geography, 50, 'quad_segs=16')::geometry, 4490),
                                        z.boundary)::geography) AS m2 FROM zones z WHERE z.id = $3`,
        [at[0], at[1], w.industrialZoneId],
      );
      expect(Number(m2)).toBeLessThan(0.8 * DISC_M2);
      expect(Math.abs(avoidance[0]!.m2 - Number(m2))).toBeLessThan(1);
      expect(Math.abs((await totalM2(planId)) - (await totalM2(issuedId)))).toBeLessThan(1);
      // the disc covers the strip's foot: the strip stays one area, shorter
      expect(areas.filter((a) => a.category === 'exploration')).toHaveLength(1);
      expect(areas).toHaveLength(COLUMNS.length + 1);
    });
  });
});
