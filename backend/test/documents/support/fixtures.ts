import { Pool } from 'pg';

type Ring = Array<[number, number]>;
const close = (r: Ring): Ring => [...r, r[0]!];

/**
 * A synthetic development zone near Tunliu (112.89°E, 36.32°N — Gauss–Krüger zone 38, central meridian
 * 114°E) covered exactly by three areas that share their edges: an L-shaped avoidance area in the west, an
 * exploration area wrapping it, and a release strip in the east. Demo-style data, not real survey.
 */
export const TUNLIU_BOUNDARY: Ring = close([[112.87, 36.305], [112.91, 36.305], [112.91, 36.335], [112.87, 36.335]]);
export const TUNLIU_AREAS: Array<{ label: string; category: 'avoidance' | 'exploration' | 'release'; ring: Ring }> = [
  { label: '避让区B1', category: 'avoidance', ring: close([[112.87, 36.305], [112.88, 36.305], [112.88, 36.32], [112.885, 36.32], [112.885, 36.335], [112.87, 36.335]]) },
  { label: '勘探区K1', category: 'exploration', ring: close([[112.88, 36.305], [112.895, 36.305], [112.895, 36.335], [112.885, 36.335], [112.885, 36.32], [112.88, 36.32]]) },
  { label: '释放区S1', category: 'release', ring: close([[112.895, 36.305], [112.91, 36.305], [112.91, 36.335], [112.895, 36.335]]) },
];

export interface StoredZoning {
  zoneId: string;
  planId: string;
  areas: Array<{ id: string; label: string; category: 'avoidance' | 'exploration' | 'release'; geometry: { type: 'Polygon'; coordinates: number[][][] }; areaM2: number }>;
  boundary: { type: 'MultiPolygon'; coordinates: number[][][][] };
  zoneAreaM2: number;
}

/** Writes the zone, a plan and its areas straight into the test database (the zoning API is not under test here). */
export async function storeTunliuZoning(admin: Pool, code = 'DEMO-DOC-TL'): Promise<StoredZoning> {
  await admin.query(
    `INSERT INTO divisions (code, name, parent_code, level, path) VALUES ('140000', '山西省', NULL, 'province', '140000') ON CONFLICT DO NOTHING`,
  );
  await admin.query(
    `INSERT INTO divisions (code, name, parent_code, level, path) VALUES ('140405', '屯留区', '140000', 'county', '140000.140405') ON CONFLICT DO NOTHING`,
  );
  const boundary = { type: 'MultiPolygon' as const, coordinates: [[TUNLIU_BOUNDARY]] };
  const zone = await admin.query<{ id: string; area_m2: number }>(
    `INSERT INTO zones (code, name, category, level, division_code, boundary, area_m2, is_demo)
     SELECT $1, '屯留经济技术开发区（文书测试）', 'industrial', 'provincial', '140405', g, ST_Area(g::geography), true
     FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($2::text), 4490) AS g) s
     RETURNING id, area_m2`,
    [code, JSON.stringify(boundary)],
  );
  const zoneId = zone.rows[0]!.id;
  const plan = await admin.query<{ id: string }>(`INSERT INTO zoning_plans (zone_id, version) VALUES ($1, 1) RETURNING id`, [zoneId]);
  const planId = plan.rows[0]!.id;
  const rows = await admin.query<{ id: string; label: string; category: 'avoidance' | 'exploration' | 'release'; geojson: string; area_m2: number }>(
    `INSERT INTO zoning_areas (plan_id, category, label, geom)
     SELECT $1, c, l, ST_SetSRID(ST_GeomFromGeoJSON(g), 4490)
     FROM unnest($2::text[], $3::text[], $4::text[]) AS t(c, l, g)
     RETURNING id, label, category, ST_AsGeoJSON(geom, 9, 0) AS geojson, ST_Area(geom::geography) AS area_m2`,
    [
      planId,
      TUNLIU_AREAS.map((a) => a.category),
      TUNLIU_AREAS.map((a) => a.label),
      TUNLIU_AREAS.map((a) => JSON.stringify({ type: 'Polygon', coordinates: [a.ring] })),
    ],
  );
  const areas = TUNLIU_AREAS.map((a) => {
    const r = rows.rows.find((x) => x.label === a.label)!;
    return { id: r.id, label: r.label, category: r.category, geometry: JSON.parse(r.geojson) as { type: 'Polygon'; coordinates: number[][][] }, areaM2: Number(r.area_m2) };
  });
  return { zoneId, planId, areas, boundary, zoneAreaM2: Number(zone.rows[0]!.area_m2) };
}
