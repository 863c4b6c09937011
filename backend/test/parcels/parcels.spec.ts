import { buildWorld, commitAndAccept, createCommitteeTestApp, createParcel, polygon, World } from '../clearance/committee-world';
import { multipart } from '../imports-api/multipart';
import { TestApp } from '../support/test-app';

describe('land parcels and land transfer', () => {
  let sut: TestApp;
  let w: World;

  beforeAll(async () => {
    sut = await createCommitteeTestApp();
    w = await buildWorld(sut);
  });
  afterAll(() => sut.close());

  it('the committee registers a parcel and sees its verdict and area in 亩 at once; codes are unique per zone', async () => {
    const p = await createParcel(sut, w, w.industrialZoneId, 'TL-01', [113.506, 36.506, 113.508, 36.508]);
    expect(p).toMatchObject({ code: 'TL-01', zoneId: w.industrialZoneId, zoneCode: 'T-IND', transferredAt: null });
    expect(p.areaMu).toBeGreaterThan(55);
    expect(p.clearance.verdict).toBe('pending_commitment');
    expect(p.clearance.blockingAreas.features[0].properties.kind).toBe('pending_commitment');
    const dup = await sut.request<any>('POST', '/api/parcels', { token: w.tokens.committee, body: { zoneId: w.industrialZoneId, code: 'TL-01', name: 'x', plannedUse: '工业', geometry: polygon([113.511, 36.511, 113.512, 36.512]) } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('parcel_code_taken');
    const away = await sut.request<any>('POST', '/api/parcels', { token: w.tokens.committee, body: { zoneId: w.industrialZoneId, code: 'TL-99', name: 'x', plannedUse: '工业', geometry: polygon([113.3, 36.3, 113.301, 36.301]) } });
    expect(away.status).toBe(422);
    expect(away.body.code).toBe('parcel_outside_zone');
  });

  it('the list answers each parcel’s verdict in one statement, the same as asking about the parcel alone', async () => {
    await createParcel(sut, w, w.industrialZoneId, 'TL-L1', [113.5005, 36.5005, 113.5015, 36.5015]);
    await createParcel(sut, w, w.industrialZoneId, 'TL-L2', [113.5095, 36.5095, 113.5105, 36.5105]);
    const list = (await sut.request<any[]>('GET', `/api/parcels?zoneId=${w.industrialZoneId}`, { token: w.tokens.committee })).body;
    expect(list.length).toBeGreaterThanOrEqual(3);
    for (const item of list) {
      const alone = (await sut.request<any>('POST', '/api/clearance', { token: w.tokens.committee, body: { parcelId: item.id } })).body;
      const { blockingAreas: _b, ...figures } = alone;
      expect(item.clearance).toEqual(figures);
    }
  });

  it('land transfer is refused unless cleared (409 with the verdict and the areas in the way), then recorded with +08:00', async () => {
    const [p] = (await sut.request<any[]>('GET', `/api/parcels?zoneId=${w.industrialZoneId}`, { token: w.tokens.committee })).body;
    const refused = await sut.request<any>('POST', `/api/parcels/${p.id}/transfer`, { token: w.tokens.committee, body: { transferredAt: '2026-12-01T10:00:00+08:00' } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('parcel_not_cleared');
    expect(refused.body.message).toMatch(/pending_commitment/);
    expect(refused.body.details.verdict).toBe('pending_commitment');
    expect(refused.body.details.areas.release.share).toBe(100);
    expect(refused.body.details.blockingAreas.features[0].geometry.type).toMatch(/Polygon/);
    expect((await sut.db.admin.query(`SELECT transferred_at FROM parcels WHERE id = $1`, [p.id])).rows[0].transferred_at).toBeNull();

    await commitAndAccept(sut, w, w.planV1Id);
    const noOffset = await sut.request<any>('POST', `/api/parcels/${p.id}/transfer`, { token: w.tokens.committee, body: { transferredAt: '2026-12-01T10:00:00' } });
    expect(noOffset.status).toBe(400);
    const ok = await sut.request<any>('POST', `/api/parcels/${p.id}/transfer`, { token: w.tokens.committee, body: { transferredAt: '2026-12-01T02:00:00Z' } });
    expect(ok.status).toBe(200);
    expect(ok.body.transferredAt).toBe('2026-12-01T10:00:00.000+08:00');
    expect(ok.body.clearance.verdict).toBe('cleared');
    const twice = await sut.request<any>('POST', `/api/parcels/${p.id}/transfer`, { token: w.tokens.committee, body: { transferredAt: '2026-12-02T10:00:00+08:00' } });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('parcel_already_transferred');
    const history = await sut.request<any[]>('GET', `/api/parcels/${p.id}/history`, { token: w.tokens.committee });
    expect(history.body.map((e) => e.action)).toEqual(['parcel.create', 'parcel.transfer']);
  });

  it('a blocked parcel cannot be transferred either', async () => {
    const p = await createParcel(sut, w, w.industrialZoneId, 'TL-02', [113.503, 36.503, 113.507, 36.507]);
    const res = await sut.request<any>('POST', `/api/parcels/${p.id}/transfer`, { token: w.tokens.committee, body: { transferredAt: '2026-12-01T10:00:00+08:00' } });
    expect(res.status).toBe(409);
    expect(res.body.details.verdict).toBe('blocked');
    expect(res.body.details.blockingAreas.features.map((f: any) => f.properties.kind)).toContain('avoidance');
  });

  it('imports parcels from a GeoJSON file through the import service (code/地块编号, name/名称, use/用途)', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { 地块编号: 'IMP-1', 名称: '导入地块一', 用途: '仓储用地' }, geometry: polygon([113.501, 36.506, 113.502, 36.507]) },
        { type: 'Feature', properties: { code: 'IMP-2', name: '导入地块二' }, geometry: polygon([113.503, 36.508, 113.504, 36.509]) },
      ],
    };
    const { body, headers } = multipart({ filename: 'parcels.geojson', data: Buffer.from(JSON.stringify(fc)) }, { target: 'parcels' });
    const preview = await sut.request<any>('POST', '/api/imports/preview', { token: w.tokens.committee, body, headers });
    expect(preview.status).toBe(200);
    const denied = await sut.request<any>('POST', `/api/imports/${preview.body.importId}/commit`, { token: w.tokens.committee, body: { target: 'parcels', options: { zoneId: w.otherZoneId } } });
    expect([403, 404]).toContain(denied.status);
    const commit = await sut.request<any>('POST', `/api/imports/${preview.body.importId}/commit`, { token: w.tokens.committee, body: { target: 'parcels', options: { zoneId: w.industrialZoneId } } });
    expect(commit.status).toBe(200);
    expect(commit.body.written).toBe(2);
    const list = (await sut.request<any[]>('GET', `/api/parcels?zoneId=${w.industrialZoneId}`, { token: w.tokens.committee })).body;
    const imp1 = list.find((x) => x.code === 'IMP-1')!;
    expect(imp1).toMatchObject({ name: '导入地块一', plannedUse: '仓储用地' });
    expect(imp1.clearance.verdict).toBe('cleared');
  });

  describe('denied access and scope', () => {
    it('a committee of another zone neither sees nor registers nor transfers this zone’s parcels', async () => {
      const [p] = (await sut.request<any[]>('GET', `/api/parcels?zoneId=${w.industrialZoneId}`, { token: w.tokens.committee })).body;
      expect((await sut.request<any[]>('GET', `/api/parcels?zoneId=${w.industrialZoneId}`, { token: w.tokens.committee_b })).body).toEqual([]);
      expect((await sut.request('GET', `/api/parcels/${p.id}`, { token: w.tokens.committee_b })).status).toBe(404);
      expect((await sut.request('POST', `/api/parcels/${p.id}/transfer`, { token: w.tokens.committee_b, body: { transferredAt: '2026-12-01T10:00:00+08:00' } })).status).toBe(404);
      const reg = await sut.request('POST', '/api/parcels', { token: w.tokens.committee_b, body: { zoneId: w.industrialZoneId, code: 'B-1', name: 'x', plannedUse: 'y', geometry: polygon([113.511, 36.511, 113.512, 36.512]) } });
      expect(reg.status).toBe(404);
    });

    it('only committees and admins register parcels or record transfers; contractors see none without a project', async () => {
      const body = { zoneId: w.industrialZoneId, code: 'X-1', name: 'x', plannedUse: 'y', geometry: polygon([113.511, 36.511, 113.512, 36.512]) };
      for (const who of ['reviewer', 'assessor', 'authority', 'contractor']) expect((await sut.request('POST', '/api/parcels', { token: w.tokens[who], body })).status).toBe(403);
      expect((await sut.request<any[]>('GET', '/api/parcels', { token: w.tokens.contractor })).body).toEqual([]);
      expect((await sut.request<any[]>('GET', '/api/parcels', { token: w.tokens.reviewer })).body.length).toBeGreaterThanOrEqual(4);
      expect((await sut.request<any[]>('GET', '/api/parcels', { token: w.tokens.authority })).body.length).toBeGreaterThanOrEqual(4);
      const [p] = (await sut.request<any[]>('GET', '/api/parcels', { token: w.tokens.reviewer })).body;
      expect((await sut.request('GET', `/api/parcels/${p.id}`, { token: w.tokens.contractor })).status).toBe(404);
      expect((await sut.request('POST', `/api/parcels/${p.id}/transfer`, { token: w.tokens.reviewer, body: { transferredAt: '2026-12-01T10:00:00+08:00' } })).status).toBe(403);
    });
  });
});
