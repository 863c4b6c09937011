import { AppConfig } from '../../src/infra/config/config';
import { AuditService } from '../../src/modules/audit/audit.service';
import { hashPassword } from '../../src/modules/auth/password';
import { DEMO_STEPS, SeedContext } from '../../src/seed/seed';
import { createTestApp, DEMO_PASSWORD, TestApp } from '../support/test-app';

/**
 * The app with only the foundation's demo data (divisions, organisations, zones, accounts): these tests
 * build their own zoning in SQL, so they neither need nor depend on the later demo seed steps.
 */
export async function createCommitteeTestApp(config: Partial<AppConfig> = {}): Promise<TestApp> {
  const sut = await createTestApp({ seed: false, config });
  const ctx: SeedContext = {
    db: sut.dataSource, config: sut.config, clock: sut.clock, audit: sut.app.get(AuditService),
    actor: { principal: null, correlationId: null, system: 'seed' }, log: () => undefined,
    orgIds: new Map(), userIds: new Map(), zoneIds: new Map(),
  };
  const { runSeed } = await import('../../src/seed/seed');
  const foundation = new Set(['organisations', 'zones', 'demo accounts']);
  const saved = DEMO_STEPS.splice(0, DEMO_STEPS.length);
  try {
    DEMO_STEPS.push(...saved.filter((s) => foundation.has(s.name)));
    await runSeed(ctx);
  } finally {
    DEMO_STEPS.splice(0, DEMO_STEPS.length, ...saved);
  }
  return sut;
}

/**
 * A small synthetic world for the committee's work, built directly in SQL so the tests do not depend on
 * the demo seed's geometry (the zoning tables' schema is the contract):
 * - zone T-IND (industrial, managed by the demo `committee`): a 0.02° square at 113.50°E 36.50°N, with an
 *   issued plan v1: avoidance A, exploration E, release R1; the rest of the zone is unzoned;
 * - zone T-AGR (agricultural, same committee), no plan (the individual route);
 * - zone T-OTH (industrial) managed by another committee, with user `committee_b`.
 * Every box is lon/lat degrees: [minLon, minLat, maxLon, maxLat].
 */
export type Box = [number, number, number, number];

export function polygon(b: Box): { type: 'Polygon'; coordinates: number[][][] } {
  const [x1, y1, x2, y2] = b;
  return { type: 'Polygon', coordinates: [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]] };
}

const ewkt = (b: Box): string => {
  const [x1, y1, x2, y2] = b;
  return `SRID=4490;POLYGON((${x1} ${y1},${x2} ${y1},${x2} ${y2},${x1} ${y2},${x1} ${y1}))`;
};

export const BOX = {
  industrial: [113.5, 36.5, 113.52, 36.52] as Box,
  avoidance: [113.5, 36.5, 113.505, 36.505] as Box,
  exploration: [113.505, 36.5, 113.51, 36.505] as Box,
  release1: [113.5, 36.505, 113.51, 36.51] as Box,
  /** added by plan v2 */
  release2: [113.51, 36.5, 113.515, 36.51] as Box,
  agricultural: [113.6, 36.5, 113.62, 36.52] as Box,
  other: [113.7, 36.5, 113.72, 36.52] as Box,
};

export interface World {
  industrialZoneId: string;
  agriculturalZoneId: string;
  otherZoneId: string;
  planV1Id: string;
  committeeOrgId: string;
  contractorOrgId: string;
  tokens: Record<string, string>;
}

export async function buildWorld(sut: TestApp): Promise<World> {
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const [committee] = await q<{ id: string }>(`SELECT id FROM organizations WHERE type = 'zone_committee' AND name LIKE '屯留%'`);
  const [contractor] = await q<{ id: string }>(`SELECT id FROM organizations WHERE type = 'contractor' ORDER BY name LIMIT 1`);
  const [otherOrg] = await q<{ id: string }>(
    `INSERT INTO organizations (type, name, division_code) VALUES ('zone_committee', '测试乙开发区管委会', '140405') RETURNING id`,
  );
  const zone = async (code: string, category: string, b: Box, org: string): Promise<string> => {
    const [z] = await q<{ id: string }>(
      `INSERT INTO zones (code, name, category, level, division_code, committee_org_id, boundary, area_m2, is_demo)
       SELECT $1, $2, $3, 'provincial', '140405', $4, ST_Multi(g), ST_Area(g::geography), true FROM (SELECT $5::geometry AS g) s RETURNING id`,
      [code, `测试开发区 ${code}`, category, org, ewkt(b)],
    );
    return z!.id;
  };
  const industrialZoneId = await zone('T-IND', 'industrial', BOX.industrial, committee!.id);
  const agriculturalZoneId = await zone('T-AGR', 'agricultural', BOX.agricultural, committee!.id);
  const otherZoneId = await zone('T-OTH', 'industrial', BOX.other, otherOrg!.id);
  const [u] = await q<{ id: string }>(
    `INSERT INTO users (username, display_name, password_hash, org_id, password_changed_at) VALUES ('committee_b', '乙管委', $1, $2, now()) RETURNING id`,
    [await hashPassword(DEMO_PASSWORD), otherOrg!.id],
  );
  await q(`INSERT INTO role_assignments (user_id, role, scope_type, org_id) VALUES ($1, 'committee_officer', 'org', $2)`, [u!.id, otherOrg!.id]);
  const planV1Id = await issuePlan(sut, industrialZoneId, 1, [
    ['avoidance', BOX.avoidance], ['exploration', BOX.exploration], ['release', BOX.release1],
  ]);
  const tokens: Record<string, string> = {};
  for (const who of ['admin', 'assessor', 'reviewer', 'authority', 'committee', 'contractor', 'committee_b']) tokens[who] = await sut.login(who);
  return { industrialZoneId, agriculturalZoneId, otherZoneId, planV1Id, committeeOrgId: committee!.id, contractorOrgId: contractor!.id, tokens };
}

