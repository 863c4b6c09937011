/**
 * Edge-chain bookkeeping that proves a set of polygons is an exact coverage (no overlaps), without an
 * overlay of the polygons themselves.
 *
 * Every ring is walked in the polygon's positive sense (shell counter-clockwise, holes clockwise) and its
 * directed segments are added to a chain in which a segment a→b cancels a b→a already there. What stays,
 * R, is the boundary of the 2-chain ΣPᵢ (the sum of the polygons' indicator functions). If a valid polygon
 * U, oriented the same way, has exactly R as its boundary, then ΣPᵢ − U is a 2-chain without boundary,
 * hence zero: every point lies in exactly one polygon if it lies in U and in none otherwise. The polygons
 * then do not overlap anywhere and U is their union. Snapped drawings share their edges vertex for vertex,
 * so for them R is only the outline (a few per cent of the segments) and U is cheap to build from it; a
 * plan for which the proof fails is checked the exact, slow way.
 *
 * Coordinates are compared bit for bit (they come from WKB); repeated vertices are skipped.
 */

/** A ring as interleaved x, y, closed (the last vertex repeats the first). */
export type Ring = Float64Array;

/** The rings of a WKB Polygon or MultiPolygon (2D, either byte order), each polygon's shell first. */
export function polygonsFromWkb(wkb: Uint8Array): Ring[][] {
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  let at = 0;
  const out: Ring[][] = [];
  const header = (): { le: boolean; type: number } => {
    const le = view.getUint8(at) === 1;
    const type = view.getUint32(at + 1, le);
    at += 5;
    if (type & 0xe0000000 || type > 1000) throw new Error(`unsupported WKB geometry type ${type} (2D only)`);
    return { le, type };
  };
  const polygon = (le: boolean): void => {
    const rings: Ring[] = [];
    const n = view.getUint32(at, le);
    at += 4;
    for (let r = 0; r < n; r++) {
      const points = view.getUint32(at, le);
      at += 4;
      const ring = new Float64Array(points * 2);
      for (let i = 0; i < points * 2; i++, at += 8) ring[i] = view.getFloat64(at, le);
      rings.push(ring);
    }
    if (rings.length) out.push(rings);
  };
  const { le, type } = header();
  if (type === 3) polygon(le);
  else if (type === 6 || type === 7) {
    const n = view.getUint32(at, le);
    at += 4;
    for (let i = 0; i < n; i++) {
      const h = header();
      if (h.type === 3) polygon(h.le);
      else throw new Error(`unsupported WKB member type ${h.type}`);
    }
  } else throw new Error(`unsupported WKB geometry type ${type}`);
  return out;
}

/** Twice the signed planar area of a ring (positive when counter-clockwise). */
export function ringArea2(ring: Ring): number {
  let s = 0;
  for (let i = 0; i + 3 < ring.length; i += 2) s += ring[i]! * ring[i + 3]! - ring[i + 2]! * ring[i + 1]!;
  return s;
}

/** Planar area (in the coordinates' units²) of a polygon given as rings, shell first. */
export function polygonArea(rings: Ring[]): number {
  return rings.reduce((s, r, i) => s + (i === 0 ? 1 : -1) * Math.abs(ringArea2(r)) / 2, 0);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
function mix(h: number, v: number): number {
  f64[0] = v === 0 ? 0 : v; // −0 and +0 are the same coordinate
  h = Math.imul(h ^ u32[0]!, 0x9e3779b1);
  h = Math.imul(h ^ u32[1]!, 0x85ebca77);
  return h ^ (h >>> 15);
}
function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return h ^ (h >>> 13);
}

const EMPTY = -0x80000000;

/**
 * The chain: a signed count per undirected segment (its vertices in canonical order, + when the segment
 * runs that way), so a→b and b→a meet in one slot and cancel. Open addressing over typed arrays, grown as it
 * fills: a plan of 2,000 areas × 200 vertices is 400,000 segments, of which a snapped plan holds about half
 * as slots (each shared edge once).
 */
export class SegmentChain {
  private keys: Float64Array;
  /** per slot: the signed count (EMPTY when the slot was never used) and the owner */
  private meta: Int32Array;
  private mask: number;
  private occupied = 0;

