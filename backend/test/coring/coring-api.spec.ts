import { createTestApp, TestApp } from '../support/test-app';
import { CoringFixture, coringTokens, createCoringFixture, gkRectangle, integratorKey } from './coring-fixture';
import { decodeMvt, tileOf } from './mvt';

// the full demo seed (every feature's steps) runs in createTestApp and takes tens of seconds on a busy machine
jest.setTimeout(240_000);

/** Recording cores, reading them, the coring-points layer, and who may do none of it. */
describe('coring API', () => {
  let sut: TestApp;
  let fx: CoringFixture;
  let tokens: Record<string, string>;
  let apiKey: string;
  let coreIds: string[];
  let corePoint: [number, number];

  beforeAll(async () => {
    sut = await createTestApp();
    fx = await createCoringFixture(sut);
    tokens = await coringTokens(sut);
    apiKey = await integratorKey(sut, tokens.admin!);
    const polygon = await gkRectangle(sut, fx.zoneRect.x0 + 1000, fx.zoneRect.y0 + 1000, fx.zoneRect.x0 + 1300, fx.zoneRect.y0 + 1200);
    const grid = await sut.request('POST', `/api/assessments/${fx.assessmentId}/cores/grid`, { token: tokens.assessor, body: { polygon, spacingM: 50, pattern: 'square' } });
    expect(grid.status).toBe(201);
    const rows = await sut.db.admin.query(`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM coring_points WHERE assessment_id = $1 ORDER BY code`, [fx.assessmentId]);
    coreIds = rows.rows.map((r: any) => r.id);
    corePoint = [Number(rows.rows[0].lon), Number(rows.rows[0].lat)];
  });
  afterAll(() => sut?.close());

  const patch = (id: string, body: unknown, ifMatch?: string, token = tokens.assessor) =>
    sut.request<any>('PATCH', `/api/cores/${id}`, { token, body, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });

  it('records a core with If-Match: the result marks it cored, the ETag moves on, a stale ETag is 412 and a missing one 428', async () => {
    const id = coreIds[0]!;
    const got = await sut.request<any>('GET', `/api/cores/${id}`, { token: tokens.assessor });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ status: 'planned', result: null, positive: false, rowVersion: 1, code: 'CORETEST-000001' });
    expect(got.headers.etag).toBe('"1"');

    expect((await patch(id, { result: 'tomb' })).status).toBe(428);

    const rec = await patch(id, { depthM: 2.35, result: 'tomb', stratigraphy: '五花土填土', coredAt: '2026-11-26T15:20:00+08:00' }, got.headers.etag as string);
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ status: 'cored', result: 'tomb', positive: true, depthM: 2.35, stratigraphy: '五花土填土', coredAt: '2026-11-26T15:20:00.000+08:00', rowVersion: 2 });
    expect(rec.headers.etag).toBe('"2"');

    const stale = await patch(id, { result: 'negative' }, '"1"');
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('conflict_stale');
    expect(stale.headers.etag).toBe('"2"');
    expect((await sut.request<any>('GET', `/api/cores/${id}`, { token: tokens.assessor })).body.result).toBe('tomb');

    // a correction back to planned clears the result and the time (status and result never disagree)
    const back = await patch(id, { result: null }, 'W/"2"');
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ status: 'planned', result: null, coredAt: null, rowVersion: 3 });
    const again = await patch(id, { result: 'cultural_layer' }, '3');
    expect(again.body).toMatchObject({ status: 'cored', result: 'cultural_layer', coredAt: '2026-11-27T10:00:00.000+08:00' });

    const history = await sut.request<any[]>('GET', `/api/cores/${id}/history`, { token: tokens.reviewer });
    expect(history.body.map((e: any) => e.action)).toEqual(['core.record', 'core.record', 'core.record']);
  });

  it('refuses a timestamp without an offset, an unknown result and a negative depth', async () => {
    const id = coreIds[1]!;
    expect((await patch(id, { result: 'negative', coredAt: '2026-11-26T15:20:00' }, '"1"')).status).toBe(400);
    expect((await patch(id, { result: 'pottery' }, '"1"')).status).toBe(400);
    expect((await patch(id, { depthM: -1 }, '"1"')).status).toBe(400);
    expect((await patch(id, { coredAt: '2026-11-26T15:20:00+08:00' }, '"1"')).status).toBe(422);
  });

  it('keeps status and result consistent in the database itself', async () => {
    await expect(sut.db.admin.query(`UPDATE coring_points SET status = 'cored' WHERE id = $1`, [coreIds[2]])).rejects.toThrow(/coring_points_status_result_ck/);
    await expect(sut.db.admin.query(`UPDATE coring_points SET result = 'tomb' WHERE id = $1`, [coreIds[2]])).rejects.toThrow(/coring_points_status_result_ck/);
  });

  it('counts by status and result, lists by filter and pages at most 5000', async () => {
    await patch(coreIds[3]!, { result: 'negative', depthM: 3 }, '"1"');
    await patch(coreIds[4]!, { result: 'disturbed' }, '"1"');
    const sum = await sut.request<any>('GET', `/api/assessments/${fx.assessmentId}/cores/summary`, { token: tokens.authority });
    expect(sum.status).toBe(200);
    expect(sum.body).toEqual({
      assessmentId: fx.assessmentId, total: coreIds.length,
      byStatus: { planned: coreIds.length - 3, cored: 3 },
      byResult: { negative: 1, cultural_layer: 1, tomb: 0, feature: 0, disturbed: 1 },
      positive: 1,
    });
    const positives = await sut.request<any>('GET', `/api/cores?assessmentId=${fx.assessmentId}&result=positive`, { token: tokens.reviewer });
    expect(positives.body.items.map((c: any) => c.id)).toEqual([coreIds[0]]);
    const page = await sut.request<any>('GET', `/api/cores?assessmentId=${fx.assessmentId}&status=planned&limit=2&offset=1`, { token: tokens.assessor });
    expect(page.body).toMatchObject({ total: coreIds.length - 3, limit: 2, offset: 1 });
    expect(page.body.items).toHaveLength(2);
    const [lon, lat] = corePoint;
    const inBox = await sut.request<any>('GET', `/api/cores?bbox=${lon - 0.0001},${lat - 0.0001},${lon + 0.0001},${lat + 0.0001}`, { token: tokens.admin });
    expect(inBox.body.items.map((c: any) => c.id)).toEqual([coreIds[0]]);
    expect((await sut.request<any>('GET', `/api/cores?limit=5001`, { token: tokens.assessor })).status).toBe(400);
  });

  it('draws cores in the coring-points tiles with id, code, status and result for readers; committees, contractors and integrators get empty tiles at every zoom', async () => {
    const [lon, lat] = corePoint;
    for (const z of [10, 12, 14, 16, 18]) {
      const [, x, y] = tileOf(lon, lat, z);
      const url = `/api/tiles/coring-points/${z}/${x}/${y}.pbf`;
      const assessor = await sut.request('GET', url, { token: tokens.assessor });
      expect(assessor.status).toBe(200);
      const features = decodeMvt(assessor.raw)['coring-points'] ?? [];
      expect(features.length).toBeGreaterThan(0);
      const recorded = features.find((f) => f.properties.id === coreIds[0]);
      expect(recorded?.properties).toEqual({ id: coreIds[0], code: 'CORETEST-000001', status: 'cored', result: 'cultural_layer' });
      for (const who of ['committee', 'contractor']) {
        const res = await sut.request('GET', url, { token: tokens[who] });
        expect([who, z, res.status, decodeMvt(res.raw)['coring-points']?.length ?? 0]).toEqual([who, z, 200, 0]);
      }
      const integrator = await sut.request('GET', url, { apiKey });
      expect(decodeMvt(integrator.raw)['coring-points']?.length ?? 0).toBe(0);
    }
    // authority of another county tree sees nothing; Tunliu's own county and its city see the cores
    const [z, x, y] = tileOf(lon, lat, 14);
    for (const who of ['authority', 'authority_city', 'reviewer', 'admin']) {
      const res = await sut.request('GET', `/api/tiles/coring-points/${z}/${x}/${y}.pbf`, { token: tokens[who] });
      expect([who, (decodeMvt(res.raw)['coring-points'] ?? []).length > 0]).toEqual([who, true]);
    }
  });

  it('serves the layer as bbox GeoJSON to readers and as an empty collection to others', async () => {
    const [lon, lat] = corePoint;
    const bbox = `${lon - 0.01},${lat - 0.01},${lon + 0.01},${lat + 0.01}`;
    const fc = await sut.request<any>('GET', `/api/layers/coring-points?bbox=${bbox}`, { token: tokens.assessor });
    expect(fc.status).toBe(200);
    expect(fc.body.truncated).toBe(false);
    expect(fc.body.features).toHaveLength(coreIds.length);
    // positives first: the first feature is the recorded cultural layer
    expect(fc.body.features[0]).toMatchObject({ id: coreIds[0], properties: { result: 'cultural_layer' } });
    for (const who of ['committee', 'contractor']) {
      const res = await sut.request<any>('GET', `/api/layers/coring-points?bbox=${bbox}`, { token: tokens[who] });
      expect(res.body.features).toEqual([]);
    }
  });

  it('a recorded result reaches the cached tile at once (the layer is invalidated on write)', async () => {
    const [lon, lat] = corePoint;
    const [z, x, y] = tileOf(lon, lat, 16);
    const url = `/api/tiles/coring-points/${z}/${x}/${y}.pbf`;
    const resultOf = async () => decodeMvt((await sut.request('GET', url, { token: tokens.assessor })).raw)['coring-points']!.find((f) => f.properties.id === coreIds[5])?.properties.result;
    expect(await resultOf()).toBeUndefined();
    expect(await resultOf()).toBeUndefined(); // now from the cache
    expect((await patch(coreIds[5]!, { result: 'feature' }, '"1"')).status).toBe(200);
    expect(await resultOf()).toBe('feature');
  });

  it('denies every coring endpoint to committees, contractors and integrators, and writes to everyone but team assessors', async () => {
    const id = coreIds[6]!;
    const reads: Array<[string, string]> = [
      ['GET', `/api/cores/${id}`],
      ['GET', `/api/cores?assessmentId=${fx.assessmentId}`],
      ['GET', `/api/assessments/${fx.assessmentId}/cores/summary`],
      ['GET', `/api/cores/${id}/history`],
    ];
    for (const [method, url] of reads) {
      for (const who of ['committee', 'contractor']) {
        const res = await sut.request(method, url, { token: tokens[who] });
        expect([who, url, res.status]).toEqual([who, url, 403]);
      }
      expect([url, (await sut.request(method, url, { apiKey })).status]).toEqual([url, 403]);
    }
    for (const who of ['admin', 'reviewer', 'authority', 'committee', 'contractor', 'assessor2']) {
      const res = await patch(id, { result: 'negative' }, '"1"', tokens[who]);
      expect([who, res.status]).toEqual([who, 403]);
    }
    expect((await sut.request('PATCH', `/api/cores/${id}`, { apiKey, body: { result: 'negative' }, headers: { 'if-match': '"1"' } })).status).toBe(403);
    expect((await sut.request('POST', `/api/assessments/${fx.assessmentId}/cores/grid`, { apiKey, body: { spacingM: 100, pattern: 'square' } })).status).toBe(403);
    // nothing changed
    expect((await sut.request<any>('GET', `/api/cores/${id}`, { token: tokens.assessor })).body.status).toBe('planned');
  });

  it('an authority outside the zone’s division tree gets 404 (looks absent) and empty lists', async () => {
    const admin = tokens.admin!;
    const orgs = (await sut.request<any[]>('GET', '/api/admin/orgs', { token: admin })).body;
    const local = orgs.find((o: any) => o.type === 'local_authority')!;
    const created = await sut.request('POST', '/api/admin/users', {
      token: admin,
      body: { username: 'jincheng_officer', displayName: '晋城文保', password: 'Another@Pass2026', orgId: local.id, roles: [{ role: 'authority_officer', scopeType: 'division', divisionCode: '140500' }] },
    });
    expect(created.status).toBe(201);
    const token = await sut.login('jincheng_officer', 'Another@Pass2026');
    expect((await sut.request('GET', `/api/cores/${coreIds[0]}`, { token })).status).toBe(404);
    expect((await sut.request('GET', `/api/assessments/${fx.assessmentId}/cores/summary`, { token })).status).toBe(404);
    expect((await sut.request<any>('GET', `/api/cores?assessmentId=${fx.assessmentId}`, { token })).body).toMatchObject({ items: [], total: 0 });
    const [lon, lat] = corePoint;
    const [z, x, y] = tileOf(lon, lat, 14);
    expect(decodeMvt((await sut.request('GET', `/api/tiles/coring-points/${z}/${x}/${y}.pbf`, { token })).raw)['coring-points']?.length ?? 0).toBe(0);
  });

  it('refuses writes once the assessment has concluded', async () => {
    await sut.db.admin.query(`UPDATE assessments SET state = 'concluded' WHERE id = $1`, [fx.assessmentId]);
    try {
      const res = await patch(coreIds[7]!, { result: 'negative' }, '"1"');
      expect(res.status).toBe(409);
      const grid = await sut.request('POST', `/api/assessments/${fx.assessmentId}/cores/grid`, { token: tokens.assessor, body: { spacingM: 100, pattern: 'square' } });
      expect(grid.status).toBe(409);
    } finally {
      await sut.db.admin.query(`UPDATE assessments SET state = 'coring' WHERE id = $1`, [fx.assessmentId]);
    }
  });
});
