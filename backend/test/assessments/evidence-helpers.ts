import { hashPassword } from '../../src/modules/auth/password';
import { DEMO_PASSWORD, TestApp } from '../support/test-app';

/** Demo zone ids by code, read from the seeded database. */
export async function zoneIds(sut: TestApp): Promise<Record<string, string>> {
  const rows = (await sut.db.admin.query<{ code: string; id: string }>(`SELECT code, id FROM zones`)).rows;
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

/** The seeded assessment of a demo zone. */
export async function assessmentOf(sut: TestApp, zoneCode: string): Promise<string> {
  const rows = (await sut.db.admin.query<{ id: string }>(
    `SELECT a.id FROM assessments a JOIN zones z ON z.id = a.zone_id WHERE z.code = $1 ORDER BY (a.state <> 'concluded') DESC, a.created_at DESC LIMIT 1`,
    [zoneCode],
  )).rows;
  if (!rows[0]) throw new Error(`no assessment for ${zoneCode}`);
  return rows[0].id;
}

/** A second province-wide assessor of the institute (not on any team), logged in. */
export async function extraAssessor(sut: TestApp, username: string): Promise<{ id: string; token: string }> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const { rows } = await sut.db.admin.query<{ id: string }>(
    `INSERT INTO users (username, display_name, password_hash, org_id, password_changed_at)
     SELECT $1, '测试考古员', $2, u.org_id, now() FROM users u WHERE u.username = 'assessor' RETURNING id`,
    [username, hash],
  );
  const id = rows[0]!.id;
  await sut.db.admin.query(`INSERT INTO role_assignments (user_id, role, scope_type, division_code) VALUES ($1, 'assessor', 'province', '140000')`, [id]);
  return { id, token: await sut.login(username) };
}

/** A small square (side ≈ 2·half metres) around a point, as a GeoJSON Polygon. */
export function squareAround(lon: number, lat: number, halfM: number): { type: 'Polygon'; coordinates: number[][][] } {
  const dx = halfM / (111_320 * Math.cos((lat * Math.PI) / 180));
  const dy = halfM / 110_540;
  return { type: 'Polygon', coordinates: [[[lon - dx, lat - dy], [lon + dx, lat - dy], [lon + dx, lat + dy], [lon - dx, lat + dy], [lon - dx, lat - dy]]] };
}

/** A point inside a zone (its point on surface), lon/lat. */
export async function pointInZone(sut: TestApp, zoneCode: string): Promise<[number, number]> {
  const { rows } = await sut.db.admin.query<{ x: number; y: number }>(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(boundary) AS p FROM zones WHERE code = $1) s`,
    [zoneCode],
  );
  return [rows[0]!.x, rows[0]!.y];
}
