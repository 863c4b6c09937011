import DxfParser from 'dxf-parser';
import type { Position } from 'geojson';
import { FeatureCollector } from './feature-collector';
import { malformed } from './import-errors';
import type { ImportLimits } from './import-limits';
import type { ImportWarning, ParsedLayer } from './parsed-layer';
import { decodeText } from './text-decode';

/** Arcs, circles and bulged segments become straight segments of at most this many degrees. */
export const DXF_ARC_STEP_DEGREES = 5;

interface DxfVertex {
  x: number;
  y: number;
  bulge?: number;
}

interface DxfEntity {
  type: string;
  layer?: string;
  handle?: string | number;
  vertices?: DxfVertex[];
  shape?: boolean;
  center?: DxfVertex;
  position?: DxfVertex;
  radius?: number;
  startAngle?: number;
  endAngle?: number;
  is3dPolyfaceMesh?: boolean;
  is3dPolygonMesh?: boolean;
  extrusionDirectionZ?: number;
  extrusionDirection?: { z?: number };
}

/** Points along an arc from `start` sweeping `sweep` radians (positive = counter-clockwise). */
export function tessellateArc(cx: number, cy: number, r: number, start: number, sweep: number, includeStart = true): Position[] {
  const steps = Math.max(1, Math.ceil(Math.abs(sweep) / ((DXF_ARC_STEP_DEGREES * Math.PI) / 180) - 1e-9));
  const out: Position[] = [];
  for (let i = includeStart ? 0 : 1; i <= steps; i++) {
    const a = start + (sweep * i) / steps;
    out.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  return out;
}

/**
 * The points strictly between p1 and p2 on the arc a DXF bulge describes: bulge = tan(θ/4), θ the included
 * angle, positive = counter-clockwise from p1 to p2.
 */
export function bulgePoints(p1: DxfVertex, p2: DxfVertex, bulge: number): Position[] {
  const dx = p2.x - p1.x;
  const dy = p2.y - p1.y;
  const chord = Math.hypot(dx, dy);
  if (Math.abs(bulge) < 1e-9 || chord === 0) return [];
  const theta = 4 * Math.atan(bulge);
  const r = chord / (2 * Math.abs(Math.sin(theta / 2)));
  const toCenter = Math.atan2(dy, dx) + Math.sign(bulge) * (Math.PI / 2) - theta / 2;
  const cx = p1.x + r * Math.cos(toCenter);
  const cy = p1.y + r * Math.sin(toCenter);
  const start = Math.atan2(p1.y - cy, p1.x - cx);
  const pts = tessellateArc(cx, cy, r, start, theta, false);
  pts.pop(); // the end is p2 itself, added exactly by the caller
  return pts;
}

function polylinePositions(vertices: DxfVertex[], closed: boolean): Position[] {
  const out: Position[] = [];
  const n = vertices.length;
  const last = closed ? n : n - 1;
  for (let i = 0; i < n; i++) {
    const v = vertices[i] as DxfVertex;
    out.push([v.x, v.y]);
    if (i < last) {
      const next = vertices[(i + 1) % n] as DxfVertex;
      out.push(...bulgePoints(v, next, v.bulge ?? 0));
    }
  }
  if (closed) out.push([(vertices[0] as DxfVertex).x, (vertices[0] as DxfVertex).y]);
  return out;
}

const samePoint = (a: Position | undefined, b: Position | undefined) =>
  !!a && !!b && Math.abs((a[0] as number) - (b[0] as number)) < 1e-6 && Math.abs((a[1] as number) - (b[1] as number)) < 1e-6;

/** Old DXF writers escape non-ASCII names as \U+XXXX. */
const unescapeDxfText = (s: string) => s.replace(/\\U\+([0-9A-Fa-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

export function parseDxf(buffer: Buffer, limits: ImportLimits): ParsedLayer {
  // AutoCAD 2007+ writes UTF-8 even when $DWGCODEPAGE says ANSI_936, so the bytes decide (GBK if not UTF-8).
  const decoded = decodeText(buffer);
  let entities: DxfEntity[];
  try {
    const dxf = new DxfParser().parseSync(decoded.text);
    if (!dxf) throw new Error('no drawing');
    entities = (dxf.entities ?? []) as unknown as DxfEntity[];
  } catch (error) {
    throw malformed('DXF', error instanceof Error ? error.message : String(error), error);
  }
  const collector = new FeatureCollector(limits);
  const skipped = new Map<string, number>();
  for (const e of entities) {
    const properties: Record<string, unknown> = { layer: unescapeDxfText(String(e.layer ?? '0')), entityType: e.type };
    if (e.handle !== undefined) properties.handle = String(e.handle);
    // An extrusion direction of (0,0,-1) mirrors the entity's own coordinate system (OCS) in X.
    const mirror = (e.extrusionDirectionZ ?? e.extrusionDirection?.z ?? 1) < 0;
    const wcs = (ps: Position[]): Position[] => (mirror ? ps.map((p) => [-(p[0] as number), p[1] as number]) : ps);
    switch (e.type) {
      case 'LWPOLYLINE':
      case 'POLYLINE': {
        if (e.is3dPolyfaceMesh || e.is3dPolygonMesh || !e.vertices) {
          skipped.set(`${e.type} mesh`, (skipped.get(`${e.type} mesh`) ?? 0) + 1);
          break;
        }
        const ps = wcs(polylinePositions(e.vertices, !!e.shape));
        // Red lines are often drawn "closed by snapping" without the closed flag: ends that meet close it.
        const closed = !!e.shape || (ps.length >= 4 && samePoint(ps[0], ps[ps.length - 1]));
        collector.add(closed ? { type: 'Polygon', coordinates: [ps] } : { type: 'LineString', coordinates: ps }, properties);
        break;
      }
      case 'LINE':
        collector.add({ type: 'LineString', coordinates: (e.vertices ?? []).map((v) => [v.x, v.y]) }, properties);
        break;
      case 'POINT':
        if (e.position) collector.add({ type: 'Point', coordinates: [e.position.x, e.position.y] }, properties);
        break;
      case 'CIRCLE':
        if (e.center && e.radius) {
          const ring = wcs(tessellateArc(e.center.x, e.center.y, e.radius, 0, 2 * Math.PI));
          ring[ring.length - 1] = ring[0] as Position;
          collector.add({ type: 'Polygon', coordinates: [ring] }, { ...properties, radius: e.radius });
        }
        break;
      case 'ARC':
        if (e.center && e.radius && e.startAngle !== undefined && e.endAngle !== undefined) {
          let sweep = e.endAngle - e.startAngle; // DXF arcs run counter-clockwise
          if (sweep <= 0) sweep += 2 * Math.PI;
          collector.add(
            { type: 'LineString', coordinates: wcs(tessellateArc(e.center.x, e.center.y, e.radius, e.startAngle, sweep)) },
            { ...properties, radius: e.radius },
          );
        }
        break;
      default:
        skipped.set(e.type, (skipped.get(e.type) ?? 0) + 1);
    }
  }
  const warnings: ImportWarning[] = [];
  if (skipped.size > 0) {
    warnings.push({
      code: 'entities_skipped',
      params: {
        count: [...skipped.values()].reduce((a, b) => a + b, 0),
        types: [...skipped.entries()].map(([t, n]) => `${t} × ${n}`).join(', '),
      },
    });
  }
  return { format: 'dxf', features: collector.features, crs: { epsg: null, detectedFrom: null }, warnings: [...warnings, ...collector.skippedWarnings()] };
}
