import { AppException } from '../../infra/http/app-exception';

export type BBox = [number, number, number, number];

/** `minLon,minLat,maxLon,maxLat` in degrees; absent means "everything in scope". */
export function parseBbox(raw: string | undefined): BBox | null {
  if (raw === undefined || raw === '') return null;
  const parts = raw.split(',').map((s) => Number(s.trim()));
  const [a, b, c, d] = parts;
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)) || a! > c! || b! > d! || a! < -180 || c! > 180 || b! < -90 || d! > 90) {
    throw new AppException('validation_failed', 400, {}, [
      { field: 'bbox', constraint: 'matches', fallback: 'bbox must be minLon,minLat,maxLon,maxLat' },
    ]);
  }
  return [a!, b!, c!, d!];
}
