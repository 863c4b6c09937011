import { CoringService } from '../../src/modules/coring/coring.service';
import { CoreRow } from '../../src/modules/coring/coring.repository';
import { multipart } from '../imports-api/multipart';
import { createTestApp, TestApp } from '../support/test-app';
import { CoringFixture, coringTokens, createCoringFixture } from './coring-fixture';

// the full demo seed (every feature's steps) runs in createTestApp and takes tens of seconds on a busy machine
jest.setTimeout(240_000);

/** Cores in bulk: the service's fast path (100,000 in one statement) and the `cores` import target over HTTP. */
describe('coring imports', () => {
  let sut: TestApp;
  let fx: CoringFixture;
  let tokens: Record<string, string>;
  /** lon/lat box well inside the fixture zone */
  let box: { lon0: number; lat0: number; lon1: number; lat1: number };

  beforeAll(async () => {
    sut = await createTestApp();
    fx = await createCoringFixture(sut);
    tokens = await coringTokens(sut);
    const b = await sut.db.admin.query(`SELECT ST_XMin(boundary) AS x0, ST_YMin(boundary) AS y0, ST_XMax(boundary) AS x1, ST_YMax(boundary) AS y1 FROM zones WHERE id = $1`, [fx.zoneId]);
    const r = b.rows[0];
    const dx = (r.x1 - r.x0) * 0.15;
    const dy = (r.y1 - r.y0) * 0.15;
    box = { lon0: r.x0 + dx, lat0: r.y0 + dy, lon1: r.x1 - dx, lat1: r.y1 - dy };
  });
  afterAll(() => sut?.close());

  const count = async (): Promise<number> => (await sut.db.admin.query(`SELECT count(*)::int AS n FROM coring_points WHERE assessment_id = $1`, [fx.assessmentId])).rows[0].n;

  it('inserts 100,000 cores in one call of the bulk path, numbering those without a code', async () => {
    const results = ['negative', 'negative', 'negative', 'cultural_layer', 'disturbed', null] as const;
    const rows: CoreRow[] = Array.from({ length: 100_000 }, (_, i) => ({
      lon: box.lon0 + ((i % 400) / 400) * (box.lon1 - box.lon0),
      lat: box.lat0 + (Math.floor(i / 400) / 250) * (box.lat1 - box.lat0),
      code: i % 10 === 0 ? `K${i}` : null,
      depthM: 2.5,
      result: results[i % results.length]!,
      stratigraphy: null,
      coredAt: null,
    }));
    const before = await count();
    const inserted = await sut.dataSource.transaction((m) => sut.app.get(CoringService).bulkInsert(m, fx.assessmentId, rows));
    expect(inserted).toBe(100_000);
    expect((await count()) - before).toBe(100_000);
    const stats = await sut.db.admin.query(
      `SELECT count(*) FILTER (WHERE status = 'cored')::int AS cored, count(*) FILTER (WHERE status = 'planned')::int AS planned,
              count(*) FILTER (WHERE code = 'K10')::int AS kept, max(code) FILTER (WHERE code LIKE 'CORETEST-%') AS last_code
         FROM coring_points WHERE assessment_id = $1`,
      [fx.assessmentId],
    );
    expect(stats.rows[0]).toEqual({ cored: 83_334, planned: 16_666, kept: 1, last_code: 'CORETEST-090000' });
  });

  const csv = (lines: string[]): Buffer => Buffer.from(['lon,lat,编号,深度,结果,地层', ...lines].join('\n'), 'utf8');
  const previewAndCommit = async (data: Buffer, token = tokens.assessor!) => {
    const { body, headers } = multipart({ filename: 'cores.csv', data }, { srid: '4490' });
    const preview = await sut.request<any>('POST', '/api/imports/preview', { token, body, headers });
    expect(preview.status).toBe(200);
    const commit = await sut.request<any>('POST', `/api/imports/${preview.body.importId}/commit`, { token, body: { target: 'cores', options: { assessmentId: fx.assessmentId } } });
    return { preview, commit };
  };

  it('imports a CSV with Chinese headers and values through preview and commit, in one transaction', async () => {
    const lon = (box.lon0 + box.lon1) / 2;
    const lat = (box.lat0 + box.lat1) / 2;
    const before = await count();
    const { preview, commit } = await previewAndCommit(csv([
      `${lon},${lat},T1,2.4,文化层,灰褐色文化层`,
      `${lon + 0.0005},${lat},T2,3.1,阴性,生土`,
      `${lon + 0.001},${lat},T3,,,`,
      `${lon + 0.0015},${lat},T4,1.8,墓葬,五花土`,
    ]));
    expect(preview.body.featureCount).toBe(4);
    expect(commit.status).toBe(200);
    expect(commit.body).toMatchObject({ target: 'cores', written: 4 });
    expect((await count()) - before).toBe(4);
    const rows = await sut.db.admin.query(`SELECT code, status, result, depth_m::float8 AS depth, stratigraphy FROM coring_points WHERE code LIKE 'T_' ORDER BY code`);
    expect(rows.rows).toEqual([
      { code: 'T1', status: 'cored', result: 'cultural_layer', depth: 2.4, stratigraphy: '灰褐色文化层' },
      { code: 'T2', status: 'cored', result: 'negative', depth: 3.1, stratigraphy: '生土' },
      { code: 'T3', status: 'planned', result: null, depth: null, stratigraphy: null },
      { code: 'T4', status: 'cored', result: 'tomb', depth: 1.8, stratigraphy: '五花土' },
    ]);
  });

  it('writes nothing when one feature carries an unknown result, naming the feature', async () => {
    const lon = (box.lon0 + box.lon1) / 2;
    const lat = box.lat0 + 0.001;
    const before = await count();
    const { commit } = await previewAndCommit(csv([`${lon},${lat},U1,2,阴性,`, `${lon + 0.0005},${lat},U2,2,陶片,`]));
    expect(commit.status).toBe(422);
    expect(commit.body.code).toBe('cores_bad_value');
    expect(commit.body.message).toContain('第 2 个要素');
    expect(await count()).toBe(before);
  });

  it('refuses a file whose cores land kilometres from the zone (a wrong CRS), writing nothing', async () => {
    const before = await count();
    const { commit } = await previewAndCommit(csv([`${box.lon0},${box.lat0},V1,2,阴性,`, `112.40,35.50,V2,2,阴性,`]));
    expect(commit.status).toBe(422);
    expect(commit.body.code).toBe('cores_outside_zone');
    expect(commit.body.details.featureIndexes).toEqual([1]);
    expect(await count()).toBe(before);
  });

  it('lets only team assessors import cores', async () => {
    const lon = (box.lon0 + box.lon1) / 2;
    for (const who of ['assessor2', 'reviewer']) {
      const { body, headers } = multipart({ filename: 'cores.csv', data: csv([`${lon},${box.lat0 + 0.002},W1,2,阴性,`]) }, { srid: '4490' });
      const preview = await sut.request<any>('POST', '/api/imports/preview', { token: tokens[who], body, headers });
      if (preview.status !== 200) {
        expect([who, preview.status]).toEqual([who, 403]);
        continue;
      }
      const commit = await sut.request<any>('POST', `/api/imports/${preview.body.importId}/commit`, { token: tokens[who], body: { target: 'cores', options: { assessmentId: fx.assessmentId } } });
      expect([who, commit.status]).toEqual([who, 403]);
    }
  });
});
