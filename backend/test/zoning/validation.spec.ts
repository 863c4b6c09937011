import { TestApp, createTestApp } from '../support/test-app';
import { Tokens, addAreas, centroidLocal, loginAll, makeZone, newPlan, validate } from './zoning-fixtures';

/** Each problem code found at the right place on hand-built plans in a 200 m × 200 m zone. */
describe('zoning validation (PostGIS)', () => {
  let sut: TestApp;
  let t: Tokens;
  beforeAll(async () => {
    sut = await createTestApp();
    t = await loginAll(sut, ['assessor', 'reviewer']);
  });
  afterAll(() => sut.close());

  it('two areas sharing an edge exactly (with awkward coordinates) report nothing, and the edge stays exactly shared in storage', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    // a shared, zig-zag edge whose vertices have full-precision coordinates
    const edge: Array<[number, number]> = [[100, 0], [100.123456789, 50.987654321], [99.87654321, 120.5555555], [100, 200]];
    const west = z.local.poly([[0, 0], ...edge, [0, 200]]);
    const east = z.local.poly([[200, 0], [200, 200], ...[...edge].reverse()]);
    const [a, b] = await addAreas(sut, t, plan, [{ category: 'avoidance', geometry: west }, { category: 'release', geometry: east }]);
    expect(await validate(sut, t, plan.id)).toEqual([]);
    const shared = await sut.db.admin.query(
      `SELECT ST_Equals(ST_Intersection(a.geom, b.geom), ST_Intersection(a.geom, b.geom)) AS ok, ST_Dimension(ST_Intersection(a.geom, b.geom)) AS dim,
              ST_Area(ST_Intersection(a.geom, b.geom)) AS overlap, ST_Area(ST_Difference(z.boundary, ST_Union(a.geom, b.geom))) AS gap
         FROM zoning_areas a, zoning_areas b, zones z WHERE a.id = $1 AND b.id = $2 AND z.id = $3`,
      [a, b, z.id],
    );
    expect(shared.rows[0]).toMatchObject({ dim: 1, overlap: 0, gap: 0 });
  });

  it('two areas overlapping by 1 m² report one overlap located at that square metre', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const west = z.local.rect(0, 0, 100, 200);
    // the east area pushes a 1 m × 1 m tooth into the west one at x 99–100, y 100–101
    const east = z.local.poly([[100, 0], [200, 0], [200, 200], [100, 200], [100, 101], [99, 101], [99, 100], [100, 100]]);
    const [a, b] = await addAreas(sut, t, plan, [{ category: 'avoidance', geometry: west }, { category: 'exploration', geometry: east }]);
    const problems = await validate(sut, t, plan.id, 'en');
    expect(problems.map((p) => p.code)).toEqual(['overlap']);
    expect(problems[0].severity).toBe('error');
    expect([...problems[0].areaIds].sort()).toEqual([a, b].sort());
    const at = await centroidLocal(sut, z.local, problems[0].location);
    expect(at.x).toBeCloseTo(99.5, 0);
    expect(at.y).toBeCloseTo(100.5, 0);
    expect(at.m2).toBeGreaterThan(0.9);
    expect(at.m2).toBeLessThan(1.1);
    expect(problems[0].message).toMatch(/overlap by 1(\.\d)? m²/);
  });

  it('finds overlaps that share no edge: an area inside another, an exact duplicate, and a tooth into a snapped neighbour', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const [big, island, left, dup, right] = await addAreas(sut, t, plan, [
      { category: 'avoidance', geometry: z.local.rect(0, 0, 100, 200) },
      // an island 10 m × 10 m wholly inside the first area, touching none of its edges
      { category: 'release', geometry: z.local.rect(40, 40, 50, 50) },
      { category: 'exploration', geometry: z.local.rect(100, 0, 200, 100) },
      // the same rectangle again, vertex for vertex
      { category: 'release', geometry: z.local.rect(100, 0, 200, 100) },
      // snapped to its neighbours except for a 2 m × 2 m tooth pushed into the duplicated pair at (150, 99)
      { category: 'release', geometry: z.local.poly([[100, 100], [149, 100], [149, 98], [151, 98], [151, 100], [200, 100], [200, 200], [100, 200]]) },
    ]);
    const overlaps = (await validate(sut, t, plan.id)).filter((p) => p.code === 'overlap');
    const pairs = overlaps.map((p) => [...p.areaIds].sort().join('+')).sort();
    expect(pairs).toEqual([[big, island], [left, dup], [left, right], [dup, right]].map((x) => x.sort().join('+')).sort());
    const inside = overlaps.find((p) => p.areaIds.includes(island));
    const at = await centroidLocal(sut, z.local, inside.location);
    expect(at.x).toBeCloseTo(45, 0);
    expect(at.m2).toBeGreaterThan(95);
    expect(at.m2).toBeLessThan(105);
    const tooth = overlaps.find((p) => p.areaIds.includes(right) && p.areaIds.includes(left));
    expect((await centroidLocal(sut, z.local, tooth.location)).m2).toBeCloseTo(4, 0);
  });

  it('areas that meet without shared vertices, a ring with an island filling its hole, and touching corners report nothing', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const ring = z.local.rect(0, 0, 100, 100);
    ring.coordinates.push([z.local.ll(30, 30), z.local.ll(30, 60), z.local.ll(60, 60), z.local.ll(60, 30), z.local.ll(30, 30)]);
    await addAreas(sut, t, plan, [
      { category: 'avoidance', geometry: ring },
      { category: 'release', geometry: z.local.rect(30, 30, 60, 60) },
      // the two west rectangles meet this one along x = 100 at y = 100 only through its edge's interior (a T-junction: no vertex here)
      { category: 'exploration', geometry: z.local.rect(100, 0, 200, 200) },
      { category: 'release', geometry: z.local.rect(0, 100, 50, 200) },
      { category: 'exploration', geometry: z.local.rect(50, 100, 100, 200) },
    ]);
    expect(await validate(sut, t, plan.id)).toEqual([]);
  });

  it('a gap is an error where it is; a thin gap below the sliver threshold is a warning', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    await addAreas(sut, t, plan, [
      { category: 'avoidance', geometry: z.local.rect(0, 0, 100, 200) },
      { category: 'exploration', geometry: z.local.rect(110, 0, 200, 100) },
      // 0.03 m × 100 m ≈ 3 m² gap between x = 110 and 110.03
      { category: 'release', geometry: z.local.rect(110.03, 100, 200, 200) },
      { category: 'release', geometry: z.local.rect(100, 100, 110, 200) },
    ]);
    const problems = await validate(sut, t, plan.id);
    const gap = problems.filter((p) => p.code === 'gap');
    expect(gap).toHaveLength(1);
    const g = await centroidLocal(sut, z.local, gap[0].location);
    expect(g.x).toBeCloseTo(105, 0);
    expect(g.y).toBeCloseTo(50, 0);
    expect(g.m2).toBeGreaterThan(950);
    const slivers = problems.filter((p) => p.code === 'sliver');
    expect(slivers).toHaveLength(1);
    expect(slivers[0].severity).toBe('warning');
    expect(slivers[0].areaIds).toEqual([]);
    expect(slivers[0].message).toContain('细碎空隙');
    const s = await centroidLocal(sut, z.local, slivers[0].location);
    expect(s.x).toBeCloseTo(110, 0);
    expect(s.y).toBeGreaterThan(100);
    // with a larger sliver threshold the gap itself becomes a sliver
    const loose = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/validate?sliverM2=5000`, { token: t.reviewer });
    expect(loose.body.problems.filter((p: any) => p.code === 'gap')).toHaveLength(0);
    expect(loose.body.sliverM2).toBe(5000);
  });

  it('reports the part outside the boundary, invalid drawings with their location, and thin areas', async () => {
    const z = await makeZone(sut);
    const plan = await newPlan(sut, t, z.id);
    const [, out, bow, thin] = await addAreas(sut, t, plan, [
      { category: 'avoidance', geometry: z.local.rect(0, 0, 100, 100) },
      { category: 'exploration', geometry: z.local.rect(100, 0, 210, 100) },
      // a bow-tie crossing itself at (150, 150)
      { category: 'release', geometry: z.local.poly([[100, 100], [200, 200], [200, 100], [100, 200]]) },
      // 0.5 m wide, 100 m long: 50 m², above the area threshold but too thin
      { category: 'avoidance', geometry: z.local.rect(0, 100, 0.5, 200) },
    ]);
    const problems = await validate(sut, t, plan.id);
    const outside = problems.find((p) => p.code === 'outside_boundary');
    expect(outside.areaIds).toEqual([out]);
    const o = await centroidLocal(sut, z.local, outside.location);
    expect(o.x).toBeCloseTo(205, 0);
    expect(o.m2).toBeGreaterThan(900);
    const invalid = problems.find((p) => p.code === 'invalid_geometry');
    expect(invalid.areaIds).toEqual([bow]);
    expect(invalid.location.type).toBe('Point');
    const [ix, iy] = z.local.toLocal(invalid.location.coordinates);
    expect(ix).toBeCloseTo(150, 0);
    expect(iy).toBeCloseTo(150, 0);
    expect(invalid.message).toContain('Self-intersection');
    const sliver = problems.find((p) => p.code === 'sliver' && p.areaIds.length);
    expect(sliver.areaIds).toEqual([thin]);
    expect(sliver.severity).toBe('warning');
  });

  it('a release area over a positive core blocks submit; negative, disturbed and planned cores do not', async () => {
    const z = await makeZone(sut);
    const { rows: [asmt] } = await sut.db.admin.query(`INSERT INTO assessments (zone_id, state) VALUES ($1, 'zoning') RETURNING id`, [z.id]);
    const core = async (x: number, y: number, result: string | null) => {
      const [lon, lat] = z.local.ll(x, y);
      const r = await sut.db.admin.query(
        `INSERT INTO coring_points (assessment_id, zone_id, geom, status, result) VALUES ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4490), $5, $6) RETURNING id`,
        [asmt.id, z.id, lon, lat, result ? 'cored' : 'planned', result],
      );
      return r.rows[0].id as string;
    };
    await core(150, 50, 'negative');
    await core(150, 150, 'disturbed');
    await core(120, 20, null);
    await core(50, 50, 'tomb'); // in the avoidance area: fine
    const plan = await newPlan(sut, t, z.id);
    const [, rel] = await addAreas(sut, t, plan, [
      { category: 'avoidance', geometry: z.local.rect(0, 0, 100, 200) },
      { category: 'release', geometry: z.local.rect(100, 0, 200, 200) },
    ]);
    expect(await validate(sut, t, plan.id)).toEqual([]);

    await core(160, 60, 'cultural_layer');
    const problems = await validate(sut, t, plan.id);
    expect(problems.map((p) => p.code)).toEqual(['positive_core_in_release']);
    expect(problems[0].areaIds).toEqual([rel]);
    const [cx, cy] = z.local.toLocal(problems[0].location.coordinates);
    expect(cx).toBeCloseTo(160, 1);
    expect(cy).toBeCloseTo(60, 1);
    expect(problems[0].message).toContain('文化层');
    const submit = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/submit`, { token: t.assessor, body: {} });
    expect(submit.status).toBe(422);
    expect(submit.body.code).toBe('zoning_validation_failed');
    expect(submit.body.details.problems[0].code).toBe('positive_core_in_release');
    expect((await sut.request<any>('GET', `/api/zoning-plans/${plan.id}`, { token: t.assessor })).body.state).toBe('draft');
  });

  it('a relic in release land is an error; a protection range outside avoidance is a warning that needs a justification', async () => {
    const z = await makeZone(sut);
    const relic = async (name: string, geom: unknown, range: unknown | null) => {
      await sut.db.admin.query(
        `INSERT INTO immovable_relics (name, geom, protection_range, zone_id, division_code)
         VALUES ($1, ST_SetSRID(ST_GeomFromGeoJSON($2), 4490), ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3), 4490)), $4, '140405')`,
        [name, JSON.stringify(geom), range ? JSON.stringify(range) : null, z.id],
      );
    };
    // protection range x 20–60 but avoidance only reaches x 50: 10 m × 40 m not avoided
    await relic('测试古墓', z.local.rect(30, 30, 40, 40), z.local.rect(20, 20, 60, 60));
    const plan = await newPlan(sut, t, z.id);
    const [, expl, rel] = await addAreas(sut, t, plan, [
      { category: 'avoidance', geometry: z.local.rect(0, 0, 50, 200) },
      { category: 'exploration', geometry: z.local.rect(50, 0, 100, 200) },
      { category: 'release', geometry: z.local.rect(100, 0, 200, 200) },
    ]);
    const problems = await validate(sut, t, plan.id);
    expect(problems.map((p) => [p.code, p.severity])).toEqual([['relic_not_avoided', 'warning']]);
    const w = await centroidLocal(sut, z.local, problems[0].location);
    expect(w.x).toBeCloseTo(55, 0);
    expect(w.y).toBeCloseTo(40, 0);
    expect(w.m2).toBeGreaterThan(380);
    expect(w.m2).toBeLessThan(420);
    expect(problems[0].message).toContain('测试古墓');
    expect(expl).toBeDefined();

    const noWhy = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/submit`, { token: t.assessor, body: {} });
    expect(noWhy.status).toBe(422);
    expect(noWhy.body.code).toBe('zoning_justification_required');
    expect(noWhy.body.details.missing).toEqual([problems[0].key]);
    const ok = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/submit`, {
      token: t.assessor, body: { justifications: { [problems[0].key]: '保护范围东侧为现状道路，已纳入勘探区' } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('submitted');
    expect(ok.body.justifications).toEqual({ [problems[0].key]: '保护范围东侧为现状道路，已纳入勘探区' });
    const stored = await sut.db.admin.query(`SELECT justifications, submitted_at FROM zoning_plans WHERE id = $1`, [plan.id]);
    expect(stored.rows[0].justifications[problems[0].key]).toContain('现状道路');

    // a point relic inside the release area is an error located at the relic
    await relic('测试石碑', { type: 'Point', coordinates: z.local.ll(150, 150) }, null);
    const again = await validate(sut, t, plan.id);
    const err = again.find((p) => p.code === 'relic_not_avoided' && p.severity === 'error');
    expect(err.areaIds).toEqual([rel]);
    expect(z.local.toLocal(err.location.coordinates)[0]).toBeCloseTo(150, 1);
  });
});
