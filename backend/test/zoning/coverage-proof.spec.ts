import { proveCoverage, RunSql } from '../../src/modules/zoning/coverage-proof';
import { createTestDatabase, TestDatabase } from '../support/test-db';

/**
 * The edge-chain proof against real PostGIS: which plans it proves (no pairwise search, no overlay of the
 * areas), which areas it suspects, and that what it calls the union of the others is their union.
 */
describe('coverage proof (PostGIS)', () => {
  let db: TestDatabase;
  let sql: RunSql;
  beforeAll(async () => {
    db = await createTestDatabase();
    sql = async (text, params) => (await db.admin.query(text, params)).rows;
  });
  afterAll(() => db.drop());

  /** Areas from WKT in lon/lat degrees, with ids a, b, c, … */
  async function areas(...wkt: string[]): Promise<Array<{ id: string; wkb: Buffer }>> {
    const { rows } = await db.admin.query(`SELECT ST_AsBinary(ST_GeomFromText(w), 'NDR') AS wkb FROM unnest($1::text[]) WITH ORDINALITY u(w, n) ORDER BY n`, [wkt]);
    return rows.map((r: { wkb: Buffer }, i: number) => ({ id: String.fromCharCode(97 + i), wkb: r.wkb }));
  }
  /** A 3 × 3 grid of cells with shared, jittered interior vertices (awkward coordinates, exactly shared). */
  function grid(skip: string[] = []): string[] {
    const x = (i: number, j: number) => 112.8 + i * 0.001 + (i % 3 && j % 3 ? 0.000123456789 * Math.sin(i * 7 + j) : 0);
    const y = (i: number, j: number) => 36.2 + j * 0.001 + (i % 3 && j % 3 ? 0.000098765432 * Math.cos(i + j * 5) : 0);
    const out: string[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      if (skip.includes(`${i},${j}`)) continue;
      const c = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1], [i, j]].map(([a, b]) => `${x(a!, b!)} ${y(a!, b!)}`);
      out.push(`POLYGON((${c.join(',')}))`);
    }
    return out;
  }
  async function equalsUnion(proven: Buffer, of: Array<{ id: string; wkb: Buffer }>): Promise<boolean> {
    const { rows: [r] } = await db.admin.query(
      `SELECT ST_Equals(ST_GeomFromWKB($1), ST_Union(ST_GeomFromWKB(w))) AS same FROM unnest($2::bytea[]) w`,
      [proven, of.map((a) => a.wkb)],
    );
    return r.same;
  }

  it('proves a snapped grid (and one with a cell missing: the gap is a hole of the union) with no suspects', async () => {
    const full = await areas(...grid());
    const proof = await proveCoverage(sql, full);
    expect(proof.suspects).toEqual([]);
    expect(await equalsUnion(proof.proven!, full)).toBe(true);

    const holed = await areas(...grid(['1,1']));
    const p2 = await proveCoverage(sql, holed);
    expect(p2.suspects).toEqual([]);
    const { rows: [r] } = await db.admin.query(`SELECT ST_NumInteriorRings(ST_GeomFromWKB($1)) AS holes`, [p2.proven]);
    expect(r.holes).toBe(1);
  });

  it('suspects an island (not its host: pairs with a suspect are searched), and proves the rest', async () => {
    const cells = grid();
    // an island inside the centre cell (index 4, id 'e'), sharing none of its edges
    const plan = await areas(...cells, 'POLYGON((112.8014 36.2014,112.8016 36.2014,112.8016 36.2016,112.8014 36.2016,112.8014 36.2014))');
    const proof = await proveCoverage(sql, plan);
    expect(proof.suspects).toEqual(['j']);
    const others = plan.filter((a) => !proof.suspects.includes(a.id));
    expect(await equalsUnion(proof.proven!, others)).toBe(true);
  });

  it('suspects a cell grown over its neighbours, and an exact duplicate', async () => {
    const cells = grid();
    const grown = await db.admin.query(`SELECT ST_AsText(ST_Buffer(ST_GeomFromText($1), 0.00002, 'join=mitre')) AS w`, [cells[4]]);
    const plan = await areas(...cells.slice(0, 4), grown.rows[0].w, ...cells.slice(5));
    const proof = await proveCoverage(sql, plan);
    // the grown cell and the four whose edges it crosses; its overlaps with the corner cells are found through
    // the pairs with 'e', which the search covers
    expect(proof.suspects.sort()).toEqual(['b', 'd', 'e', 'f', 'h']);
    const others = plan.filter((a) => !proof.suspects.includes(a.id));
    expect(await equalsUnion(proof.proven!, others)).toBe(true);

    const dup = await areas(...cells, cells[0]!);
    const p2 = await proveCoverage(sql, dup);
    expect(p2.suspects.sort()).toEqual(['a', 'j']);
    expect(await equalsUnion(p2.proven!, dup.filter((a) => a.id !== 'a' && a.id !== 'j'))).toBe(true);
  });

  it('cannot prove areas that meet at a T-junction without a shared vertex, and then suspects every area', async () => {
    const plan = await areas(
      'POLYGON((0 0,1 0,1 1,0 1,0 0))',
      'POLYGON((0 1,1 1,1 2,0 2,0 1))',
      'POLYGON((1 0,2 0,2 2,1 2,1 0))', // its west edge (1 0)–(1 2) has no vertex at (1 1)
    );
    const proof = await proveCoverage(sql, plan);
    expect(proof.proven).toBeNull();
    expect(proof.suspects.sort()).toEqual(['a', 'b', 'c']);
    expect(proof.areaDeg2).toBeCloseTo(4, 12);
  });
});