/** An issued plan written in SQL (the zoning workflow is tested elsewhere); the previous issued plan is superseded. */
export async function issuePlan(sut: TestApp, zoneId: string, version: number, areas: Array<[string, Box]>): Promise<string> {
  const c = await sut.db.admin.connect();
  try {
    await c.query('BEGIN');
    const f = await c.query(
      `INSERT INTO stored_files (storage_key, sha256, bytes, content_type, original_name) VALUES ($1, $2, 0, 'application/pdf', 'opinion.pdf') RETURNING id`,
      [`test/opinion-${zoneId}-${version}`, '0'.repeat(64)],
    );
    const prev = await c.query(`UPDATE zoning_plans SET state = 'superseded', superseded_at = now() WHERE zone_id = $1 AND state = 'issued' RETURNING id`, [zoneId]);
    const p = await c.query(
      `INSERT INTO zoning_plans (zone_id, version, state, issued_at, document_number, opinion_file_id, based_on)
       VALUES ($1, $2, 'issued', now(), $3, $4, $5) RETURNING id`,
      [zoneId, version, `晋文物函〔2026〕${90 + version}号-${zoneId.slice(0, 4)}`, f.rows[0].id, prev.rows[0]?.id ?? null],
    );
    const planId: string = p.rows[0].id;
    for (const [category, b] of areas) {
      await c.query(`INSERT INTO zoning_areas (plan_id, category, geom, label) VALUES ($1, $2, $3::geometry, $4)`, [planId, category, ewkt(b), `${category}-${b.join(',')}`]);
    }
    await c.query('COMMIT');
    return planId;
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  } finally {
    c.release();
  }
}

/** Draft, submit (committee) and accept (reviewer) a commitment letter for a plan; returns its id. */
export async function commitAndAccept(sut: TestApp, w: World, planId: string): Promise<string> {
  const created = await sut.request<any>('POST', '/api/commitments', { token: w.tokens.committee, body: { planId, signatoryName: '孙管委', signatoryTitle: '主任' } });
  if (created.status !== 201) throw new Error(`commitment create: ${created.status} ${JSON.stringify(created.body)}`);
  const submitted = await sut.request<any>('POST', `/api/commitments/${created.body.id}/submit`, { token: w.tokens.committee });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const accepted = await sut.request<any>('POST', `/api/commitments/${created.body.id}/accept`, { token: w.tokens.reviewer });
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return created.body.id;
}

export async function createParcel(sut: TestApp, w: World, zoneId: string, code: string, b: Box, token = w.tokens.committee): Promise<any> {
  const res = await sut.request<any>('POST', '/api/parcels', { token, body: { zoneId, code, name: `地块 ${code}`, plannedUse: '工业用地', geometry: polygon(b) } });
  if (res.status !== 201) throw new Error(`parcel ${code}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function integratorKey(sut: TestApp, w: World, username: string): Promise<string> {
  const orgs = (await sut.request<any[]>('GET', '/api/admin/orgs', { token: w.tokens.admin })).body;
  const bureau = orgs.find((o) => o.type === 'bureau')!;
  const svc = await sut.request<any>('POST', '/api/admin/service-accounts', { token: w.tokens.admin, body: { username, displayName: '土地出让系统', orgId: bureau.id } });
  const key = await sut.request<any>('POST', `/api/admin/service-accounts/${svc.body.id}/api-keys`, { token: w.tokens.admin, body: { name: 'clearance' } });
  return key.body.key as string;
}