  constructor(expectedSegments = 1024) {
    let size = 64;
    while (size < expectedSegments) size *= 2;
    this.mask = size - 1;
    this.keys = new Float64Array(size * 4);
    this.meta = new Int32Array(size * 2).fill(EMPTY);
  }

  private get size(): number {
    return this.mask + 1;
  }

  private find(x1: number, y1: number, x2: number, y2: number): number {
    let i = finish(mix(mix(mix(mix(0x811c9dc5, x1), y1), x2), y2)) & this.mask;
    const keys = this.keys;
    for (;;) {
      if (this.meta[2 * i] === EMPTY) return ~i;
      const k = i * 4;
      if (keys[k] === x1 && keys[k + 1] === y1 && keys[k + 2] === x2 && keys[k + 3] === y2) return i;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const { keys, meta } = this;
    const old = this.size;
    this.mask = old * 2 - 1;
    this.keys = new Float64Array(old * 2 * 4);
    this.meta = new Int32Array(old * 2 * 2).fill(EMPTY);
    this.occupied = 0;
    for (let i = 0; i < old; i++) {
      const c = meta[2 * i]!;
      if (c === EMPTY || c === 0) continue; // a cancelled segment is as good as absent
      const k = i * 4;
      const s = this.claim(keys[k]!, keys[k + 1]!, keys[k + 2]!, keys[k + 3]!);
      this.meta[2 * s] = c;
      this.meta[2 * s + 1] = meta[2 * i + 1]!;
    }
  }

  private claim(x1: number, y1: number, x2: number, y2: number): number {
    let s = this.find(x1, y1, x2, y2);
    if (s >= 0) return s;
    s = ~s;
    this.meta[2 * s] = 0;
    this.occupied++;
    const k = s * 4;
    this.keys[k] = x1; this.keys[k + 1] = y1; this.keys[k + 2] = x2; this.keys[k + 3] = y2;
    return s;
  }

  /** Adds a→b (cancelling a b→a). `owner` is remembered for a segment that comes to stay. */
  addSegment(x1: number, y1: number, x2: number, y2: number, owner: number): void {
    if (this.occupied * 2 >= this.size) this.grow();
    const forward = x1 < x2 || (x1 === x2 && y1 < y2);
    const s = forward ? this.claim(x1, y1, x2, y2) : this.claim(x2, y2, x1, y1);
    const before = this.meta[2 * s]!;
    this.meta[2 * s] = before + (forward ? 1 : -1);
    if (before === 0) this.meta[2 * s + 1] = owner;
  }

  /** Adds a polygon's rings in its positive sense (or the opposite sense with `negate`, to subtract it). */
  addPolygon(rings: Ring[], owner: number, negate = false): void {
    rings.forEach((ring, r) => {
      const ccw = ringArea2(ring) > 0;
      const forward = (r === 0 ? ccw : !ccw) !== negate;
      const n = ring.length / 2;
      for (let i = 0; i + 1 < n; i++) {
        const a = forward ? i : n - 1 - i;
        const b = forward ? i + 1 : n - 2 - i;
        const x1 = ring[2 * a]!, y1 = ring[2 * a + 1]!, x2 = ring[2 * b]!, y2 = ring[2 * b + 1]!;
        if (x1 === x2 && y1 === y2) continue;
        this.addSegment(x1, y1, x2, y2, owner);
      }
    });
  }

  /** Slots holding a segment that has not cancelled, with its signed count. */
  private *standing(): Generator<[number, number]> {
    for (let i = 0; i < this.size; i++) {
      const c = this.meta[2 * i]!;
      if (c !== EMPTY && c !== 0) yield [i, c];
    }
  }

  /**
   * The segments left over: x1, y1, x2, y2 per segment, and the owner of each. `simple` is false when a
   * directed segment is left more than once (two polygons on the same side of one edge: an overlap).
   */
  remainder(): { segments: Float64Array; owners: Int32Array; simple: boolean } {
    let n = 0;
    let simple = true;
    for (const [, c] of this.standing()) {
      n += Math.abs(c);
      if (Math.abs(c) > 1) simple = false;
    }
    const segments = new Float64Array(n * 4);
    const owners = new Int32Array(n);
    let j = 0;
    const keys = this.keys;
    for (const [i, c] of this.standing()) {
      const k = i * 4;
      for (let r = Math.abs(c); r > 0; r--, j++) {
        if (c > 0) segments.set(keys.subarray(k, k + 4), j * 4);
        else segments.set([keys[k + 2]!, keys[k + 3]!, keys[k]!, keys[k + 1]!], j * 4);
        owners[j] = this.meta[2 * i + 1]!;
      }
    }
    return { segments, owners, simple };
  }

  /** True when every segment has cancelled out. */
  isEmpty(): boolean {
    return this.standing().next().done === true;
  }
}

/** Dense ids for points (x, y compared bit for bit). */
class PointIds {
  private keys: Float64Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected: number) {
    let size = 64;
    while (size < expected * 2) size *= 2;
    this.mask = size - 1;
    this.keys = new Float64Array(size * 2);
    this.ids = new Int32Array(size).fill(-1);
  }

