import { joinSegments, linesToWkb, polygonArea, polygonsFromWkb, segmentCount, SegmentChain } from './coverage-chain';

/** Runs one SQL statement and answers its rows (an EntityManager's `query`, or a pool's rows). */
export type RunSql = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

export interface CoverageProof {
  /** the union of the areas that are not suspects, proven to be a coverage (WKB), or null */
  proven: Buffer | null;
  /** ids of the areas that may overlap others (every overlap involves one of them) */
  suspects: string[];
  /** Σ area of the areas, planar (degrees²) */
  areaDeg2: number;
}

/**
 * Which of a plan's valid areas may overlap, and the union of the others (see coverage-chain.ts and
 * docs/adr/0002-zoning-validation-edge-chain.md). First the edge-chain proof of the whole plan: the
 * segments that do not cancel are assembled by PostGIS into a polygon U (ST_BuildArea over the outline — a
 * few per cent of the segments) and, when U is valid with exactly those segments as its boundary, no two
 * areas overlap and U is their union (`proven`, no suspects). Otherwise the suspects are the areas owning a
 * leftover segment that U does not explain (all owners of leftovers when no U could be built), and the proof
 * is repeated without them: every overlap then involves a suspect, and `proven` is the union of the others.
 * If the second proof fails too, every area is a suspect (the exact, slow way).
 */
export async function proveCoverage(sql: RunSql, areas: Array<{ id: string; wkb: Buffer }>): Promise<CoverageProof> {
  const polygons = areas.map((a) => polygonsFromWkb(a.wkb)[0] ?? []);
  const areaDeg2 = polygons.reduce((s, p) => s + polygonArea(p), 0);
  if (areas.length === 0) return { proven: null, suspects: [], areaDeg2 };
  const chain = new SegmentChain(segmentCount(polygons));
  polygons.forEach((p, i) => chain.addPolygon(p, i));

  const first = await assemble(sql, chain);
  if (first.proven) return { proven: first.wkb, suspects: [], areaDeg2 };

  // take the suspects out of the chain (and put back the failed assembly) and try the rest
  if (first.wkb) for (const rings of polygonsFromWkb(first.wkb)) chain.addPolygon(rings, -1);
  const suspects = [...first.suspects];
  for (const i of suspects) chain.addPolygon(polygons[i]!, i, true);
  const second = suspects.length < polygons.length ? await assemble(sql, chain) : undefined;
  if (second?.proven) return { proven: second.wkb, suspects: suspects.map((i) => areas[i]!.id), areaDeg2 };
  return { proven: null, suspects: areas.map((a) => a.id), areaDeg2 };
}

/**
 * Assembles the chain's leftover segments into a polygon (ST_BuildArea) and subtracts it from the chain.
 * Proven when the polygon is valid and nothing is left; otherwise the suspects are the owners of what is
 * left (or of every leftover segment, when the assembly used segments the chain did not have or failed).
 */
async function assemble(sql: RunSql, chain: SegmentChain): Promise<{ proven: boolean; wkb: Buffer | null; suspects: Set<number> }> {
  const rest = chain.remainder();
  const everyOwner = new Set(rest.owners);
  if (rest.owners.length === 0) return { proven: false, wkb: null, suspects: everyOwner };
  const [u] = (await sql(
    `SELECT ST_AsBinary(g, 'NDR') AS wkb, ST_IsValid(g) AS valid FROM (SELECT ST_BuildArea(ST_GeomFromWKB($1)) AS g) s`,
    [linesToWkb(joinSegments(rest.segments))],
  )) as [{ wkb: Buffer | null; valid: boolean | null }];
  if (!u.wkb) return { proven: false, wkb: null, suspects: everyOwner };
  for (const rings of polygonsFromWkb(u.wkb)) chain.addPolygon(rings, -1, true);
  const left = chain.remainder();
  if (u.valid && left.owners.length === 0) return { proven: true, wkb: u.wkb, suspects: new Set() };
  const explained = left.owners.length > 0 && !left.owners.includes(-1);
  return { proven: false, wkb: u.wkb, suspects: explained ? new Set(left.owners) : everyOwner };
}
