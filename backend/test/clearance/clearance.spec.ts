import { TestApp } from '../support/test-app';
import { BOX, Box, buildWorld, createCommitteeTestApp, commitAndAccept, createParcel, integratorKey, issuePlan, polygon, World } from './committee-world';

const sumShares = (areas: Record<string, { share: number }>): number => Object.values(areas).reduce((s, a) => s + a.share, 0);

describe('POST /api/clearance', () => {
  let sut: TestApp;
  let w: World;
  const ask = (body: unknown, token?: string, apiKey?: string) => sut.request<any>('POST', '/api/clearance', { token, apiKey, body });

  beforeAll(async () => {
    sut = await createCommitteeTestApp({ integratorRatePerMinute: 3 });
    w = await buildWorld(sut);
  });
  afterAll(() => sut.close());

  it('a parcel straddling avoidance and release is blocked, with the avoidance clipped to it for the committee', async () => {
    const res = await ask({ geometry: polygon([113.503, 36.503, 113.507, 36.507]) }, w.tokens.committee);
    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe('blocked');
    expect(res.body.reasons[0].code).toBe('touches_avoidance');
    expect(res.body.reasons[0].message).toMatch(/避让区/);
    expect(res.body.zone).toMatchObject({ id: w.industrialZoneId, code: 'T-IND', category: 'industrial' });
    expect(res.body.areas.avoidance.m2).toBeGreaterThan(30_000);
    expect(res.body.areas.release.m2).toBeGreaterThan(30_000);
    const kinds = res.body.blockingAreas.features.map((f: any) => f.properties.kind);
    expect(kinds).toContain('avoidance');
    // the avoidance part is clipped to the parcel: inside its box, never the whole avoidance area
    const coords = res.body.blockingAreas.features.find((f: any) => f.properties.kind === 'avoidance').geometry.coordinates.flat(3);
    for (let i = 0; i < coords.length; i += 2) expect(coords[i]).toBeGreaterThanOrEqual(113.503 - 1e-9);
  });

  it('a parcel that only shares an edge with avoidance is not blocked', async () => {
    // bottom edge on the avoidance area's top edge (lat 36.505), otherwise inside release R1
    const res = await ask({ geometry: polygon([113.501, 36.505, 113.503, 36.507]) }, w.tokens.assessor);
    expect(res.body.verdict).toBe('pending_commitment');
    expect(res.body.areas.avoidance.m2).toBe(0);
    expect(res.body.reasons.map((r: any) => r.code)).not.toContain('touches_avoidance');
  });

  it('outside every zone → outside_zone with no zone', async () => {
    const res = await ask({ geometry: polygon([113.3, 36.3, 113.302, 36.302]) }, w.tokens.reviewer);
    expect(res.body.verdict).toBe('outside_zone');
    expect(res.body.zone).toBeNull();
    expect(res.body.areas.outside.share).toBe(100);
  });

  it('the five shares sum to 100 ± 0.01 for a shape across every bucket and the zone boundary', async () => {
    const res = await ask({ geometry: polygon([113.497, 36.502, 113.512, 36.5123]) }, w.tokens.admin);
    const { areas } = res.body;
    for (const b of ['avoidance', 'exploration', 'release', 'unzoned', 'outside']) expect(areas[b].share).toBeGreaterThan(0);
    expect(Math.abs(sumShares(areas) - 100)).toBeLessThanOrEqual(0.01);
    // buckets are measured one by one on the ellipsoid: their sum matches the polygon to within 0.01 %
    const m2 = Object.values(areas).reduce((s: number, a: any) => s + a.m2, 0);
    expect(Math.abs(m2 - res.body.total.m2) / res.body.total.m2).toBeLessThan(1e-4);
    expect(areas.release.mu).toBeCloseTo(areas.release.m2 / (10000 / 15), 1);
  });

  it('exploration land → exploration_required until a completed no_relics exploration covers it, then cleared', async () => {
    const parcel = await createParcel(sut, w, w.industrialZoneId, 'E-1', [113.506, 36.501, 113.508, 36.503]);
    expect(parcel.clearance.verdict).toBe('exploration_required');
    const app = await sut.request<any>('POST', '/api/explorations', { token: w.tokens.committee, body: { parcelId: parcel.id } });
    expect(app.status).toBe(201);
    expect((await sut.request<any>('POST', `/api/explorations/${app.body.id}/start`, { token: w.tokens.committee })).status).toBe(403);
    expect((await sut.request<any>('POST', `/api/explorations/${app.body.id}/start`, { token: w.tokens.assessor })).status).toBe(200);
    expect((await ask({ parcelId: parcel.id }, w.tokens.committee)).body.verdict).toBe('exploration_required');
    const done = await sut.request<any>('POST', `/api/explorations/${app.body.id}/complete`, { token: w.tokens.authority, body: { result: 'no_relics', notes: '布孔 12 个，未见文化层' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'completed', result: 'no_relics' });
    const after = await ask({ parcelId: parcel.id }, w.tokens.committee);
    expect(after.body.verdict).toBe('cleared');
    expect(after.body.exploredClear.m2).toBeGreaterThan(39_000);
  });

  it('an exploration application outside exploration areas of an industrial zone is refused', async () => {
    const res = await sut.request<any>('POST', '/api/explorations', { token: w.tokens.committee, body: { zoneId: w.industrialZoneId, geometry: polygon([113.501, 36.506, 113.502, 36.507]) } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('exploration_not_applicable');
  });

  it('an agricultural-zone parcel → individual_survey_required until its no_relics exploration, then cleared', async () => {
    const parcel = await createParcel(sut, w, w.agriculturalZoneId, 'A-1', [113.605, 36.505, 113.607, 36.507]);
    expect(parcel.clearance.verdict).toBe('individual_survey_required');
    expect(parcel.clearance.areas.unzoned.share).toBe(100);
    const app = await sut.request<any>('POST', '/api/explorations', { token: w.tokens.committee, body: { parcelId: parcel.id } });
    await sut.request('POST', `/api/explorations/${app.body.id}/start`, { token: w.tokens.assessor });
    await sut.request('POST', `/api/explorations/${app.body.id}/complete`, { token: w.tokens.assessor, body: { result: 'no_relics' } });
    expect((await ask({ parcelId: parcel.id }, w.tokens.committee)).body.verdict).toBe('cleared');
  });

  it('relics found in an agricultural zone make the polygon avoidance: later shapes touching it are blocked', async () => {
    const app = await sut.request<any>('POST', '/api/explorations', { token: w.tokens.committee, body: { zoneId: w.agriculturalZoneId, geometry: polygon([113.61, 36.51, 113.612, 36.512]) } });
    await sut.request('POST', `/api/explorations/${app.body.id}/start`, { token: w.tokens.assessor });
    const done = await sut.request<any>('POST', `/api/explorations/${app.body.id}/complete`, { token: w.tokens.assessor, body: { result: 'relics_found' } });
    expect(done.body.result).toBe('relics_found');
    const res = await ask({ geometry: polygon([113.611, 36.511, 113.613, 36.513]) }, w.tokens.committee);
    expect(res.body.verdict).toBe('blocked');
  });

  it('release land: pending_commitment before the letter is accepted, cleared after; after a revision old committed land stays cleared and new release land is pending', async () => {
    const old = await createParcel(sut, w, w.industrialZoneId, 'R-1', [113.506, 36.506, 113.508, 36.508]);
    expect(old.clearance.verdict).toBe('pending_commitment');
    expect(old.clearance.reasons[0].code).toBe('commitment_not_accepted');
    await commitAndAccept(sut, w, w.planV1Id);
    const cleared = await ask({ parcelId: old.id }, w.tokens.committee);
    expect(cleared.body.verdict).toBe('cleared');
    expect(cleared.body.obligations.map((o: any) => o.code)).toEqual(expect.arrayContaining(['stop_work_on_discovery', 'inform_transferee']));
    expect(cleared.body.obligations.find((o: any) => o.code === 'stop_work_on_discovery').text).toMatch(/立即停止施工/);

    // v2 keeps v1's areas and adds release R2
    await issuePlan(sut, w.industrialZoneId, 2, [
      ['avoidance', BOX.avoidance], ['exploration', BOX.exploration], ['release', BOX.release1], ['release', BOX.release2],
    ]);
    expect((await ask({ parcelId: old.id }, w.tokens.committee)).body.verdict).toBe('cleared');
    const fresh = await createParcel(sut, w, w.industrialZoneId, 'R-2', [113.511, 36.506, 113.513, 36.508]);
    expect(fresh.clearance.verdict).toBe('pending_commitment');
    const status = await sut.request<any>('GET', `/api/zones/${w.industrialZoneId}/release-status`, { token: w.tokens.committee });
    expect(status.status).toBe(200);
    expect(status.body.planVersion).toBe(2);
    expect(status.body.released.mu).toBeGreaterThan(0);
    expect(status.body.pendingCommitment.m2).toBeCloseTo(status.body.release.m2 - status.body.released.m2, -1);
    expect(status.body.pendingGeometry.type).toBe('MultiPolygon');
    expect((await sut.request('GET', `/api/zones/${w.industrialZoneId}/release-status`, { token: w.tokens.contractor })).status).toBe(403);
  });

  it('asks by { zoneCode, parcelCode }, as land-transfer systems know parcels', async () => {
    const res = await ask({ zoneCode: 'T-IND', parcelCode: 'E-1' }, w.tokens.reviewer);
    expect(res.status).toBe(200);
    expect(res.body.parcel.code).toBe('E-1');
    expect((await ask({ zoneCode: 'T-IND', parcelCode: 'NOPE' }, w.tokens.reviewer)).status).toBe(404);
    expect((await ask({ zoneCode: 'T-IND' }, w.tokens.reviewer)).status).toBe(400);
    expect((await ask({ parcelId: '00000000-0000-4000-8000-000000000000', geometry: polygon(BOX.avoidance) }, w.tokens.reviewer)).status).toBe(400);
  });

  it('a self-intersecting shape is a 422 naming the reason', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[113.501, 36.501], [113.503, 36.503], [113.503, 36.501], [113.501, 36.503], [113.501, 36.501]]] };
    const res = await ask({ geometry: bowtie }, w.tokens.admin);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_geometry');
  });

  describe('who may ask what', () => {
    it('a committee asks about shapes inside its own zone only (403 beyond it); another zone’s parcel looks absent', async () => {
      expect((await ask({ geometry: polygon([113.601, 36.501, 113.602, 36.502]) }, w.tokens.committee)).status).toBe(200);
      const beyond = await ask({ geometry: polygon([113.519, 36.519, 113.521, 36.521]) }, w.tokens.committee);
      expect(beyond.status).toBe(403);
      expect(beyond.body.code).toBe('clearance_outside_own_zone');
      const r1 = (await sut.request<any[]>('GET', `/api/parcels?zoneId=${w.industrialZoneId}`, { token: w.tokens.committee })).body[0]!;
      expect((await ask({ parcelId: r1.id }, w.tokens.committee_b)).status).toBe(404);
      expect((await ask({ geometry: polygon([113.501, 36.506, 113.502, 36.507]) }, w.tokens.committee_b)).status).toBe(403);
    });

    it('a contractor asking about a drawn shape → 403; about its own parcel → the verdict without any geometry', async () => {
      const shape = await ask({ geometry: polygon([113.506, 36.506, 113.507, 36.507]) }, w.tokens.contractor);
      expect(shape.status).toBe(403);
      expect(shape.body.code).toBe('clearance_shape_forbidden');
      const parcel = await createParcel(sut, w, w.industrialZoneId, 'C-1', [113.503, 36.503, 113.507, 36.507]);
      expect((await ask({ parcelId: parcel.id }, w.tokens.contractor)).status).toBe(404);
      await sut.db.admin.query(`INSERT INTO projects (parcel_id, zone_id, name, contractor_org_id) VALUES ($1, $2, '测试项目', $3)`, [parcel.id, w.industrialZoneId, w.contractorOrgId]);
      const own = await ask({ parcelId: parcel.id }, w.tokens.contractor);
      expect(own.status).toBe(200);
      expect(own.body.verdict).toBe('blocked');
      expect(own.body.areas.avoidance.m2).toBeGreaterThan(0);
      expect(own.body.blockingAreas).toBeUndefined();
      expect(JSON.stringify(own.body)).not.toMatch(/coordinates/);
    });

    it('an integrator key gets verdicts for any shape and never geometry, and is rate-limited', async () => {
      const key = await integratorKey(sut, w, 'land-system');
      const res = await ask({ geometry: polygon([113.503, 36.503, 113.507, 36.507]) }, undefined, key);
      expect(res.status).toBe(200);
      expect(res.body.verdict).toBe('blocked');
      expect(JSON.stringify(res.body)).not.toMatch(/coordinates|blockingAreas/);
      const byCode = await ask({ zoneCode: 'T-IND', parcelCode: 'E-1' }, undefined, key);
      expect(byCode.body.verdict).toBe('cleared');
      expect((await ask({ geometry: polygon([113.3, 36.3, 113.301, 36.301]) }, undefined, key)).body.verdict).toBe('outside_zone');
      const limited = await ask({ geometry: polygon([113.3, 36.3, 113.301, 36.301]) }, undefined, key);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      sut.clock.advance(61_000);
      expect((await ask({ geometry: polygon([113.3, 36.3, 113.301, 36.301]) }, undefined, key)).status).toBe(200);
    });

    it('authority officers have no clearance route (403), and nobody anonymous', async () => {
      expect((await ask({ geometry: polygon(BOX.avoidance) }, w.tokens.authority)).status).toBe(403);
      expect((await ask({ geometry: polygon(BOX.avoidance) })).status).toBe(401);
    });
  });
});

export type { Box };
