import { readFileSync } from 'fs';
import { join } from 'path';
import type { Polygon, Position } from 'geojson';
import { bulgePoints, parseDxf } from './dxf.parser';
import { resolveImportLimits } from './import-limits';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../test/fixtures/imports', name));

const shoelace = (ring: Position[]) =>
  Math.abs(ring.slice(1).reduce((s, p, i) => s + ((ring[i] as number[])[0] as number) * (p[1] as number) - (p[0] as number) * ((ring[i] as number[])[1] as number), 0)) / 2;

describe('bulgePoints', () => {
  it('bulge 1 is a counter-clockwise semicircle: (0,0)→(2,0) passes through (1,-1)', () => {
    const pts = bulgePoints({ x: 0, y: 0 }, { x: 2, y: 0 }, 1);
    expect(pts.length).toBe(35); // 180° in 5° steps, without both ends
    for (const [x, y] of pts as Array<[number, number]>) expect(Math.hypot(x - 1, y)).toBeCloseTo(1, 9);
    const middle = pts[17] as [number, number];
    expect(middle[0]).toBeCloseTo(1, 9);
    expect(middle[1]).toBeCloseTo(-1, 9);
  });

  it('a negative bulge bends the other way', () => {
    const middle = bulgePoints({ x: 0, y: 0 }, { x: 2, y: 0 }, -1)[17] as [number, number];
    expect(middle[1]).toBeCloseTo(1, 9);
  });
});

describe('parseDxf (hand-written ARC / CIRCLE / bulged LWPOLYLINE)', () => {
  const sut = parseDxf(fixture('arcs-4547.dxf'), resolveImportLimits());
  const byLayer = (layer: string) => sut.features.find((f) => f.properties.layer === layer);

  it('tessellates a 90° ARC counter-clockwise from 0° to 90° in ≤5° steps', () => {
    const arc = byLayer('探沟');
    expect(arc?.geometry.type).toBe('LineString');
    const coords = (arc?.geometry as { coordinates: number[][] }).coordinates;
    expect(coords).toHaveLength(19);
    expect(coords[0]?.[0]).toBeCloseTo(420100, 6);
    expect(coords[0]?.[1]).toBeCloseTo(4008500, 6);
    expect(coords[18]?.[0]).toBeCloseTo(420000, 6);
    expect(coords[18]?.[1]).toBeCloseTo(4008600, 6);
  });

  it('turns a CIRCLE into a closed polygon of the right area', () => {
    const circle = byLayer('探方')?.geometry as Polygon;
    expect(circle.type).toBe('Polygon');
    const ring = circle.coordinates[0] as Position[];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(shoelace(ring) / (Math.PI * 50 * 50)).toBeGreaterThan(0.997);
  });

  it('follows the bulge of a closed LWPOLYLINE (square + semicircle bulging east)', () => {
    const red = byLayer('红线')?.geometry as Polygon;
    expect(red.type).toBe('Polygon');
    const ring = red.coordinates[0] as Position[];
    expect(Math.max(...ring.map((p) => p[0] as number))).toBeCloseTo(420300, 6);
    const truth = 200 * 200 + (Math.PI * 100 * 100) / 2;
    expect(Math.abs(shoelace(ring) - truth) / truth).toBeLessThan(0.002);
  });

  it('keeps POINTs, names skipped entity types, and carries no CRS', () => {
    expect(byLayer('控制点')?.geometry).toEqual({ type: 'Point', coordinates: [420100, 4009100] });
    expect(sut.warnings).toContainEqual({ code: 'entities_skipped', params: { count: 1, types: 'TEXT × 1' } });
    expect(sut.crs).toEqual({ epsg: null, detectedFrom: null });
  });
});
