import { AuthRepository } from '../../src/modules/auth/auth.repository';
import { ImportTargetRegistry } from '../../src/modules/imports/import-target.registry';
import { TestApp, createTestApp } from '../support/test-app';
import { pointInZone, squareAround } from '../assessments/evidence-helpers';

// pbf 3 is CommonJS; @mapbox/vector-tile 3 is ESM-only, so the few fields we need are read with pbf directly
const Pbf = require('pbf') as new (buf: Buffer) => { readFields<T>(fn: (tag: number, acc: T, pbf: any) => void, acc: T): T; readMessage<T>(fn: (tag: number, acc: T, pbf: any) => void, acc: T): T; readString(): string };

/** Layer name → feature count of a Mapbox Vector Tile. */
function mvtCounts(bytes: Buffer): Record<string, number> {
  const layers = new Pbf(bytes).readFields<Array<{ name: string; features: number }>>((tag, acc, pbf) => {
    if (tag === 3) acc.push(pbf.readMessage((t: number, layer: { name: string; features: number }, p: any) => {
      if (t === 1) layer.name = p.readString();
      else if (t === 2) layer.features++;
    }, { name: '', features: 0 }));
  }, []);
  return Object.fromEntries(layers.map((l) => [l.name, l.features]));
}

function tileOf(lon: number, lat: number, z: number): [number, number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [z, Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

describe('immovable relics register and evidence layers', () => {
  let sut: TestApp;
  const tokens: Record<string, string> = {};
  let tunliuPoint: [number, number];
  beforeAll(async () => {
    sut = await createTestApp();
    for (const u of ['admin', 'assessor', 'reviewer', 'authority', 'authority_city', 'committee', 'contractor']) tokens[u] = await sut.login(u);
    tunliuPoint = await pointInZone(sut, 'SX-CZ-TLETDZ');
  });
  afterAll(() => sut.close());

  it('registers a point relic with a protection range, places it in its zone and division, and edits it only with If-Match', async () => {
    const [x, y] = tunliuPoint;
    const body = {
      code: 'T-140405-900', name: '测试古墓', protectionLevel: 'county', period: '汉',
      geometry: { type: 'Point', coordinates: [x, y] }, protectionRange: squareAround(x, y, 50), controlZone: squareAround(x, y, 100),
    };
    const res = await sut.request<any>('POST', '/api/relics', { token: tokens.assessor, body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'T-140405-900', zone: { code: 'SX-CZ-TLETDZ' }, divisionCode: '140405', protectionLevel: 'county', rowVersion: 1 });
    expect(res.body.protectionRange.type).toBe('MultiPolygon');
    expect(res.body.protectionRangeM2).toBeGreaterThan(9_900);
    expect(res.body.protectionRangeM2).toBeLessThan(10_100);
    const id = res.body.id as string;

    expect((await sut.request<any>('POST', '/api/relics', { token: tokens.assessor, body })).body.code).toBe('relic_code_taken');
    const notCovering = await sut.request<any>('POST', '/api/relics', {
      token: tokens.assessor, body: { ...body, code: 'T-2', protectionRange: squareAround(x + 0.01, y, 50), controlZone: undefined },
    });
    expect([notCovering.status, notCovering.body.code]).toEqual([422, 'relic_range_not_covering']);
    const nowhere = await sut.request<any>('POST', '/api/relics', {
      token: tokens.assessor, body: { name: '野外孤墓', protectionLevel: 'unlisted', geometry: { type: 'Point', coordinates: [111.5, 37.9] } },
    });
    expect([nowhere.status, nowhere.body.code]).toEqual([422, 'relic_division_required']);
    const bowtie = await sut.request<any>('POST', '/api/relics', {
      token: tokens.assessor, body: { name: '坏多边形', protectionLevel: 'county', geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.001, y + 0.001], [x + 0.001, y], [x, y + 0.001], [x, y]]] } },
    });
    expect([bowtie.status, bowtie.body.code]).toEqual([422, 'relic_invalid_geometry']);
    expect(bowtie.body.message).toContain('Self-intersection');

    expect((await sut.request('PATCH', `/api/relics/${id}`, { token: tokens.assessor, body: { period: '东汉' } })).status).toBe(428);
    const ok = await sut.request<any>('PATCH', `/api/relics/${id}`, { token: tokens.reviewer, body: { period: '东汉', controlZone: null }, headers: { 'if-match': res.headers.etag as string } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ period: '东汉', controlZone: null, rowVersion: 2 });
    expect(ok.body.protectionRange).not.toBeNull();
    const stale = await sut.request<any>('PATCH', `/api/relics/${id}`, { token: tokens.assessor, body: { period: '西汉' }, headers: { 'if-match': '"1"' } });
    expect([stale.status, stale.body.code]).toEqual([412, 'conflict_stale']);

    // moved to Gaoping (and its range with it): zone and division follow
    const [gx, gy] = await pointInZone(sut, 'SX-JC-GPETDZ');
    const moved = await sut.request<any>('PATCH', `/api/relics/${id}`, {
      token: tokens.assessor, body: { geometry: { type: 'Point', coordinates: [gx, gy] }, protectionRange: squareAround(gx, gy, 50) }, headers: { 'if-match': '"2"' },
    });
    expect(moved.body).toMatchObject({ zone: { code: 'SX-JC-GPETDZ' }, divisionCode: '140581' });
    const history = (await sut.request<any[]>('GET', `/api/relics/${id}/history`, { token: tokens.reviewer })).body;
    expect(history.map((e) => e.action)).toEqual(['relic.create', 'relic.update', 'relic.update']);
  });

  it('keeps relics from committees and contractors, and within an authority’s division tree', async () => {
    for (const who of ['committee', 'contractor']) {
      expect((await sut.request('GET', '/api/relics', { token: tokens[who] })).status).toBe(403);
      expect((await sut.request('POST', '/api/relics', { token: tokens[who], body: { name: 'x', protectionLevel: 'county', geometry: { type: 'Point', coordinates: tunliuPoint } } })).status).toBe(403);
    }
    const codes = async (who: string): Promise<string[]> => (await sut.request<any[]>('GET', '/api/relics', { token: tokens[who] })).body.map((r) => r.code);
    const tunliu = await codes('authority');
    expect(tunliu).toEqual(expect.arrayContaining(['DEMO-140405-001', 'DEMO-140405-002', 'DEMO-140405-003']));
    expect(tunliu).not.toContain('DEMO-140581-001');
    expect(await codes('authority_city')).toEqual(expect.arrayContaining(['DEMO-140405-001', 'DEMO-140403-001']));
    expect(await codes('reviewer')).toEqual(expect.arrayContaining(['DEMO-140581-001', 'DEMO-140405-001']));
    const gaoping = (await sut.request<any[]>('GET', '/api/relics', { token: tokens.reviewer })).body.find((r) => r.code === 'DEMO-140581-001')!;
    expect((await sut.request('GET', `/api/relics/${gaoping.id}`, { token: tokens.authority })).status).toBe(404);
    // an authority may not register a relic outside its division
    const [gx, gy] = await pointInZone(sut, 'SX-JC-GPETDZ');
    const out = await sut.request<any>('POST', '/api/relics', { token: tokens.authority, body: { name: '越界', protectionLevel: 'county', geometry: { type: 'Point', coordinates: [gx, gy] } } });
    expect([out.status, out.body.code]).toEqual([403, 'relic_out_of_scope']);
    // the seeded unlisted relic has no invented protection range
    const listed = (await sut.request<any[]>('GET', `/api/relics?bbox=112.7,36.1,113.1,36.5`, { token: tokens.authority })).body;
    expect(listed.find((r) => r.code === 'DEMO-140405-003')).toMatchObject({ protectionLevel: 'unlisted', protectionRange: null, controlZone: null });
    expect(listed.find((r) => r.code === 'DEMO-140405-002').geometry.type).toBe('Polygon');
  });

  it('serves the relics, observations and survey-tracks layers only to evidence readers: empty for committee and contractor at every zoom', async () => {
    const relic = (await sut.request<any[]>('GET', '/api/relics', { token: tokens.assessor })).body.find((r) => r.code === 'DEMO-140405-001')!;
    const [rx, ry] = relic.geometry.coordinates as [number, number];
    const fc = (await sut.request<any>('GET', '/api/layers/relics?bbox=112.7,36.1,113.1,36.5', { token: tokens.assessor })).body;
    const parts = fc.features.filter((f: any) => f.id === relic.id).map((f: any) => f.properties.part).sort();
    expect(parts).toEqual(['control_zone', 'protection_range', 'relic']);

    for (const layer of ['relics', 'observations', 'survey-tracks']) {
      const assessor = (await sut.request<any>('GET', `/api/layers/${layer}`, { token: tokens.assessor })).body;
      expect(assessor.features.length).toBeGreaterThan(0);
      for (const who of ['committee', 'contractor']) {
        const res = await sut.request<any>('GET', `/api/layers/${layer}`, { token: tokens[who] });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ type: 'FeatureCollection', features: [] });
      }
      for (const z of [8, 12, 14, 16]) {
        const [tz, tx, ty] = tileOf(rx, ry, z);
        const mine = await sut.request('GET', `/api/tiles/${layer}/${tz}/${tx}/${ty}.pbf`, { token: tokens.assessor });
        expect(mine.status).toBe(200);
        if (layer === 'relics') expect(mvtCounts(mine.raw).relics).toBeGreaterThan(0);
        for (const who of ['committee', 'contractor']) {
          const theirs = await sut.request('GET', `/api/tiles/${layer}/${tz}/${tx}/${ty}.pbf`, { token: tokens[who] });
          expect(theirs.status).toBe(200);
          expect(theirs.raw.length).toBe(0);
        }
      }
    }
    // the observation and track layers at the Tunliu zone's zoom-12 tile have features for the assessor
    const [z, x, y] = tileOf(rx, ry, 12);
    expect(mvtCounts((await sut.request('GET', `/api/tiles/observations/${z}/${x}/${y}.pbf`, { token: tokens.assessor })).raw).observations).toBeGreaterThan(0);
    expect(mvtCounts((await sut.request('GET', `/api/tiles/survey-tracks/${z}/${x}/${y}.pbf`, { token: tokens.assessor })).raw)['survey-tracks']).toBeGreaterThan(0);

    // Tunliu's authority sees Tunliu relics on the map but not Gaoping's
    const seen = (await sut.request<any>('GET', '/api/layers/relics', { token: tokens.authority })).body.features.map((f: any) => f.properties.code);
    expect(seen).toContain('DEMO-140405-001');
    expect(seen).not.toContain('DEMO-140581-001');
    const gaopingRelic = (await sut.request<any[]>('GET', '/api/relics', { token: tokens.reviewer })).body.find((r) => r.code === 'DEMO-140581-001')!;
    const [gz, gx, gy] = tileOf(...(gaopingRelic.geometry.coordinates[0][0] as [number, number]), 14);
    expect(mvtCounts((await sut.request('GET', `/api/tiles/relics/${gz}/${gx}/${gy}.pbf`, { token: tokens.reviewer })).raw).relics).toBeGreaterThan(0);
    expect((await sut.request('GET', `/api/tiles/relics/${gz}/${gx}/${gy}.pbf`, { token: tokens.authority })).raw.length).toBe(0);
  });

  it('a write invalidates the cached tiles of its layer', async () => {
    const [x, y] = tunliuPoint;
    const [z, tx, ty] = tileOf(x + 0.002, y + 0.002, 12);
    const url = `/api/tiles/relics/${z}/${tx}/${ty}.pbf`;
    const before = mvtCounts((await sut.request('GET', url, { token: tokens.assessor })).raw).relics ?? 0;
    await sut.request('GET', url, { token: tokens.assessor }); // now served from the cache
    const created = await sut.request<any>('POST', '/api/relics', { token: tokens.assessor, body: { name: '新登记窑址', protectionLevel: 'unlisted', geometry: { type: 'Point', coordinates: [x + 0.002, y + 0.002] } } });
    expect(created.status).toBe(201);
    expect(mvtCounts((await sut.request('GET', url, { token: tokens.assessor })).raw).relics).toBe(before + 1);
  });

  it('imports relics through the registry: Chinese attribute names and levels, one statement, refused as a whole when one is broken', async () => {
    const registry = sut.app.get(ImportTargetRegistry);
    const userId = (await sut.db.admin.query(`SELECT id FROM users WHERE username = 'assessor'`)).rows[0].id;
    const actor = { principal: (await sut.app.get(AuthRepository).findPrincipalByUserId(userId))!, correlationId: 'test-relics-import' };
    const [x, y] = tunliuPoint;
    const features = [
      { index: 0, geometry: { type: 'Point' as const, coordinates: [x + 0.003, y] }, properties: { 名称: '南关遗址', 保护级别: '省级文物保护单位', 时代: '新石器时代', code: 'IMP-1' } },
      { index: 1, geometry: squareAround(x - 0.003, y, 40), properties: { name: '北城墙', level: '县级', period: '明' } },
    ];
    const result = await sut.dataSource.transaction((m) => registry.get('relics')!.commit(m, actor, features, {}));
    expect(result.written).toBe(2);
    const rows = (await sut.db.admin.query(`SELECT name, protection_level, period, division_code, zone_id IS NOT NULL AS in_zone FROM immovable_relics WHERE id = ANY($1::uuid[]) ORDER BY name`, [result.ids])).rows;
    expect(rows).toEqual([
      { name: '北城墙', protection_level: 'county', period: '明', division_code: '140405', in_zone: true },
      { name: '南关遗址', protection_level: 'provincial', period: '新石器时代', division_code: '140405', in_zone: true },
    ]);
    const count = async (): Promise<number> => (await sut.db.admin.query(`SELECT count(*)::int AS n FROM immovable_relics`)).rows[0].n;
    const n = await count();
    await expect(sut.dataSource.transaction((m) => registry.get('relics')!.commit(m, actor, [
      { ...features[0]!, properties: { 名称: '重复编号', code: 'IMP-1' } },
      { index: 5, geometry: { type: 'Point' as const, coordinates: [111.5, 37.9] }, properties: { 名称: '区外' } },
    ], {}))).rejects.toMatchObject({ code: 'relic_import_problems', status: 422, details: { problems: [expect.objectContaining({ index: 0, problem: 'relic_code_taken' }), expect.objectContaining({ index: 5, problem: 'relic_division_required' })] } });
    expect(await count()).toBe(n);
    const committee = (await sut.app.get(AuthRepository).findPrincipalByUserId((await sut.db.admin.query(`SELECT id FROM users WHERE username = 'committee'`)).rows[0].id))!;
    await expect(registry.get('relics')!.assertCanWrite(committee, {})).rejects.toMatchObject({ status: 403 });
  });
});
