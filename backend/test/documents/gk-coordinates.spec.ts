import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/infra/database/data-source';
import { GkPoint, gkCoordinateTables, gkCoordinatesForGeometry } from '../../src/modules/documents/gk-coordinates';
import { TestDatabase, createTestDatabase } from '../support/test-db';
import { StoredZoning, storeTunliuZoning } from './support/fixtures';

/** Twice the signed area in the (easting → right, northing → up) plane: negative means clockwise. */
function signedArea(ring: GkPoint[]): number {
  let s = 0;
  ring.forEach((p, i) => {
    const q = ring[(i + 1) % ring.length]!;
    s += p.y * q.x - q.y * p.x;
  });
  return s;
}

describe('boundary-point coordinates (界址点坐标) in CGCS2000 Gauss–Krüger', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let zoning: StoredZoning;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.config.databaseUrl, { extra: { max: 2 } }));
    await ds.initialize();
    zoning = await storeTunliuZoning(db.admin);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('matches an independent ST_Transform of the stored vertices to EPSG:4526 to the millimetre, X northing and Y with the 38 prefix', async () => {
    const ids = zoning.areas.map((a) => a.id);
    const sut = await gkCoordinateTables(ds.manager, ids);
    expect(sut.map((t) => t.areaId)).toEqual(ids);

    const expected = await db.admin.query<{ id: string; e: number; n: number }>(
      `SELECT a.id, ST_X(d.geom) AS e, ST_Y(d.geom) AS n
       FROM zoning_areas a, LATERAL ST_DumpPoints(ST_Transform(a.geom, 4526)) d
       WHERE a.id = ANY($1) AND d.path[2] < ST_NPoints(ST_ExteriorRing(a.geom))`,
      [ids],
    );
    for (const table of sut) {
      expect(table).toMatchObject({ epsg: 4526, zone: 38, centralMeridian: 114 });
      const points = table.rings.flat();
      const vertices = expected.rows.filter((r) => r.id === table.areaId);
      expect(points).toHaveLength(vertices.length);
      for (const v of vertices) {
        const match = points.find((p) => Math.abs(p.x - v.n) <= 0.0005 + 1e-9 && Math.abs(p.y - v.e) <= 0.0005 + 1e-9);
        expect(match).toBeDefined();
      }
      for (const p of points) {
        expect(p.x).toBeGreaterThan(4_000_000);
        expect(p.x).toBeLessThan(4_100_000);
        expect(String(Math.trunc(p.y))).toMatch(/^38\d{6}$/);
        expect(Math.round(p.x * 1000) / 1000).toBe(p.x); // printed to 3 decimals
      }
    }
  });

  it('numbers J1, J2 … clockwise from the north-west-most vertex, without repeating the first point', async () => {
    const [avoidance] = await gkCoordinateTables(ds.manager, [zoning.areas[0]!.id]);
    const ring = avoidance!.rings[0]!;
    expect(ring.map((p) => p.no)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(signedArea(ring)).toBeLessThan(0);
    // J1 is the vertex nearest to the north-west corner of the ring's X/Y box (grid convergence tilts the
    // meridians west of 114°E, so that is not simply the smallest Y): here the corner (112.87°E, 36.335°N)
    const maxX = Math.max(...ring.map((p) => p.x));
    const minY = Math.min(...ring.map((p) => p.y));
    const d = (p: GkPoint) => Math.hypot(maxX - p.x, p.y - minY);
    expect(Math.min(...ring.map(d))).toBe(d(ring[0]!));
    const [nw] = (await ds.query(`SELECT ST_Y(p) AS n, ST_X(p) AS e FROM ST_Transform(ST_SetSRID(ST_MakePoint(112.87, 36.335), 4490), 4526) p`)) as Array<{ n: number; e: number }>;
    expect(ring[0]!.x).toBeCloseTo(nw!.n, 3);
    expect(ring[0]!.y).toBeCloseTo(nw!.e, 3);
    // clockwise from the NW corner the next vertex lies east along the north edge (the same-ish northing)
    expect(ring[1]!.y).toBeGreaterThan(ring[0]!.y);
    expect(Math.abs(ring[1]!.x - ring[0]!.x)).toBeLessThan(30);
  });

  it('lists holes counter-clockwise after the exterior ring, numbering on, for a geometry given directly', async () => {
    const sut = await gkCoordinatesForGeometry(ds.manager, {
      type: 'Polygon',
      coordinates: [
        // drawn counter-clockwise on purpose: the table is clockwise whatever the drawing direction
        [[112.88, 36.31], [112.9, 36.31], [112.9, 36.33], [112.88, 36.33], [112.88, 36.31]],
        [[112.885, 36.315], [112.886, 36.315], [112.886, 36.316], [112.885, 36.316], [112.885, 36.315]],
      ],
    });
    expect(sut).toMatchObject({ zone: 38, epsg: 4526 });
    expect(sut.rings.map((r) => r.map((p) => p.no))).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(signedArea(sut.rings[0]!)).toBeLessThan(0);
    expect(signedArea(sut.rings[1]!)).toBeGreaterThan(0);
    const [check] = (await ds.query(`SELECT ST_Y(p) AS n, ST_X(p) AS e FROM ST_Transform(ST_SetSRID(ST_MakePoint(112.88, 36.33), 4490), 4526) p`)) as Array<{ n: number; e: number }>;
    expect(sut.rings[0]![0]!.x).toBeCloseTo(check!.n, 3);
    expect(sut.rings[0]![0]!.y).toBeCloseTo(check!.e, 3);
  });

  it('uses the given zone longitude so a whole opinion stays in one zone', async () => {
    const sut = await gkCoordinatesForGeometry(ds.manager, { type: 'Polygon', coordinates: [[[112.4, 36.3], [112.45, 36.3], [112.45, 36.32], [112.4, 36.3]]] }, 112.89);
    expect(sut.zone).toBe(38);
    expect(String(Math.trunc(sut.rings[0]![0]!.y))).toMatch(/^38/);
    const own = await gkCoordinatesForGeometry(ds.manager, { type: 'Polygon', coordinates: [[[112.4, 36.3], [112.45, 36.3], [112.45, 36.32], [112.4, 36.3]]] });
    expect(own.zone).toBe(37);
    expect(String(Math.trunc(own.rings[0]![0]!.y))).toMatch(/^37/);
  });

  it('leaves unknown area ids out', async () => {
    expect(await gkCoordinateTables(ds.manager, ['00000000-0000-4000-8000-000000000000'])).toEqual([]);
    expect(await gkCoordinateTables(ds.manager, [])).toEqual([]);
  });
});
