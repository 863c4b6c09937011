import { createTestApp, TestApp } from '../support/test-app';
import { CoringFixture, GK_SRID, coringTokens, createCoringFixture, gkRectangle } from './coring-fixture';

// the full demo seed (every feature's steps) runs in createTestApp and takes tens of seconds on a busy machine
jest.setTimeout(240_000);

/**
 * Grid planning in the local Gauss–Krüger projection: spacing to the centimetre, points inside the polygon,
 * the quincunx (梅花) definition, codes, replacing planned points and the size limit.
 */
describe('coring grid', () => {
  let sut: TestApp;
  let fx: CoringFixture;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    sut = await createTestApp();
    fx = await createCoringFixture(sut);
    tokens = await coringTokens(sut);
  });
  afterAll(() => sut?.close());

  /** Each grid point of a run: projected coordinates and nearest-neighbour distances, all in EPSG:4547. */
  async function projected(ids: string[]): Promise<Array<{ x: number; y: number; nn: number; nnOtherRow: number | null }>> {
    const rows = await sut.db.admin.query(
      `WITH p AS (SELECT id, ST_Transform(geom, ${GK_SRID}) AS g FROM coring_points WHERE id = ANY($1::uuid[]))
       SELECT ST_X(a.g) AS x, ST_Y(a.g) AS y,
              (SELECT min(ST_Distance(a.g, b.g)) FROM p b WHERE b.id <> a.id) AS nn,
              (SELECT min(ST_Distance(a.g, b.g)) FROM p b WHERE abs(ST_Y(b.g) - ST_Y(a.g)) > 1) AS nn_other_row
         FROM p a`,
      [ids],
    );
    return rows.rows.map((r: any) => ({ x: Number(r.x), y: Number(r.y), nn: Number(r.nn), nnOtherRow: r.nn_other_row === null ? null : Number(r.nn_other_row) }));
  }

  async function gridRun(body: unknown): Promise<{ status: number; body: any; ids: string[] }> {
    const before = await sut.db.admin.query(`SELECT coalesce(max(created_at), 'epoch') AS t, array_agg(id) AS ids FROM coring_points WHERE assessment_id = $1`, [fx.assessmentId]);
    const known = new Set<string>(before.rows[0].ids ?? []);
    const res = await sut.request('POST', `/api/assessments/${fx.assessmentId}/cores/grid`, { token: tokens.assessor, body });
    const after = await sut.db.admin.query(`SELECT id FROM coring_points WHERE assessment_id = $1`, [fx.assessmentId]);
    return { status: res.status, body: res.body, ids: after.rows.map((r: any) => r.id as string).filter((id: string) => !known.has(id)) };
  }

  const S = 25;
  const near = (v: number, target: number): boolean => Math.abs(v - target) < 0.01;
  const modS = (v: number): number => ((v % S) + S) % S;

  it('square: every core is exactly 25 m from its nearest neighbour in EPSG:4547, on the 25 m lattice, and inside the polygon', async () => {
    const x0 = fx.zoneRect.x0 + 500;
    const y0 = fx.zoneRect.y0 + 400;
    const polygon = await gkRectangle(sut, x0, y0, x0 + 600, y0 + 400);
    const run = await gridRun({ polygon, spacingM: S, pattern: 'square' });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ spacingM: 25, pattern: 'square', epsg: 4547, removed: 0 });
    // lattice points strictly inside the rectangle (its corners sit off the lattice)
    const nx = Math.floor((x0 + 600) / S) - Math.ceil(x0 / S) + 1;
    const ny = Math.floor((y0 + 400) / S) - Math.ceil(y0 / S) + 1;
    expect(run.body.created).toBe(nx * ny);
    expect(run.ids).toHaveLength(nx * ny);

    const pts = await projected(run.ids);
    expect(pts.every((p) => near(p.nn, S))).toBe(true);
    expect(pts.every((p) => near(modS(p.x), 0) || near(modS(p.x), S))).toBe(true);
    expect(pts.every((p) => near(modS(p.y), 0) || near(modS(p.y), S))).toBe(true);
    // the nearest core in another row is straight above or below it
    expect(pts.filter((p) => p.nnOtherRow !== null).every((p) => near(p.nnOtherRow!, S))).toBe(true);

    const outside = await sut.db.admin.query(
      `SELECT count(*)::int AS n FROM coring_points c
        WHERE c.id = ANY($1::uuid[])
          AND NOT ST_Intersects(ST_Transform(c.geom, ${GK_SRID}), ST_Buffer(ST_MakeEnvelope($2, $3, $4, $5, ${GK_SRID}), 0.001))`,
      [run.ids, x0, y0, x0 + 600, y0 + 400],
    );
    expect(outside.rows[0].n).toBe(0);

    const codes = await sut.db.admin.query(`SELECT code, status, result FROM coring_points WHERE id = ANY($1::uuid[]) ORDER BY code`, [run.ids]);
    expect(codes.rows[0]).toEqual({ code: 'CORETEST-000001', status: 'planned', result: null });
    expect(codes.rows.at(-1).code).toBe(`CORETEST-${String(nx * ny).padStart(6, '0')}`);
  });

  it('quincunx (梅花): rows 25 m apart, neighbours in a row 25 m apart, every other row shifted by 12.5 m (next-row neighbours at 25·√5/2)', async () => {
    const x0 = fx.zoneRect.x0 + 1500;
    const y0 = fx.zoneRect.y0 + 400;
    const polygon = await gkRectangle(sut, x0, y0, x0 + 600, y0 + 400);
    const run = await gridRun({ polygon, spacingM: S, pattern: 'quincunx' });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ pattern: 'quincunx', epsg: 4547 });
    const pts = await projected(run.ids);
    expect(pts.length).toBeGreaterThan(300);

    expect(pts.every((p) => near(p.nn, S))).toBe(true);
    const rows = [...new Set(pts.map((p) => Math.round(p.y * 100) / 100))].sort((a, b) => a - b);
    expect(rows.length).toBeGreaterThan(10);
    for (let i = 1; i < rows.length; i++) expect(near(rows[i]! - rows[i - 1]!, S)).toBe(true);
    // rows alternate between x on the lattice and x half a spacing off it
    for (const y of rows) {
      const inRow = pts.filter((p) => near(p.y, y));
      const rowIndex = Math.round(y / S);
      const expected = rowIndex % 2 === 0 ? 0 : S / 2;
      expect(inRow.every((p) => near(modS(p.x), expected) || near(modS(p.x), expected + S))).toBe(true);
    }
    const diagonal = (S * Math.sqrt(5)) / 2; // 27.951 m
    const withNextRow = pts.filter((p) => p.nnOtherRow !== null);
    expect(withNextRow.every((p) => near(p.nnOtherRow!, diagonal))).toBe(true);

    const outside = await sut.db.admin.query(
      `SELECT count(*)::int AS n FROM coring_points c
        WHERE c.id = ANY($1::uuid[])
          AND NOT ST_Intersects(ST_Transform(c.geom, ${GK_SRID}), ST_Buffer(ST_MakeEnvelope($2, $3, $4, $5, ${GK_SRID}), 0.001))`,
      [run.ids, x0, y0, x0 + 600, y0 + 400],
    );
    expect(outside.rows[0].n).toBe(0);
  });

  it('replacePlanned swaps the planned points inside the polygon but keeps cored ones', async () => {
    const x0 = fx.zoneRect.x0 + 2500;
    const y0 = fx.zoneRect.y0 + 1500;
    const polygon = await gkRectangle(sut, x0, y0, x0 + 300, y0 + 300);
    const first = await gridRun({ polygon, spacingM: 50, pattern: 'square' });
    expect(first.status).toBe(201);
    await sut.db.admin.query(`UPDATE coring_points SET status = 'cored', result = 'negative' WHERE id = $1`, [first.ids[0]]);
    const second = await gridRun({ polygon, spacingM: 30, pattern: 'quincunx', replacePlanned: true });
    expect(second.status).toBe(201);
    expect(second.body.removed).toBe(first.ids.length - 1);
    const left = await sut.db.admin.query(`SELECT count(*)::int AS n FROM coring_points WHERE id = ANY($1::uuid[])`, [first.ids]);
    expect(left.rows[0].n).toBe(1);
  });

  it('without a polygon the grid covers the zone boundary; over 200,000 points is refused with a message saying so', async () => {
    const tooMany = await sut.request<any>('POST', `/api/assessments/${fx.assessmentId}/cores/grid`, { token: tokens.assessor, body: { spacingM: 5, pattern: 'square' }, lang: 'en' });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.code).toBe('grid_too_many_points');
    expect(tooMany.body.message).toMatch(/200000/);
    const zh = await sut.request<any>('POST', `/api/assessments/${fx.assessmentId}/cores/grid`, { token: tokens.assessor, body: { spacingM: 5, pattern: 'quincunx' } });
    expect(zh.body.message).toContain('超过单次上限');

    const whole = await gridRun({ spacingM: 100, pattern: 'square', replacePlanned: true });
    expect(whole.status).toBe(201);
    // 4 km × 3 km at 100 m: 40 × 30 lattice points (corners off the lattice)
    expect(whole.body.created).toBe(40 * 30);
  });

  it('rejects a spacing outside 5–500 m, an unknown pattern and a self-intersecting polygon', async () => {
    const post = (body: unknown) => sut.request<any>('POST', `/api/assessments/${fx.assessmentId}/cores/grid`, { token: tokens.assessor, body });
    expect((await post({ spacingM: 2, pattern: 'square' })).status).toBe(400);
    expect((await post({ spacingM: 600, pattern: 'square' })).status).toBe(400);
    expect((await post({ spacingM: 25, pattern: 'hex' })).status).toBe(400);
    const bowtie = await post({ spacingM: 25, pattern: 'square', polygon: { type: 'Polygon', coordinates: [[[112.95, 36.36], [112.96, 36.37], [112.96, 36.36], [112.95, 36.37], [112.95, 36.36]]] } });
    expect(bowtie.status).toBe(422);
    expect(bowtie.body.code).toBe('invalid_geometry');
  });

  it('only assessors on the team may generate a grid', async () => {
    const body = { spacingM: 100, pattern: 'square' };
    for (const who of ['admin', 'reviewer', 'authority', 'committee', 'contractor', 'assessor2']) {
      const res = await sut.request<any>('POST', `/api/assessments/${fx.assessmentId}/cores/grid`, { token: tokens[who], body });
      expect([who, res.status]).toEqual([who, 403]);
    }
  });
});
