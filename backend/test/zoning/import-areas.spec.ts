import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { multipart } from '../imports-api/multipart';
import { TestApp, createTestApp } from '../support/test-app';
import { Tokens, addAreas, loginAll, makeZone, newPlan, type Local, type Poly } from './zoning-fixtures';

/**
 * The `zoning-areas` import target: a file's polygons become areas of a draft plan through the import
 * service (preview, then commit in one transaction), with the category from a chosen or mapped attribute.
 */
describe('zoning: importing areas from a file', () => {
  let sut: TestApp;
  let t: Tokens;
  let dir: string;

  beforeAll(async () => {
    sut = await createTestApp();
    t = await loginAll(sut, ['assessor', 'reviewer', 'committee', 'admin']);
    dir = mkdtempSync(join(tmpdir(), 'qz-zoning-import-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sut.close();
  });

  const feature = (properties: Record<string, unknown>, geometry: Poly | { type: 'MultiPolygon'; coordinates: number[][][][] }) => ({ type: 'Feature', properties, geometry });

  /**
   * Three strips covering the 200 m test zone, sharing their edges exactly. Attribute names as a Shapefile can
   * hold them (a DBF field name has at most 10 bytes: three Chinese characters in UTF-8).
   */
  const strips = (local: Local) => [
    feature({ 类别: '避让区', 依据: '古墓葬保护范围外扩50米', 名称: '西侧避让区' }, local.rect(0, 0, 50, 200)),
    feature({ 类别: '勘探区', 依据: '大孔距实探见零星陶片' }, local.rect(50, 0, 150, 200)),
    feature({ 类别: '释放区', 名称: '东侧释放区' }, local.rect(150, 0, 200, 200)),
  ];

  /** A zipped ESRI Shapefile in CGCS2000 / 3-degree Gauss–Krüger CM 114°E (EPSG:4547), UTF-8 attributes, made by ogr2ogr. */
  function shapefileZip(name: string, features: unknown[]): Buffer {
    const src = join(dir, `${name}.geojson`);
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features }));
    const out = join(dir, name);
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', out, src, '-nln', name]);
    execFileSync('zip', ['-j', '-q', `${out}.zip`, `${out}/${name}.shp`, `${out}/${name}.shx`, `${out}/${name}.dbf`, `${out}/${name}.prj`, `${out}/${name}.cpg`]);
    return readFileSync(`${out}.zip`);
  }

  async function preview(filename: string, data: Buffer, token = t.assessor): Promise<string> {
    const { body, headers } = multipart({ filename, data }, { target: 'zoning-areas' });
    const res = await sut.request<any>('POST', '/api/imports/preview', { token, body, headers });
    expect(res.status).toBe(200);
    return res.body.importId;
  }

  const commit = (importId: string, options: Record<string, unknown>, token = t.assessor, lang: 'zh-CN' | 'en' = 'zh-CN') =>
    sut.request<any>('POST', `/api/imports/${importId}/commit`, { token, lang, body: { target: 'zoning-areas', options } });

  const planOf = async (id: string) => sut.request<any>('GET', `/api/zoning-plans/${id}`, { token: t.assessor });

  it('a Shapefile made with ogr2ogr in Gauss–Krüger becomes three draft areas with their categories, rationale and names, in one step', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const importId = await preview('areas.zip', shapefileZip('areas', strips(z.local)));
    const rowVersion = Number(plan.etag.replace(/"/g, ''));

    const res = await commit(importId, { planId: plan.id, rowVersion });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    expect(res.body).toMatchObject({ target: 'zoning-areas', written: 3 });
    expect(res.body.ids).toHaveLength(3);

    const after = await planOf(plan.id);
    const areas = [...after.body.areas].sort((a: any, b: any) => a.geometry.coordinates[0][0][0] - b.geometry.coordinates[0][0][0]);
    expect(areas.map((a: any) => [a.category, a.rationale, a.label])).toEqual([
      ['avoidance', '古墓葬保护范围外扩50米', '西侧避让区'],
      ['exploration', '大孔距实探见零星陶片', null],
      ['release', null, '东侧释放区'],
    ]);
    // 50 m × 200 m = 1 公顷 = 15 亩, to the tolerance of the test zone's local metres
    expect(areas[0].areaMu).toBeGreaterThan(14.5);
    expect(areas[0].areaMu).toBeLessThan(15.5);
    // the import is an edit: the ETag moved on, and an editor still holding the old one is refused
    expect(after.headers.etag).not.toBe(plan.etag);
    const stale = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/areas`, {
      token: t.assessor, headers: { 'if-match': plan.etag }, body: { category: 'release', geometry: z.local.rect(0, 0, 10, 10) },
    });
    expect(stale.status).toBe(412);
    // edges shared in the file stay shared after the round trip through the projection: no overlap or gap
    const v = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/validate`, { token: t.assessor });
    expect(v.status).toBe(200);
    expect(v.body.problems.filter((p: any) => p.severity === 'error')).toEqual([]);
    // one audit event names each area and the feature it came from
    const audit = await sut.db.admin.query(`SELECT after FROM audit_events WHERE action = 'zoning_plan.area_import' AND entity_id = $1`, [plan.id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].after.areas.map((a: any) => a.featureIndex).sort()).toEqual([0, 1, 2]);
  });

  it('maps the values of a chosen attribute to categories; a MultiPolygon gives one area per part', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const fc = {
      type: 'FeatureCollection',
      features: [
        feature({ CLASS: 1, NOTE: '城墙遗迹' }, z.local.rect(0, 0, 100, 100)),
        feature({ CLASS: 3 }, { type: 'MultiPolygon', coordinates: [z.local.rect(100, 0, 200, 90).coordinates, z.local.rect(0, 110, 200, 200).coordinates] }),
      ],
    };
    const importId = await preview('classes.geojson', Buffer.from(JSON.stringify(fc)));
    const res = await commit(importId, { planId: plan.id, categoryField: 'CLASS', categoryMap: { '1': 'avoidance', '3': 'release' }, rationaleField: 'NOTE' });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    expect(res.body.written).toBe(3);
    const areas = (await planOf(plan.id)).body.areas;
    expect(areas.map((a: any) => a.category).sort()).toEqual(['avoidance', 'release', 'release']);
    expect(areas.find((a: any) => a.category === 'avoidance').rationale).toBe('城墙遗迹');
  });

  it('refuses rows whose category it cannot tell (422 naming them, zh-CN and en), writes nothing, and takes the same file with one category for all', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const fc = { type: 'FeatureCollection', features: [feature({ 分区类别: '避让区' }, z.local.rect(0, 0, 100, 200)), feature({ 分区类别: '待定' }, z.local.rect(100, 0, 200, 200))] };
    const importId = await preview('unknown.geojson', Buffer.from(JSON.stringify(fc)));

    const zh = await commit(importId, { planId: plan.id });
    expect(zh.status).toBe(422);
    expect(zh.body.code).toBe('zoning_import_category_unknown');
    expect(zh.body.message).toContain('第 2 个要素的分区类别无法识别（值：待定）');
    expect(zh.body.details.featureIndexes).toEqual([1]);
    const en = await commit(importId, { planId: plan.id }, t.assessor, 'en');
    expect(en.body.message).toContain('Feature(s) 2 have no recognisable category');
    expect((await planOf(plan.id)).body.areas).toEqual([]);

    const ok = await commit(importId, { planId: plan.id, category: 'exploration' });
    expect(ok.status).toBe(200);
    expect((await planOf(plan.id)).body.areas.map((a: any) => a.category)).toEqual(['exploration', 'exploration']);
  });

  it('refuses a plan that changed since the user looked (412) and writes nothing', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const seen = Number(plan.etag.replace(/"/g, ''));
    await addAreas(sut, t, plan, [{ category: 'avoidance', geometry: z.local.rect(0, 0, 50, 200), rationale: '先画的' }]);
    const importId = await preview('late.geojson', Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: strips(z.local).slice(1) })));
    const stale = await commit(importId, { planId: plan.id, rowVersion: seen });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('conflict_stale');
    expect((await planOf(plan.id)).body.areas).toHaveLength(1);
    // the import was not used up: the same preview commits once the user has seen the current plan
    const current = Number(String((await planOf(plan.id)).headers.etag).replace(/"/g, ''));
    expect((await commit(importId, { planId: plan.id, rowVersion: current })).status).toBe(200);
    expect((await planOf(plan.id)).body.areas).toHaveLength(3);
  });

  it('only an assessor imports, only into a draft (409 otherwise), and the options are checked (400)', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    await addAreas(sut, t, plan, [{ category: 'release', geometry: z.local.rect(0, 0, 200, 200), rationale: '全部释放' }]);
    const data = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: strips(z.local) }));

    // reviewers and admins preview files too, but may not write areas
    for (const who of ['reviewer', 'admin'] as const) {
      const id = await preview('x.geojson', data, t[who]);
      const res = await commit(id, { planId: plan.id }, t[who]);
      expect(res.status).toBe(403);
    }
    const mine = await preview('x.geojson', data);
    expect((await commit(mine, {})).status).toBe(400);
    expect((await commit(mine, { planId: plan.id, category: 'core' })).body.message).toContain('category');
    expect((await commit(mine, { planId: plan.id, categoryMap: { a: 'nowhere' } })).status).toBe(400);

    const submitted = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/submit`, { token: t.assessor, body: {} });
    expect(submitted.status).toBe(200);
    const refused = await commit(mine, { planId: plan.id });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('只有草稿可以修改');
    expect((await planOf(plan.id)).body.areas).toHaveLength(1);
  });

  it('a committee never gets to import into a plan (403), nor learns whether it exists', async () => {
    const z = await makeZone(sut, { committee: true });
    const plan = await newPlan(sut, t, z.id);
    const { body, headers } = multipart({ filename: 'c.geojson', data: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: strips(z.local) })) }, { target: 'zoning-areas' });
    const pre = await sut.request<any>('POST', '/api/imports/preview', { token: t.committee, body, headers });
    if (pre.status === 200) {
      const res = await commit(pre.body.importId, { planId: plan.id }, t.committee);
      expect(res.status).toBe(403);
    } else {
      expect(pre.status).toBe(403);
    }
    expect((await planOf(plan.id)).body.areas).toEqual([]);
  });
});
