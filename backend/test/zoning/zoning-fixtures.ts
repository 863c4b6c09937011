import { TestApp } from '../support/test-app';

/** Local metres ↔ lon/lat near the test zones (≈36.2°N): good to a few per cent, exact enough for shapes. */
const M_LON = 1 / 89725;
const M_LAT = 1 / 110950;
const r9 = (n: number): number => Math.round(n * 1e9) / 1e9;

export type Ring = Array<[number, number]>;
export interface Poly { type: 'Polygon'; coordinates: number[][][] }

export class Local {
  constructor(readonly x0: number, readonly y0: number) {}
  ll(x: number, y: number): [number, number] {
    return [r9(this.x0 + x * M_LON), r9(this.y0 + y * M_LAT)];
  }
  toLocal(c: number[]): [number, number] {
    return [(c[0]! - this.x0) / M_LON, (c[1]! - this.y0) / M_LAT];
  }
  poly(ring: Ring): Poly {
    const pts = ring.map(([x, y]) => this.ll(x, y));
    return { type: 'Polygon', coordinates: [[...pts, pts[0]!]] };
  }
  rect(x1: number, y1: number, x2: number, y2: number): Poly {
    return this.poly([[x1, y1], [x2, y1], [x2, y2], [x1, y2]]);
  }
}

let zoneSeq = 0;
/** A 200 m × 200 m industrial test zone managed by the demo committee's org (so committee visibility can be tested). */
export async function makeZone(sut: TestApp, opts: { x0?: number; y0?: number; committee?: boolean } = {}): Promise<{ id: string; local: Local }> {
  zoneSeq++;
  const local = new Local(opts.x0 ?? 112.8 + zoneSeq * 0.01, opts.y0 ?? 36.2);
  const boundary = { type: 'MultiPolygon', coordinates: [local.rect(0, 0, 200, 200).coordinates] };
  const r = await sut.db.admin.query(
    `INSERT INTO zones (code, name, category, level, division_code, committee_org_id, boundary, area_m2, is_demo)
     SELECT $1, $2, 'industrial', 'provincial', '140405',
            CASE WHEN $4 THEN (SELECT id FROM organizations WHERE name = '屯留经济技术开发区管理委员会') END,
            g, ST_Area(g::geography), true
       FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($3), 4490) AS g) s RETURNING id`,
    [`T-ZN-${process.pid}-${zoneSeq}`, `测试开发区${zoneSeq}号`, JSON.stringify(boundary), opts.committee ?? false],
  );
  return { id: r.rows[0].id, local };
}

export type DemoUser = 'admin' | 'assessor' | 'reviewer' | 'authority' | 'committee' | 'contractor';
export type Tokens = Record<DemoUser, string>;

export async function newPlan(sut: TestApp, t: Tokens, zoneId: string, extra: Record<string, unknown> = {}): Promise<{ id: string; etag: string }> {
  const r = await sut.request<any>('POST', '/api/zoning-plans', { token: t.assessor, body: { zoneId, ...extra } });
  if (r.status !== 201) throw new Error(`create plan: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.id, etag: String(r.headers.etag) };
}

/** Adds areas one by one, following the ETag; returns the area ids in order. */
export async function addAreas(sut: TestApp, t: Tokens, plan: { id: string; etag: string }, areas: Array<{ category: string; geometry: Poly; rationale?: string; evidence?: unknown[] }>): Promise<string[]> {
  const ids: string[] = [];
  for (const a of areas) {
    const before = new Set<string>();
    const cur = await sut.request<any>('GET', `/api/zoning-plans/${plan.id}`, { token: t.assessor });
    for (const x of cur.body.areas) before.add(x.id);
    const r = await sut.request<any>('POST', `/api/zoning-plans/${plan.id}/areas`, {
      token: t.assessor, headers: { 'if-match': plan.etag }, body: { rationale: '测试', ...a },
    });
    if (r.status !== 201) throw new Error(`add area: ${r.status} ${JSON.stringify(r.body)}`);
    plan.etag = String(r.headers.etag);
    ids.push(r.body.areas.find((x: any) => !before.has(x.id)).id);
  }
  return ids;
}

export async function validate(sut: TestApp, t: Tokens, planId: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<any[]> {
  const r = await sut.request<any>('POST', `/api/zoning-plans/${planId}/validate`, { token: t.assessor, lang });
  if (r.status !== 200) throw new Error(`validate: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.problems;
}

export async function centroidLocal(sut: TestApp, local: Local, g: unknown): Promise<{ x: number; y: number; m2: number }> {
  const r = await sut.db.admin.query(
    `SELECT ST_X(c) AS lon, ST_Y(c) AS lat, ST_Area(g::geography) AS m2
       FROM (SELECT g, ST_Centroid(g) AS c FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4490) AS g) s) t`,
    [JSON.stringify(g)],
  );
  const [x, y] = local.toLocal([r.rows[0].lon, r.rows[0].lat]);
  return { x, y, m2: Number(r.rows[0].m2) };
}

export async function loginAll(sut: TestApp, users: DemoUser[]): Promise<Tokens> {
  const t: Partial<Tokens> = {};
  for (const u of users) t[u] = await sut.login(u);
  return t as Tokens;
}
