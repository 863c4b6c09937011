import type { Geometry, Position } from 'geojson';

export function countVertices(geometry: Geometry): number {
  switch (geometry.type) {
    case 'Point':
      return 1;
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates.length;
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.reduce((n, part) => n + part.length, 0);
    case 'MultiPolygon':
      return geometry.coordinates.reduce((n, poly) => n + poly.reduce((m, ring) => m + ring.length, 0), 0);
    case 'GeometryCollection':
      return geometry.geometries.reduce((n, g) => n + countVertices(g), 0);
  }
}

export function mapPositions(geometry: Geometry, fn: (p: Position) => Position): Geometry {
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: fn(geometry.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: geometry.coordinates.map(fn) };
    case 'LineString':
      return { type: 'LineString', coordinates: geometry.coordinates.map(fn) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: geometry.coordinates.map((l) => l.map(fn)) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(fn)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(fn))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((g) => mapPositions(g, fn)) };
  }
}

export function* positionsOf(geometry: Geometry): Generator<Position> {
  switch (geometry.type) {
    case 'Point':
      yield geometry.coordinates;
      return;
    case 'MultiPoint':
    case 'LineString':
      yield* geometry.coordinates;
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const part of geometry.coordinates) yield* part;
      return;
    case 'MultiPolygon':
      for (const poly of geometry.coordinates) for (const ring of poly) yield* ring;
      return;
    case 'GeometryCollection':
      for (const g of geometry.geometries) yield* positionsOf(g);
      return;
  }
}

export const swapPosition = (p: Position): Position => [p[1] as number, p[0] as number, ...p.slice(2)];

const isPosition = (p: unknown): p is Position =>
  Array.isArray(p) && p.length >= 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v));

const samePosition = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/**
 * Checks what PostGIS would otherwise reject for the whole batch (ST_GeomFromGeoJSON fails on a 2-point
 * ring), so one broken feature is skipped with a reason instead of failing the file. Unclosed rings are
 * closed (KML and hand-made GeoJSON often forget the closing vertex).
 * Returns the cleaned geometry, or a reason string.
 */
export function normalizeGeometry(input: unknown): Geometry | string {
  if (!input || typeof input !== 'object') return 'no geometry';
  const g = input as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  const ring = (r: unknown): Position[] | string => {
    if (!Array.isArray(r) || !r.every(isPosition)) return 'bad coordinates';
    const positions = r.map((p: Position) => p.slice(0, 3));
    if (positions.length > 0 && !samePosition(positions[0] as Position, positions[positions.length - 1] as Position)) {
      positions.push((positions[0] as Position).slice());
    }
    return positions.length >= 4 ? positions : 'polygon ring with fewer than 3 distinct points';
  };
  const line = (l: unknown): Position[] | string => {
    if (!Array.isArray(l) || !l.every(isPosition)) return 'bad coordinates';
    return l.length >= 2 ? l.map((p: Position) => p.slice(0, 3)) : 'line with fewer than 2 points';
  };
  const all = <T>(items: unknown, fn: (x: unknown) => T | string): T[] | string => {
    if (!Array.isArray(items) || items.length === 0) return 'empty geometry';
    const out: T[] = [];
    for (const item of items) {
      const r = fn(item);
      if (typeof r === 'string') return r;
      out.push(r);
    }
    return out;
  };
  const wrap = <T>(r: T | string, make: (x: T) => Geometry): Geometry | string => (typeof r === 'string' ? r : make(r));
  switch (g.type) {
    case 'Point':
      return isPosition(g.coordinates) ? { type: 'Point', coordinates: g.coordinates.slice(0, 3) } : 'bad coordinates';
    case 'MultiPoint':
      return wrap(all(g.coordinates, (p) => (isPosition(p) ? p.slice(0, 3) : 'bad coordinates')), (c) => ({ type: 'MultiPoint', coordinates: c }));
    case 'LineString':
      return wrap(line(g.coordinates), (c) => ({ type: 'LineString', coordinates: c }));
    case 'MultiLineString':
      return wrap(all(g.coordinates, line), (c) => ({ type: 'MultiLineString', coordinates: c }));
    case 'Polygon':
      return wrap(all(g.coordinates, ring), (c) => ({ type: 'Polygon', coordinates: c }));
    case 'MultiPolygon':
      return wrap(all(g.coordinates, (p) => all(p, ring)), (c) => ({ type: 'MultiPolygon', coordinates: c }));
    case 'GeometryCollection':
      return wrap(all(g.geometries, (x) => normalizeGeometry(x)), (c) => ({ type: 'GeometryCollection', geometries: c }));
    default:
      return `unknown geometry type ${String(g.type)}`;
  }
}
