import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EntityManager } from 'typeorm';
import { UPLOAD_LIMIT } from '../../src/create-app';
import { DEFAULT_IMPORT_LIMITS } from '../../src/modules/imports/import-limits';
import { ImportTargetRegistry } from '../../src/modules/imports/import-target.registry';
import { makeZip } from '../imports/support/zip-writer';
import { TestApp, TestResponse, createTestApp } from '../support/test-app';
import { multipart, streamingUpload } from './multipart';

const shared = (name: string) => readFileSync(join(__dirname, '../fixtures/imports', name));
const own = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

const bowtie = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { name: '自相交红线' }, geometry: { type: 'Polygon', coordinates: [[[112.9, 36.3], [112.91, 36.31], [112.91, 36.3], [112.9, 36.31], [112.9, 36.3]]] } }],
};

describe('imports over HTTP: preview and commit', () => {
  let sut: TestApp;
  type Who = 'admin' | 'assessor' | 'committee' | 'contractor';
  const tokens = {} as Record<Who, string>;
  let tunliu: { id: string; areaM2: number };
  let integratorKey: string;

  const preview = (token: string | { apiKey: string }, filename: string, data: Buffer, fields: Record<string, string> = {}, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<TestResponse<any>> => {
    const { body, headers } = multipart({ filename, data }, fields);
    const auth = typeof token === 'string' ? { token } : token;
    return sut.request<any>('POST', '/api/imports/preview', { ...auth, body, headers, lang });
  };
  const commit = (token: string, importId: string, body: Record<string, unknown>): Promise<TestResponse<any>> =>
    sut.request<any>('POST', `/api/imports/${importId}/commit`, { token, body });
  const committedAt = async (importId: string) =>
    (await sut.db.admin.query(`SELECT committed_at, committed_target, committed_count FROM imports WHERE id = $1`, [importId])).rows[0];

  beforeAll(async () => {
    sut = await createTestApp();
    for (const u of ['admin', 'assessor', 'committee', 'contractor'] as const) tokens[u] = await sut.login(u);
    const zones = (await sut.request<any[]>('GET', '/api/zones', { token: tokens.admin })).body;
    tunliu = zones.find((z) => z.code === 'SX-CZ-TLETDZ')!;
    const orgs = (await sut.request<any[]>('GET', '/api/admin/orgs', { token: tokens.admin })).body;
    const svc = await sut.request<any>('POST', '/api/admin/service-accounts', {
      token: tokens.admin, body: { username: 'land-system', displayName: '土地出让系统', orgId: orgs.find((o) => o.type === 'bureau')!.id },
    });
    integratorKey = (await sut.request<any>('POST', `/api/admin/service-accounts/${svc.body.id}/api-keys`, { token: tokens.admin, body: { name: '测试' } })).body.key;
  }, 180_000); // the demo seed (thousands of cores) on a loaded machine
  afterAll(() => sut?.close());

  it('keeps the import limit inside the global multipart limit, so the import route is the one that answers', () => {
    expect(DEFAULT_IMPORT_LIMITS.maxFileBytes).toBeLessThan(UPLOAD_LIMIT);
  });

  describe('zone boundary from a GeoJSON', () => {
    it('previews in lon/lat, warns about the line the target does not take, and replaces the boundary on commit', async () => {
      const res = await preview(tokens.admin, 'zone.geojson', shared('truth-zone-4490.geojson'), { target: 'zone-boundary' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ format: 'geojson', featureCount: 2, crs: { epsg: expect.any(Number) } });
      expect(res.body.importId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.expiresAt).toMatch(/\+08:00$/);
      expect(res.body.features.type).toBe('FeatureCollection');
      const [lon, lat] = res.body.features.features[0].geometry.coordinates[0][0];
      expect(lon).toBeCloseTo(113.1, 6);
      expect(lat).toBeCloseTo(36.2, 6);
      const typeWarning = res.body.warnings.find((w: any) => w.code === 'geometry_type_not_accepted');
      expect(typeWarning.featureIndexes).toEqual([1]);
      expect(typeWarning.message).toContain('第 2 个要素是线');

      // committing the line too is refused, naming it
      const all = await commit(tokens.admin, res.body.importId, { target: 'zone-boundary', options: { zoneId: tunliu.id } });
      expect(all.status).toBe(422);
      expect(all.body.code).toBe('import_geometry_type_refused');
      expect(all.body.details.featureIndexes).toEqual([1]);
      expect(all.body.message).toContain('第 2 个要素是线');

      const ok = await commit(tokens.admin, res.body.importId, { target: 'zone-boundary', featureIndexes: [0], options: { zoneId: tunliu.id } });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ target: 'zone-boundary', written: 1, ids: [tunliu.id] });
      const zone = (await sut.request<any>('GET', `/api/zones/${tunliu.id}`, { token: tokens.admin })).body;
      expect(zone.boundary.type).toBe('MultiPolygon');
      // 0.02° × 0.015° at 36.2°N ≈ 1797 m × 1665 m
      expect(zone.areaM2).toBeGreaterThan(2.9e6);
      expect(zone.areaM2).toBeLessThan(3.1e6);
      const audit = await sut.db.admin.query(
        `SELECT action, before, after FROM audit_events WHERE entity_id IN ($1, $2) ORDER BY id`, [tunliu.id, res.body.importId]);
      expect(audit.rows.map((r: any) => r.action)).toEqual(expect.arrayContaining(['zone.boundary-import', 'import.commit']));
      const boundaryEvent = audit.rows.find((r: any) => r.action === 'zone.boundary-import');
      expect(boundaryEvent.before.areaM2).toBeCloseTo(tunliu.areaM2, 0);
      expect(boundaryEvent.after.boundary.type).toBe('MultiPolygon');
      expect(await committedAt(res.body.importId)).toMatchObject({ committed_target: 'zone-boundary', committed_count: 1 });
    });

    it('refuses a second commit of the same import with 409', async () => {
      const res = await preview(tokens.admin, 'zone.geojson', shared('truth-zone-4490.geojson'));
      const body = { target: 'zone-boundary', featureIndexes: [0], options: { zoneId: tunliu.id } };
      expect((await commit(tokens.admin, res.body.importId, body)).status).toBe(200);
      const again = await commit(tokens.admin, res.body.importId, body);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('import_already_committed');
      expect(again.body.message).toContain('不能重复提交');
    });
  });

  it('imports a zone boundary from a zipped Shapefile in EPSG:4547 with GBK text, unioning its two parts within 0.5 m of the truth', async () => {
    const res = await preview(tokens.admin, 'redline.zip', own('zone-boundary-4547-gbk.zip'));
    expect(res.status).toBe(200);
    expect(res.body.format).toBe('shapefile_zip');
    expect(res.body.crs).toEqual({ epsg: 4547, detectedFrom: 'prj' });
    expect(res.body.features.features.map((f: any) => f.properties['名称'])).toEqual(['屯留经开区红线西片', '屯留经开区红线东片']);
    const ok = await commit(tokens.admin, res.body.importId, { target: 'zone-boundary', options: { zoneId: tunliu.id } });
    expect(ok.status).toBe(200);
    const truth = own('zone-boundary-truth-4490.geojson').toString();
    const { rows } = await sut.db.admin.query(
      `WITH t AS (SELECT ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4490)) AS g FROM jsonb_array_elements($1::jsonb -> 'features') f)
       SELECT ST_HausdorffDistance(ST_Transform(z.boundary, 4547), ST_Transform(t.g, 4547)) AS d, ST_NumGeometries(z.boundary) AS parts
         FROM zones z, t WHERE z.id = $2`,
      [truth, tunliu.id],
    );
    expect(Number(rows[0].d)).toBeLessThan(0.5);
    // the two adjoining parcels became one polygon
    expect(Number(rows[0].parts)).toBe(1);
  });

  describe('files that are refused cleanly, with a Chinese message', () => {
    const cases: Array<[string, () => Buffer, string, string, number, string]> = [
      ['a truncated zip', () => shared('sites-4526-gbk.zip').subarray(0, 600), 'sites.zip', 'malformed_file', 400, '文件已损坏'],
      ['an empty file', () => Buffer.alloc(0), 'empty.geojson', 'file_empty', 400, '文件为空'],
      ['a zip with a ../ entry', () => makeZip([{ name: '../../etc/cron.d/evil', data: Buffer.from('x') }, { name: 'a.kml', data: Buffer.from('<kml/>') }]), 'evil.kmz', 'zip_unsafe_path', 400, '不安全的文件路径'],
      ['a file in no supported format', () => Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'photo.png', 'unsupported_format', 415, '无法识别的文件格式'],
      ['broken JSON', () => Buffer.from('{"type":"FeatureCollection","features":[{'), 'broken.geojson', 'malformed_file', 400, '文件已损坏'],
    ];
    it.each(cases)('%s', async (_what, data, filename, code, status, text) => {
      const res = await preview(tokens.assessor, filename, data());
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(res.body.message).toContain(text);
      expect(res.body.message).not.toMatch(/\{\w+\}/);
    });

    it('an upload of 200 MB, streamed without a length, is cut off at the 50 MB limit with 413', async () => {
      // real HTTP, not inject: light-my-request would read the whole stream before the server sees it
      await sut.app.listen(0, '127.0.0.1');
      const { port } = sut.app.getHttpServer().address() as AddressInfo;
      const upload = streamingUpload('huge.geojson', 200 * 1024 * 1024);
      const started = Date.now();
      const { status, body, producedAtResponse } = await new Promise<{ status: number; body: any; producedAtResponse: number }>((resolve, reject) => {
        const req = httpRequest({
          host: '127.0.0.1', port, method: 'POST', path: '/api/imports/preview',
          headers: { ...upload.headers, authorization: `Bearer ${tokens.assessor}`, 'accept-language': 'zh-CN', 'transfer-encoding': 'chunked' },
        }, (res) => {
          const producedAtResponse = upload.produced();
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            upload.stream.destroy();
            req.destroy();
            resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()), producedAtResponse });
          });
        });
        req.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e); });
        upload.stream.pipe(req);
      });
      expect(status).toBe(413);
      expect(body.code).toBe('file_too_large');
      expect(body.message).toContain('单个文件不能超过 50.0 MB');
      // answered once the limit was passed, long before the upload ended: nothing near 200 MB was held
      expect(producedAtResponse).toBeLessThan(100 * 1024 * 1024);
      expect(Date.now() - started).toBeLessThan(15000);
    });

    it('an upload that declares more than the limit is refused before it is read', async () => {
      const data = Buffer.alloc(51 * 1024 * 1024, 0x20);
      const res = await preview(tokens.assessor, 'big.csv', data);
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('file_too_large');
      expect(res.body.message).toMatch(/文件过大（51\.0 MB），单个文件不能超过 50\.0 MB/);
    });

    it('a request without a file, or not multipart at all, is a 4xx', async () => {
      const none = multipart(null, { srid: '4547' });
      const missing = await sut.request<any>('POST', '/api/imports/preview', { token: tokens.assessor, body: none.body, headers: none.headers });
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('import_file_missing');
      const json = await sut.request<any>('POST', '/api/imports/preview', { token: tokens.assessor, body: { file: 'x' } });
      expect(json.status).toBe(415);
      const badSrid = await preview(tokens.assessor, 'zone.geojson', shared('truth-zone-4490.geojson'), { srid: 'wgs' });
      expect(badSrid.status).toBe(400);
      expect(badSrid.body.code).toBe('import_field_invalid');
    });

    it('a CSV in a CRS the values cannot tell asks for one, with the Shanxi choices', async () => {
      const csv = Buffer.from('点号,X,Y\nP1,4010000.12,612345.67\nP2,4010100.5,612400.1\n');
      const res = await preview(tokens.assessor, 'points.csv', csv);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('crs_required');
      expect(res.body.message).toContain('请选择坐标系');
      const chosen = await preview(tokens.assessor, 'points.csv', csv, { srid: '4547', swapXY: 'true' });
      expect(chosen.status).toBe(200);
      expect(chosen.body.crs).toEqual({ epsg: 4547, detectedFrom: 'user' });
    });
  });

  describe('invalid geometry', () => {
    it('a bowtie is previewed with the self-intersection and where it is, and cannot be committed', async () => {
      const res = await preview(tokens.admin, 'bowtie.geojson', Buffer.from(JSON.stringify(bowtie)));
      expect(res.status).toBe(200);
      const w = res.body.warnings.find((x: any) => x.code === 'invalid_geometry');
      expect(w).toMatchObject({ featureIndex: 0, reason: 'Self-intersection', location: { type: 'Point' } });
      expect(w.location.coordinates[0]).toBeCloseTo(112.905, 6);
      expect(w.location.coordinates[1]).toBeCloseTo(36.305, 6);
      expect(w.message).toContain('第 1 个要素图形无效：Self-intersection');
      expect(res.body.features.features[0].properties._valid).toBe(false);
      const refused = await commit(tokens.admin, res.body.importId, { target: 'zone-boundary', options: { zoneId: tunliu.id } });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('import_invalid_geometry_refused');
      expect(refused.body.message).toContain('自动修复');
      expect((await committedAt(res.body.importId)).committed_at).toBeNull();
    });

    it('previewed with repair, the bowtie becomes two triangles and can be committed', async () => {
      const res = await preview(tokens.admin, 'bowtie.geojson', Buffer.from(JSON.stringify(bowtie)), { repair: 'true' }, 'en');
      expect(res.status).toBe(200);
      expect(res.body.warnings.map((w: any) => w.code)).toEqual(expect.arrayContaining(['invalid_geometry', 'geometry_repaired']));
      expect(res.body.warnings.find((w: any) => w.code === 'geometry_repaired').message).toContain('was repaired as requested');
      expect(res.body.features.features[0].geometry.type).toBe('MultiPolygon');
      const ok = await commit(tokens.admin, res.body.importId, { target: 'zone-boundary', options: { zoneId: tunliu.id } });
      expect(ok.status).toBe(200);
      const { rows } = await sut.db.admin.query(`SELECT ST_NumGeometries(boundary) AS n, ST_IsValid(boundary) AS valid FROM zones WHERE id = $1`, [tunliu.id]);
      expect(rows[0]).toEqual({ n: 2, valid: true });
    });
  });

  describe('who may preview and commit', () => {
    it('an integrator key may not preview or commit', async () => {
      const res = await preview({ apiKey: integratorKey }, 'zone.geojson', shared('truth-zone-4490.geojson'));
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('您的角色无权执行此操作');
      const own = await preview(tokens.admin, 'zone.geojson', shared('truth-zone-4490.geojson'));
      const c = await sut.request<any>('POST', `/api/imports/${own.body.importId}/commit`, { apiKey: integratorKey, body: { target: 'zone-boundary' } });
      expect(c.status).toBe(403);
    });

    it('anonymous callers are refused', async () => {
      const { body, headers } = multipart({ filename: 'zone.geojson', data: shared('truth-zone-4490.geojson') });
      expect((await sut.request('POST', '/api/imports/preview', { body, headers })).status).toBe(401);
    });

    it("someone else's import looks absent (404), even to an admin", async () => {
      const res = await preview(tokens.assessor, 'zone.geojson', shared('truth-zone-4490.geojson'));
      expect(res.status).toBe(200);
      const other = await commit(tokens.admin, res.body.importId, { target: 'zone-boundary', featureIndexes: [0], options: { zoneId: tunliu.id } });
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('import_not_found');
    });

    it('only an admin may import a zone boundary (committee and assessor get 403)', async () => {
      for (const who of ['assessor', 'committee'] as const) {
        const res = await preview(tokens[who], 'zone.geojson', shared('truth-zone-4490.geojson'));
        expect(res.status).toBe(200);
        const c = await commit(tokens[who], res.body.importId, { target: 'zone-boundary', featureIndexes: [0], options: { zoneId: tunliu.id } });
        expect(c.status).toBe(403);
        expect((await committedAt(res.body.importId)).committed_at).toBeNull();
      }
    });

    it('an unknown target is a 400 naming the available ones', async () => {
      const res = await preview(tokens.admin, 'zone.geojson', shared('truth-zone-4490.geojson'));
      const c = await commit(tokens.admin, res.body.importId, { target: 'no-such-layer' });
      expect(c.status).toBe(400);
      expect(c.body.code).toBe('import_target_unknown');
      expect(c.body.message).toContain('zone-boundary');
      const badIndex = await commit(tokens.admin, res.body.importId, { target: 'zone-boundary', featureIndexes: [0, 7], options: { zoneId: tunliu.id } });
      expect(badIndex.status).toBe(422);
      expect(badIndex.body.details.featureIndexes).toEqual([7]);
    });

    it('a preview expires after 24 hours (410)', async () => {
      const res = await preview(tokens.admin, 'zone.geojson', shared('truth-zone-4490.geojson'));
      sut.clock.advance(24 * 3600 * 1000 + 1000);
      try {
        const c = await commit(await sut.login('admin'), res.body.importId, { target: 'zone-boundary', featureIndexes: [0], options: { zoneId: tunliu.id } });
        expect(c.status).toBe(410);
        expect(c.body.message).toContain('预览已过期');
      } finally {
        sut.clock.advance(-(24 * 3600 * 1000 + 1000));
      }
    });
  });

  describe('all or nothing', () => {
    it('a boundary import into a zone that does not exist is a 404 and leaves the import uncommitted', async () => {
      const res = await preview(tokens.admin, 'zone.geojson', shared('truth-zone-4490.geojson'));
      const missing = await commit(tokens.admin, res.body.importId, { target: 'zone-boundary', featureIndexes: [0], options: { zoneId: '00000000-0000-4000-8000-000000000000' } });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('zone_not_found');
      expect((await committedAt(res.body.importId)).committed_at).toBeNull();
      // and it can still be committed where it belongs
      expect((await commit(tokens.admin, res.body.importId, { target: 'zone-boundary', featureIndexes: [0], options: { zoneId: tunliu.id } })).status).toBe(200);
    });

    it('a target that fails after writing leaves nothing behind: no rows, no audit, import not committed', async () => {
      // a real target on the real registry: renames the zone, then fails like a constraint violation would
      sut.app.get(ImportTargetRegistry).register({
        name: 'test-failing', geometryTypes: ['Polygon', 'LineString'],
        assertCanWrite: async () => undefined,
        commit: async (m: EntityManager) => {
          await m.query(`UPDATE zones SET name = '半途而废' WHERE id = $1`, [tunliu.id]);
          await m.query(`SELECT 1 / 0`);
          return { written: 1 };
        },
      });
      const auditBefore = (await sut.db.admin.query(`SELECT count(*)::int AS n FROM audit_events`)).rows[0].n;
      const res = await preview(tokens.admin, 'zone.geojson', shared('truth-zone-4490.geojson'));
      const c = await commit(tokens.admin, res.body.importId, { target: 'test-failing' });
      expect(c.status).toBe(500);
      const { rows } = await sut.db.admin.query(`SELECT name FROM zones WHERE id = $1`, [tunliu.id]);
      expect(rows[0].name).toBe('屯留经济技术开发区');
      expect((await sut.db.admin.query(`SELECT count(*)::int AS n FROM audit_events`)).rows[0].n).toBe(auditBefore);
      expect((await committedAt(res.body.importId)).committed_at).toBeNull();
    });
  });
});
