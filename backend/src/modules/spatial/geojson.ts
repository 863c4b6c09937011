import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

export type GeoJsonGeometryType = 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon';

export interface GeoJsonGeometry {
  type: GeoJsonGeometryType;
  coordinates: unknown;
}

function isPosition(v: unknown): boolean {
  return Array.isArray(v) && (v.length === 2 || v.length === 3) && v.every((n) => typeof n === 'number' && Number.isFinite(n));
}
function depthOk(v: unknown, depth: number): boolean {
  if (depth === 0) return isPosition(v);
  return Array.isArray(v) && v.length > 0 && v.every((c) => depthOk(c, depth - 1));
}
const DEPTH: Record<GeoJsonGeometryType, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** Structural check only (types and nesting); validity (self-intersection …) is PostGIS's job. */
export function isGeoJsonGeometry(v: unknown, types: GeoJsonGeometryType[]): v is GeoJsonGeometry {
  if (!v || typeof v !== 'object') return false;
  const g = v as { type?: unknown; coordinates?: unknown };
  return typeof g.type === 'string' && (types as string[]).includes(g.type) && depthOk(g.coordinates, DEPTH[g.type as GeoJsonGeometryType]);
}

export function IsGeoJsonGeometry(types: GeoJsonGeometryType[], options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isGeoJsonGeometry',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: types,
      options: { ...options, context: { types: types.join(' / ') } },
      validator: {
        validate: (value: unknown) => isGeoJsonGeometry(value, types),
        defaultMessage: (args: ValidationArguments) => `${args.property} must be a GeoJSON ${types.join(' or ')}`,
      },
    });
  };
}

export const M2_PER_MU = 10000 / 15;
export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
export function areaFigures(m2: number): { areaM2: number; areaMu: number; areaHa: number } {
  return { areaM2: round(m2, 1), areaMu: round(m2 / M2_PER_MU, 2), areaHa: round(m2 / 10000, 4) };
}
