/**
 * Synthetic demo boundaries: smooth, star-shaped (hence always valid) polygons around a zone's approximate
 * real location. They are labelled demo data and are not the zones' real planning boundaries.
 */
export function demoPolygon(center: [number, number], radiusM: number, seed: number, vertices = 48): number[][][] {
  const [lon0, lat0] = center;
  const mPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const mPerDegLat = 110_540;
  const ring: number[][] = [];
  for (let i = 0; i < vertices; i++) {
    const a = (2 * Math.PI * i) / vertices;
    const r = radiusM * (1 + 0.18 * Math.sin(3 * a + seed) + 0.08 * Math.cos(5 * a + seed * 0.7));
    ring.push([round7(lon0 + (r * Math.cos(a)) / mPerDegLon), round7(lat0 + (r * Math.sin(a)) / mPerDegLat)]);
  }
  ring.push([...ring[0]!]);
  return [ring];
}

function round7(n: number): number {
  return Math.round(n * 1e7) / 1e7;
}
