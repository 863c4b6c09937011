import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '../../src/infra/redis/redis.module';
import { Principal } from '../../src/modules/auth/roles';
import { AuthService } from '../../src/modules/auth/auth.service';
import { LayerCache, scopeKeyOf } from '../../src/modules/layers/layer-cache.service';
import { LayerRegistry } from '../../src/modules/layers/layer.registry';
import { TestApp, TestResponse, createTestApp } from '../support/test-app';

/** XYZ tile holding a lon/lat at zoom z (Web Mercator). */
function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

const TUNLIU = { code: 'SX-CZ-TLETDZ', lon: 112.892, lat: 36.318 };

describe('vector tile cache', () => {
  let sut: TestApp;
  let redis: Redis;
  type Who = 'admin' | 'assessor' | 'reviewer' | 'committee' | 'contractor';
  const tokens = {} as Record<Who, string>;
  let tunliuId: string;

  const tile = (who: Who, t: { z: number; x: number; y: number }, headers: Record<string, string> = {}): Promise<TestResponse<string>> =>
    sut.request<string>('GET', `/api/tiles/zones/${t.z}/${t.x}/${t.y}.pbf`, { token: tokens[who], headers });
  const cachedKeys = async (layer = 'zones') => redis.keys(`${sut.config.queuePrefix}:tile:${layer}:*`);

  beforeAll(async () => {
    sut = await createTestApp();
    redis = sut.app.get<Redis>(REDIS);
    for (const u of ['admin', 'assessor', 'reviewer', 'committee', 'contractor'] as const) tokens[u] = await sut.login(u);
    tunliuId = (await sut.db.admin.query(`SELECT id FROM zones WHERE code = $1`, [TUNLIU.code])).rows[0].id;
  }, 180_000); // the demo seed (thousands of cores) on a loaded machine
  afterAll(async () => {
    if (!sut) return;
    const keys = await redis.keys(`${sut.config.queuePrefix}:tile*`);
    if (keys.length) await redis.del(...keys);
    await sut.close();
  });

  it('serves the second request for a tile from Redis, unchanged even when the row changes behind its back, until the layer is invalidated', async () => {
    const t = tileOf(TUNLIU.lon, TUNLIU.lat, 12);
    const first = await tile('assessor', t);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(first.headers['x-tile-cache']).toBe('miss');
    expect(first.raw.includes(Buffer.from('屯留经济技术开发区'))).toBe(true);

    const second = await tile('assessor', t);
    expect(second.headers['x-tile-cache']).toBe('hit');
    expect(second.raw.equals(first.raw)).toBe(true);

    // a change the application did not make (no invalidation): the cache keeps answering the old tile
    await sut.db.admin.query(`UPDATE zones SET name = '改名未失效' WHERE id = $1`, [tunliuId]);
    const stale = await tile('assessor', t);
    expect(stale.raw.includes(Buffer.from('改名未失效'))).toBe(false);

    // the zones module invalidates the layer after its own writes
    const patched = await sut.request<any>('PATCH', `/api/zones/${tunliuId}`, { token: tokens.admin, body: { name: '屯留经开区（新名）' } });
    expect(patched.status).toBe(200);
    const fresh = await tile('assessor', t);
    expect(fresh.headers['x-tile-cache']).toBe('miss');
    expect(fresh.raw.includes(Buffer.from('屯留经开区（新名）'))).toBe(true);
    expect(fresh.headers.etag).not.toBe(first.headers.etag);
  });

  it('never lets two scopes share an entry: the committee sees its zone only where the assessor sees the others too', async () => {
    // zoom 7 around southern Shanxi holds several demo zones
    const t = tileOf(112.9, 36.0, 7);
    const before = (await cachedKeys()).length;
    const assessor = await tile('assessor', t);
    const committee = await tile('committee', t);
    const contractor = await tile('contractor', t);
    expect(committee.headers['x-tile-cache']).toBe('miss');
    expect(assessor.raw.includes(Buffer.from('高平经济技术开发区'))).toBe(true);
    expect(committee.raw.includes(Buffer.from('高平经济技术开发区'))).toBe(false);
    expect(committee.raw.length).toBeGreaterThan(0);
    // a third scope, a third entry
    expect(contractor.status).toBe(200);
    expect(contractor.raw.equals(assessor.raw)).toBe(false);
    expect((await tile('contractor', t)).headers['x-tile-cache']).toBe('hit');
    expect((await cachedKeys()).length).toBe(before + 3);
    // asking again as the committee still gets the committee's tile
    const again = await tile('committee', t);
    expect(again.headers['x-tile-cache']).toBe('hit');
    expect(again.raw.equals(committee.raw)).toBe(true);
  });

  it('caches empty tiles too (nothing there is an answer worth keeping)', async () => {
    const sea = tileOf(150, 0, 7);
    const first = await tile('assessor', sea);
    expect(first.status).toBe(200);
    expect(first.raw.length).toBe(0);
    expect(first.headers['x-tile-cache']).toBe('miss');
    const second = await tile('assessor', sea);
    expect(second.headers['x-tile-cache']).toBe('hit');
    expect(second.raw.length).toBe(0);
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 once the layer changed', async () => {
    const t = tileOf(TUNLIU.lon, TUNLIU.lat, 11);
    const first = await tile('reviewer', t);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const notModified = await tile('reviewer', t, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.raw.length).toBe(0);
    expect((await tile('reviewer', t, { 'if-none-match': '"something-else"' })).status).toBe(200);

    await sut.request('PATCH', `/api/zones/${tunliuId}`, { token: tokens.admin, body: { name: '屯留经济技术开发区' } });
    const changed = await tile('reviewer', t, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.raw.includes(Buffer.from('屯留经济技术开发区'))).toBe(true);
  });

  it('serves cached tiles faster than it regenerates them (figures logged for the closing note)', async () => {
    const cache = sut.app.get(LayerCache);
    const who = await sut.app.get(AuthService).authenticateBearer(tokens.assessor);
    // zones at z7 (cheap: a few polygons) and, when the coring module is present, the seeded cores at z14
    const cases = [
      { layer: 'zones', t: tileOf(112.9, 36.0, 7) },
      { layer: 'coring-points', t: tileOf(113.085, 36.172, 14) },
    ].filter((c) => sut.app.get(LayerRegistry).get(c.layer));
    for (const { layer, t } of cases) {
      const provider = sut.app.get(LayerRegistry).get(layer)!;
      const n = 100;
      let started = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await provider.tile(who, t.z, t.x, t.y, { bbox: null, params: {} });
      const generateMs = Number(process.hrtime.bigint() - started) / 1e6;
      const first = await cache.tile(`${layer}`, who, t, {}, () => provider.tile(who, t.z, t.x, t.y, { bbox: null, params: {} }));
      started = process.hrtime.bigint();
      for (let i = 0; i < n; i++) expect((await cache.tile(layer, who, t, {}, () => Promise.reject(new Error('should be cached')))).cache).toBe('hit');
      const hitMs = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`${layer} z${t.z} tile (${first.bytes.length} B, assessor): regenerated ${((n / generateMs) * 1000).toFixed(0)} tiles/s, from cache ${((n / hitMs) * 1000).toFixed(0)} tiles/s (${(generateMs / hitMs).toFixed(1)}×)`);
      expect(hitMs).toBeLessThan(generateMs);
    }
  });

  it('keeps serving tiles, uncached, when Redis is unreachable', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const cache = new LayerCache(unreachable, sut.config);
      const bytes = Buffer.from('tile bytes');
      const p = { roles: ['assessor'], assignments: [], org: { id: 'o' } } as unknown as Principal;
      const got = await cache.tile('zones', p, { z: 1, x: 1, y: 1 }, {}, async () => bytes);
      expect(got.cache).toBe('bypass');
      expect(got.bytes.equals(bytes)).toBe(true);
      await expect(cache.invalidate('zones')).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      unreachable.disconnect();
    }
  });

  it('gives the same scope key to colleagues with the same roles and scope, and different keys otherwise', () => {
    const base = {
      kind: 'user', username: 'a', displayName: 'A', org: { id: 'org-1', type: 'institute', name: 'x', divisionCode: '140000' },
      roles: ['assessor'], assignments: [{ role: 'assessor', scopeType: 'province', divisionCode: '140000', divisionPath: '140000', zoneId: null, orgId: null }],
    } as const;
    const a = { ...base, userId: 'u1' } as unknown as Principal;
    const b = { ...base, userId: 'u2', username: 'b' } as unknown as Principal;
    const county = { ...base, userId: 'u3', assignments: [{ ...base.assignments[0], scopeType: 'division', divisionCode: '140405', divisionPath: '140000.140400.140405' }] } as unknown as Principal;
    expect(scopeKeyOf(a)).toBe(scopeKeyOf(b));
    expect(scopeKeyOf(a)).not.toBe(scopeKeyOf(county));
  });
});