  id(x: number, y: number): number {
    let i = finish(mix(mix(0x811c9dc5, x), y)) & this.mask;
    for (;;) {
      const id = this.ids[i]!;
      if (id < 0) {
        this.keys[2 * i] = x;
        this.keys[2 * i + 1] = y;
        this.ids[i] = this.size;
        return this.size++;
      }
      if (this.keys[2 * i] === x && this.keys[2 * i + 1] === y) return id;
      i = (i + 1) & this.mask;
    }
  }
}

/**
 * Joins directed segments (x1, y1, x2, y2 each) end to start into lines: maximal paths through vertices
 * with one segment in and one out, and closed rings where every vertex is like that. Polygon assembly over a
 * few long lines is much cheaper than over as many two-point lines as there are segments.
 */
export function joinSegments(segments: Float64Array): Float64Array[] {
  const n = segments.length / 4;
  const points = new PointIds(n);
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    from[i] = points.id(segments[4 * i]!, segments[4 * i + 1]!);
    to[i] = points.id(segments[4 * i + 2]!, segments[4 * i + 3]!);
  }
  const out = new Int32Array(points.size).fill(-2); // the one segment leaving a vertex; −1 when several
  const inDegree = new Int32Array(points.size);
  for (let i = 0; i < n; i++) {
    out[from[i]!] = out[from[i]!] === -2 ? i : -1;
    inDegree[to[i]!]!++;
  }
  const isNode = (v: number): boolean => out[v]! < 0 || inDegree[v] !== 1;
  const used = new Uint8Array(n);
  const lines: Float64Array[] = [];
  const walk = (first: number): void => {
    const coords: number[] = [segments[4 * first]!, segments[4 * first + 1]!];
    for (let i = first; ;) {
      used[i] = 1;
      coords.push(segments[4 * i + 2]!, segments[4 * i + 3]!);
      const v = to[i]!;
      if (isNode(v) || used[out[v]!]) break; // a node, or back at the start of a ring
      i = out[v]!;
    }
    lines.push(Float64Array.from(coords));
  };
  for (let i = 0; i < n; i++) if (!used[i] && isNode(from[i]!)) walk(i);
  for (let i = 0; i < n; i++) if (!used[i]) walk(i);
  return lines;
}

/** Lines as a WKB MultiLineString (little endian, no SRID), for PostGIS to assemble. */
export function linesToWkb(lines: Float64Array[]): Buffer {
  const size = lines.reduce((s, l) => s + 9 + l.length * 8, 9);
  const buf = Buffer.alloc(size);
  buf.writeUInt8(1, 0);
  buf.writeUInt32LE(5, 1);
  buf.writeUInt32LE(lines.length, 5);
  let at = 9;
  for (const line of lines) {
    buf.writeUInt8(1, at);
    buf.writeUInt32LE(2, at + 1);
    buf.writeUInt32LE(line.length / 2, at + 5);
    at += 9;
    for (let k = 0; k < line.length; k++, at += 8) buf.writeDoubleLE(line[k]!, at);
  }
  return buf;
}

/** Total number of segments of the polygons (an upper bound for sizing a chain). */
export function segmentCount(polygons: Ring[][]): number {
  let n = 0;
  for (const rings of polygons) for (const r of rings) n += r.length / 2 - 1;
  return n;
}
