import { TestApp } from '../support/test-app';

/** Gauss–Krüger zone 38 without prefix (central meridian 114°E): Tunliu lies in it. */
export const GK_SRID = 4547;

export interface CoringFixture {
  zoneId: string;
  assessmentId: string;
  /** the zone's rectangle in EPSG:4547, metres */
  zoneRect: { x0: number; y0: number; x1: number; y1: number };
}

/**
 * A test zone of our own in Tunliu county (140405): a 4 km × 3 km rectangle drawn in the local
 * Gauss–Krüger projection (edges densified, so they stay straight there), with an assessment in `coring`
 * whose team is the demo assessor. Made with the superuser pool so the test does not depend on the
 * assessments API or the demo evidence seed.
 */
export async function createCoringFixture(sut: TestApp, code = 'SX-CZ-CORETEST'): Promise<CoringFixture> {
  const origin = await sut.db.admin.query<{ x: number; y: number }>(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(112.95, 36.36), 4490), ${GK_SRID}) AS p) s`,
  );
  // corners off the 25 m lattice, so no grid point sits on an edge
  const x0 = Math.floor(origin.rows[0]!.x / 1000) * 1000 + 7.3;
  const y0 = Math.floor(origin.rows[0]!.y / 1000) * 1000 + 11.9;
  const zoneRect = { x0, y0, x1: x0 + 4000, y1: y0 + 3000 };
  const zone = await sut.db.admin.query<{ id: string }>(
    `INSERT INTO zones (code, name, category, level, division_code, boundary, area_m2, is_demo)
     SELECT $1, '勘探测试园区', 'industrial', 'provincial', '140405', g, ST_Area(g::geography), true
       FROM (SELECT ST_Multi(ST_Transform(ST_Segmentize(ST_MakeEnvelope($2, $3, $4, $5, ${GK_SRID}), 50), 4490)) AS g) s
     RETURNING id`,
    [code, zoneRect.x0, zoneRect.y0, zoneRect.x1, zoneRect.y1],
  );
  const zoneId = zone.rows[0]!.id;
  const assessment = await sut.db.admin.query<{ id: string }>(
    `INSERT INTO assessments (zone_id, state, title) VALUES ($1, 'coring', '勘探测试评估') RETURNING id`, [zoneId],
  );
  const assessmentId = assessment.rows[0]!.id;
  await sut.db.admin.query(
    `INSERT INTO assessment_members (assessment_id, user_id, team_role)
     SELECT $1, id, 'lead' FROM users WHERE username = 'assessor'`,
    [assessmentId],
  );
  return { zoneId, assessmentId, zoneRect };
}

/** A GeoJSON polygon (lon/lat) of a rectangle drawn in EPSG:4547, densified every 10 m. */
export async function gkRectangle(sut: TestApp, x0: number, y0: number, x1: number, y1: number): Promise<{ type: 'Polygon'; coordinates: number[][][] }> {
  const rows = await sut.db.admin.query<{ g: string }>(
    `SELECT ST_AsGeoJSON(ST_Transform(ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, ${GK_SRID}), 10), 4490), 12, 0) AS g`,
    [x0, y0, x1, y1],
  );
  return JSON.parse(rows.rows[0]!.g) as { type: 'Polygon'; coordinates: number[][][] };
}

/** Logs in every demo role the coring rules talk about, plus an assessor who is not on the team. */
export async function coringTokens(sut: TestApp): Promise<Record<string, string>> {
  const admin = await sut.login('admin');
  const institute = (await sut.request<Array<{ id: string; type: string }>>('GET', '/api/admin/orgs', { token: admin })).body.find((o) => o.type === 'institute')!;
  const created = await sut.request('POST', '/api/admin/users', {
    token: admin,
    body: { username: 'assessor2', displayName: '刘勘探', password: 'Another@Pass2026', orgId: institute.id, roles: [{ role: 'assessor', scopeType: 'province', divisionCode: '140000' }] },
  });
  if (created.status !== 201) throw new Error(`creating assessor2 failed: ${created.status} ${JSON.stringify(created.body)}`);
  const tokens: Record<string, string> = { admin };
  for (const u of ['assessor', 'reviewer', 'authority', 'authority_city', 'committee', 'contractor']) tokens[u] = await sut.login(u);
  tokens.assessor2 = await sut.login('assessor2', 'Another@Pass2026');
  return tokens;
}

/** An integrator's API key (a service account of the bureau). */
export async function integratorKey(sut: TestApp, adminToken: string): Promise<string> {
  const orgs = (await sut.request<Array<{ id: string; type: string }>>('GET', '/api/admin/orgs', { token: adminToken })).body;
  const bureau = orgs.find((o) => o.type === 'bureau')!;
  const svc = await sut.request<{ id: string }>('POST', '/api/admin/service-accounts', { token: adminToken, body: { username: 'land-system', displayName: '土地出让系统', orgId: bureau.id } });
  const key = await sut.request<{ key: string }>('POST', `/api/admin/service-accounts/${svc.body.id}/api-keys`, { token: adminToken, body: { name: '勘探测试' } });
  return key.body.key;
}
