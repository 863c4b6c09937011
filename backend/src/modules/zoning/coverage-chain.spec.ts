import { joinSegments, linesToWkb, polygonArea, polygonsFromWkb, ringArea2, segmentCount, SegmentChain, Ring } from './coverage-chain';

const ring = (...pts: Array<[number, number]>): Ring => Float64Array.from([...pts, pts[0]!].flat());
const square = (x: number, y: number, s = 1): Ring => ring([x, y], [x + s, y], [x + s, y + s], [x, y + s]);

/** WKB Polygon/MultiPolygon writer for the parser's tests (either byte order). */
function polygonWkb(rings: Ring[], le = true): Buffer {
  const parts: Buffer[] = [];
  const u8 = (v: number) => Buffer.from([v]);
  const u32 = (v: number) => { const b = Buffer.alloc(4); le ? b.writeUInt32LE(v) : b.writeUInt32BE(v); return b; };
  const f64 = (v: number) => { const b = Buffer.alloc(8); le ? b.writeDoubleLE(v) : b.writeDoubleBE(v); return b; };
  parts.push(u8(le ? 1 : 0), u32(3), u32(rings.length));
  for (const r of rings) {
    parts.push(u32(r.length / 2));
    for (const v of r) parts.push(f64(v));
  }
  return Buffer.concat(parts);
}

describe('coverage chain', () => {
  it('reads Polygon and MultiPolygon WKB in both byte orders', () => {
    const shell = square(0, 0, 10);
    const hole = ring([2, 2], [2, 4], [4, 4], [4, 2]);
    expect(polygonsFromWkb(polygonWkb([shell, hole]))).toEqual([[shell, hole]]);
    expect(polygonsFromWkb(polygonWkb([shell], false))).toEqual([[shell]]);
    const multi = Buffer.concat([Buffer.from([1, 6, 0, 0, 0, 2, 0, 0, 0]), polygonWkb([shell], false), polygonWkb([square(20, 0)])]);
    expect(polygonsFromWkb(multi)).toEqual([[shell], [square(20, 0)]]);
    expect(() => polygonsFromWkb(Buffer.from([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/type 1/);
  });

  it('measures rings and polygons with holes', () => {
    expect(ringArea2(square(0, 0, 2))).toBe(8);
    expect(ringArea2(ring([0, 0], [0, 2], [2, 2], [2, 0]))).toBe(-8);
    expect(polygonArea([square(0, 0, 10), square(2, 2, 2)])).toBe(96);
  });

  it('cancels the edge two squares share, whichever way each is drawn, leaving the outline', () => {
    const chain = new SegmentChain(4);
    chain.addPolygon([square(0, 0)], 0);
    chain.addPolygon([ring([1, 0], [1, 1], [2, 1], [2, 0])], 1); // clockwise
    const rest = chain.remainder();
    expect(rest.simple).toBe(true);
    expect(rest.owners).toHaveLength(6);
    // the union, subtracted, leaves nothing
    chain.addPolygon([ring([0, 0], [1, 0], [2, 0], [2, 1], [1, 1], [0, 1])], -1, true);
    expect(chain.isEmpty()).toBe(true);
  });

  it('keeps what overlaps: a duplicate leaves its edges twice, an island leaves its own ring', () => {
    const dup = new SegmentChain();
    dup.addPolygon([square(0, 0)], 0);
    dup.addPolygon([square(0, 0)], 1);
    expect(dup.remainder().simple).toBe(false);

    const island = new SegmentChain();
    island.addPolygon([square(0, 0, 10)], 0);
    island.addPolygon([square(4, 4)], 1);
    const rest = island.remainder();
    expect(rest.simple).toBe(true);
    expect([...rest.owners].sort()).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    // the outer square alone does not explain the leftovers: the island's ring stays, owned by the island
    island.addPolygon([square(0, 0, 10)], -1, true);
    expect([...island.remainder().owners]).toEqual([1, 1, 1, 1]);
  });

  it('a hole filled by an island cancels exactly; repeated vertices are ignored', () => {
    const chain = new SegmentChain();
    chain.addPolygon([square(0, 0, 10), square(4, 4)], 0);
    chain.addPolygon([ring([4, 4], [5, 4], [5, 4], [5, 5], [4, 5])], 1);
    chain.addPolygon([square(0, 0, 10)], -1, true);
    expect(chain.isEmpty()).toBe(true);
  });

  it('grows past its first size: a 100 × 100 grid of snapped cells leaves only the outline', () => {
    const cells: Ring[][] = [];
    const at = (k: number) => 112 + k * 0.001; // one computation per grid line: neighbours share it bit for bit
    for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) cells.push([ring([at(i), at(j)], [at(i + 1), at(j)], [at(i + 1), at(j + 1)], [at(i), at(j + 1)])]);
    const chain = new SegmentChain(16);
    cells.forEach((c, i) => chain.addPolygon(c, i));
    expect(segmentCount(cells)).toBe(40000);
    const rest = chain.remainder();
    expect(rest.simple).toBe(true);
    expect(rest.owners).toHaveLength(400);
  });

  it('joins leftover segments into lines through simple vertices and rings, and writes them as WKB', () => {
    // an outline ring of two squares (six segments, unordered) and a bow-tie-like pair meeting at a node (5, 5)
    const seg = (...c: number[]) => c;
    const ringSegments = [seg(1, 0, 2, 0), seg(0, 0, 1, 0), seg(2, 1, 1, 1), seg(2, 0, 2, 1), seg(0, 1, 0, 0), seg(1, 1, 0, 1)];
    const node = [seg(5, 5, 6, 5), seg(6, 5, 6, 6), seg(6, 6, 5, 5), seg(5, 5, 4, 5), seg(4, 5, 4, 4), seg(4, 4, 5, 5)];
    const lines = joinSegments(Float64Array.from([...ringSegments, ...node].flat()));
    expect(lines.map((l) => l.length / 2).sort()).toEqual([4, 4, 7]);
    for (const l of lines) expect([l[0], l[1]]).toEqual([l[l.length - 2], l[l.length - 1]]);
    // the two loops through the node start and end there; every input segment is used once, in its direction
    expect(lines.filter((l) => l.length === 8).map((l) => [l[0], l[1]])).toEqual([[5, 5], [5, 5]]);
    const used = lines.flatMap((l) => Array.from({ length: l.length / 2 - 1 }, (_, i) => [...l.subarray(2 * i, 2 * i + 4)].join(',')));
    expect(used.sort()).toEqual([...ringSegments, ...node].map((c) => c.join(',')).sort());
    const wkb = linesToWkb(lines);
    expect(wkb.readUInt32LE(1)).toBe(5);
    expect(wkb.readUInt32LE(5)).toBe(3);
    expect(wkb).toHaveLength(9 + lines.reduce((s, l) => s + 9 + l.length * 8, 0));
  });
});
