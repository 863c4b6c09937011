import { EntityManager } from 'typeorm';
import { proveCoverage } from '../../src/modules/zoning/coverage-proof';
import { ZoningRepository } from '../../src/modules/zoning/zoning.repository';
import { ZoningValidationRepository } from '../../src/modules/zoning/zoning-validation.repository';
import { TestApp, createTestApp } from '../support/test-app';
import { Local, makeZone } from './zoning-fixtures';

/**
 * ZoningRepository.insertAreaCarved (the preserve_in_situ revision): a disc carved out of an irregular
 * tessellation with awkward coordinates. Whatever the disc hits — a shared vertex, the zone's corner, whole
 * cells — the result is proven a coverage from its edges and the validator finds no overlap and no gap.
 */
describe('carving an area out of a plan (PostGIS)', () => {
  let sut: TestApp;
  let zoning: ZoningRepository;
  let validation: ZoningValidationRepository;
  let zone: { id: string; local: Local };
  let basePlan: string;
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const N = 5; // 5 × 5 cells of 40 m in the 200 m zone
  /** interior grid vertices jittered by up to ~4 m, boundary vertices on the zone's edges */
  const vertex = (i: number, j: number): [number, number] => {
    const inner = i % N !== 0 && j % N !== 0;
    return zone.local.ll(i * 40 + (inner ? 4.123456789 * Math.sin(i * 7 + j) : 0), j * 40 + (inner ? 3.987654321 * Math.cos(i + j * 5) : 0));
  };

  beforeAll(async () => {
    sut = await createTestApp();
    zoning = sut.app.get(ZoningRepository);
    validation = sut.app.get(ZoningValidationRepository);
    zone = await makeZone(sut);
    basePlan = (await q(`INSERT INTO zoning_plans (zone_id, version) VALUES ($1, 1) RETURNING id`, [zone.id]))[0]!.id;
    const cells: string[] = [];
    const categories: string[] = [];
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      // edges split at the zone boundary's vertices only: neighbours share every vertex
      const ring = [vertex(i, j), vertex(i + 1, j), vertex(i + 1, j + 1), vertex(i, j + 1), vertex(i, j)];
      cells.push(JSON.stringify({ type: 'Polygon', coordinates: [ring] }));
      categories.push(['release', 'exploration', 'avoidance'][(i + j) % 3]!);
    }
    await q(
      `INSERT INTO zoning_areas (plan_id, category, geom, label)
       SELECT $1, c, ST_SetSRID(ST_GeomFromGeoJSON(g), 4490), 'cell-' || n FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(g, c, n)`,
      [basePlan, cells, categories],
    );
    const problems = await validation.validate(sut.dataSource.manager, basePlan, zone.id, { toleranceM2: 0.5, sliverM2: 10 });
    expect(problems).toEqual([]);
  });
  afterAll(() => sut.close());

  const cases: Array<[string, [number, number], number]> = [
    ['on a shared interior vertex', [80, 80], 30],
    ['across several cells, swallowing one', [100, 100], 60],
    ['on the zone’s corner', [0, 0], 50],
    ['just inside an edge, leaving thin remnants', [137, 195], 25],
    ['nearly tangent to a cell edge', [60.5, 20], 19.6],
  ];
  it.each(cases)('a disc %s: proven from the edges, no overlap, no gap, area kept', async (_name, [x, y], radius) => {
    const [{ id: planId }] = await q(`INSERT INTO zoning_plans (zone_id, version) VALUES ($1, (SELECT max(version) + 1 FROM zoning_plans WHERE zone_id = $1)) RETURNING id`, [zone.id]);
    const [lon, lat] = zone.local.ll(x, y);
    const [{ disc }] = await q(
      `SELECT ST_AsGeoJSON(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 4490)::geography, $3, 'quad_segs=16')::geometry, 9, 0)::json AS disc`,
      [lon, lat, radius],
    );
    const carved = await sut.dataSource.transaction(async (m) => {
      await zoning.copyAreas(m, basePlan, planId);
      return zoning.insertAreaCarved(m, planId, zone.id, { category: 'avoidance', region: disc, rationale: null, label: 'disc' }, 0.5);
    });
    expect(carved).not.toBeNull();

    const problems = await validation.validate(sut.dataSource.manager, planId, zone.id, { toleranceM2: 0.5, sliverM2: 10 });
    expect(problems.filter((p) => p.code !== 'sliver')).toEqual([]);
    const areas = await q<{ id: string; wkb: Buffer; valid: boolean }>(
      `SELECT id, ST_AsBinary(geom, 'NDR') AS wkb, ST_IsValid(geom) AS valid FROM zoning_areas WHERE plan_id = $1`, [planId]);
    expect(areas.every((a) => a.valid)).toBe(true);
    const proof = await proveCoverage(async (sql, params) => (await sut.db.admin.query(sql, params)).rows, areas);
    expect(proof.suspects).toEqual([]);
    // every vertex is one the plan or the zone had, bit for bit, or a new one on the storage grid
    const [{ stray }] = await q(
      `WITH known AS (SELECT DISTINCT ST_X(d.geom) AS x, ST_Y(d.geom) AS y
                        FROM (SELECT geom FROM zoning_areas WHERE plan_id = $2 UNION ALL SELECT boundary FROM zones WHERE id = $3) s, ST_DumpPoints(s.geom) d)
       SELECT count(*)::int AS stray FROM zoning_areas a, ST_DumpPoints(a.geom) d
        WHERE a.plan_id = $1 AND NOT EXISTS (SELECT 1 FROM known k WHERE k.x = ST_X(d.geom) AND k.y = ST_Y(d.geom))
          AND NOT ST_Equals(d.geom, ST_SnapToGrid(d.geom, 1e-9))`,
      [planId, basePlan, zone.id],
    );
    expect(stray).toBe(0);

    const [t] = await q(
      `SELECT (SELECT sum(ST_Area(geom::geography)) FROM zoning_areas WHERE plan_id = $1) AS after,
              (SELECT sum(ST_Area(geom::geography)) FROM zoning_areas WHERE plan_id = $2) AS before,
              (SELECT ST_Area(ST_Intersection(ST_SetSRID(ST_GeomFromGeoJSON($3), 4490), z.boundary)::geography) FROM zones z WHERE z.id = $4) AS clipped,
              (SELECT ST_Area(geom::geography) FROM zoning_areas WHERE id = $5) AS avoidance`,
      [planId, basePlan, JSON.stringify(disc), zone.id, carved!.areaId],
    );
    expect(Math.abs(Number(t.after) - Number(t.before))).toBeLessThan(1);
    expect(Math.abs(Number(t.avoidance) - Number(t.clipped))).toBeLessThan(1);
    // the audit figures: what the cut areas lost is the new area (less the dropped specks)
    const lost = carved!.cut.reduce((s, c) => s + c.cutM2, 0);
    expect(Math.abs(lost - carved!.m2)).toBeLessThan(1 + 0.5 * carved!.cut.length);
  });

  it('an area the disc covers entirely is removed, with its evidence links', async () => {
    const [{ id: planId }] = await q(`INSERT INTO zoning_plans (zone_id, version) VALUES ($1, (SELECT max(version) + 1 FROM zoning_plans WHERE zone_id = $1)) RETURNING id`, [zone.id]);
    const [lon, lat] = zone.local.ll(100, 100);
    const [{ disc }] = await q(`SELECT ST_AsGeoJSON(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 4490)::geography, 60, 'quad_segs=16')::geometry, 9, 0)::json AS disc`, [lon, lat]);
    const carved = await sut.dataSource.transaction(async (m) => {
      await zoning.copyAreas(m, basePlan, planId);
      return zoning.insertAreaCarved(m, planId, zone.id, { category: 'avoidance', region: disc, rationale: null, label: null }, 0.5);
    });
    const removed = carved!.cut.filter((c) => c.removed);
    expect(removed).toHaveLength(1);
    expect(removed[0]!.parts).toEqual([]);
    expect(removed[0]!.cutM2).toBeCloseTo(removed[0]!.beforeM2, 0);
    expect(await q(`SELECT 1 FROM zoning_areas WHERE id = $1`, [removed[0]!.areaId])).toEqual([]);
  });
  it('when PostGIS cannot carve, the area goes in uncarved and the caller’s transaction carries on', async () => {
    const [{ id: planId }] = await q(`INSERT INTO zoning_plans (zone_id, version) VALUES ($1, (SELECT max(version) + 1 FROM zoning_plans WHERE zone_id = $1)) RETURNING id`, [zone.id]);
    const [lon, lat] = zone.local.ll(100, 100);
    const [{ disc }] = await q(`SELECT ST_AsGeoJSON(ST_Buffer(ST_SetSRID(ST_MakePoint($1, $2), 4490)::geography, 30, 'quad_segs=16')::geometry, 9, 0)::json AS disc`, [lon, lat]);
    const carved = await sut.dataSource.transaction(async (m) => {
      await zoning.copyAreas(m, basePlan, planId);
      // the carving statement fails inside PostgreSQL (as a GEOS TopologyException would), aborting to the savepoint
      const failing = new Proxy(m, {
        get: (target, key) => key === 'query'
          ? (sql: string, params?: unknown[]) => (sql.includes('ST_Polygonize') ? target.query('SELECT 1 / 0') : target.query(sql, params))
          : Reflect.get(target, key),
      }) as EntityManager;
      const out = await zoning.insertAreaCarved(failing, planId, zone.id, { category: 'avoidance', region: disc, rationale: null, label: null }, 0.5);
      await m.query(`UPDATE zoning_plans SET updated_at = now() WHERE id = $1`, [planId]);
      return out;
    });
    expect(carved!.carveError).toMatch(/division by zero/);
    expect(carved!.cut).toEqual([]);
    expect(Math.abs(carved!.m2 - Math.PI * 30 ** 2) / (Math.PI * 30 ** 2)).toBeLessThan(0.02);
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM zoning_areas WHERE plan_id = $1`, [planId]);
    expect(n).toBe(N * N + 1);
    const problems = await validation.validate(sut.dataSource.manager, planId, zone.id, { toleranceM2: 0.5, sliverM2: 10 });
    expect(problems.some((p) => p.code === 'overlap')).toBe(true);
  });
});
