import type { Extent } from 'ol/extent';
import { transformExtent } from 'ol/proj';

/** Data in the app and the API is lon/lat (EPSG:4326 ≈ CGCS2000); 3857 is for display only, never for areas. */
export const DATA_PROJECTION = 'EPSG:4326';
export const VIEW_PROJECTION = 'EPSG:3857';

/** Shanxi province, roughly (DOMAIN §5: ~110.2–114.6°E), as the view before any zone is loaded. */
export const SHANXI_EXTENT_LONLAT: Extent = [110.2, 34.5, 114.6, 40.8];

export function toViewExtent(lonLat: Extent): Extent {
  return transformExtent(lonLat, DATA_PROJECTION, VIEW_PROJECTION);
}

/** bbox=minLon,minLat,maxLon,maxLat for the layer endpoints, clamped to valid lon/lat. */
export function bboxParam(viewExtent: Extent): string {
  const [minLon, minLat, maxLon, maxLat] = transformExtent(viewExtent, VIEW_PROJECTION, DATA_PROJECTION);
  const clamp = (v: number | undefined, lo: number, hi: number) => Math.min(hi, Math.max(lo, v ?? 0));
  return [clamp(minLon, -180, 180), clamp(minLat, -90, 90), clamp(maxLon, -180, 180), clamp(maxLat, -90, 90)]
    .map((v) => v.toFixed(6))
    .join(',');
}
