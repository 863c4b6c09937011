import { integratorKey, World } from '../clearance/committee-world';
import { createTestApp, TEST_EPOCH, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const M2_PER_MU = 10000 / 15;
const TUNLIU = '140405';
const GAOPING = '140581';

/**
 * GET /api/dashboard on the seeded demo world. The figures are checked against SQL written independently of
 * the repository's (other joins, another area method), and against hand-built discovery fixtures whose
 * effect on every count is worked out by hand — as differences, so discoveries the seed may hold do not matter.
 */
describe('province dashboard', () => {
  let sut: TestApp;
  const tokens: Record<string, string> = {};
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const dashboard = async (who: string) => {
    const res = await sut.request<any>('GET', '/api/dashboard', { token: tokens[who] });
    expect(res.status).toBe(200);
    return res.body;
  };
  const count = (list: Array<{ category?: string; state?: string; count: number }>, key: string): number =>
    list.find((x) => (x.category ?? x.state) === key)?.count ?? 0;
  const deadline = (body: any, kind: string) => body.deadlines.find((d: any) => d.kind === kind);
  /** Zones of a division tree (by the divisions' path) counted per category — no scope code involved. */
  const zonesUnder = (division: string) => q<{ category: string; n: number }>(
    `SELECT z.category, count(*)::int AS n FROM zones z JOIN divisions d ON d.code = z.division_code
      WHERE d.path LIKE (SELECT path FROM divisions WHERE code = $1) || '%' GROUP BY z.category`, [division]);

  beforeAll(async () => {
    sut = await createTestApp();
    for (const who of ['admin', 'reviewer', 'assessor', 'authority', 'authority_city', 'committee', 'contractor']) tokens[who] = await sut.login(who);
  });
  afterAll(() => sut.close());

  it('only admins, reviewers and authority officers may read it; committees, contractors, assessors and integrators may not', async () => {
    expect((await sut.request('GET', '/api/dashboard')).status).toBe(401);
    for (const who of ['committee', 'contractor', 'assessor']) {
      const res = await sut.request<any>('GET', '/api/dashboard', { token: tokens[who] });
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const key = await integratorKey(sut, { tokens: { admin: tokens.admin } } as unknown as World, 'dashboard-integrator');
    expect((await sut.request('GET', '/api/dashboard', { apiKey: key })).status).toBe(403);
    for (const who of ['admin', 'reviewer', 'authority', 'authority_city']) {
      expect((await sut.request('GET', '/api/dashboard', { token: tokens[who] })).status).toBe(200);
    }
  });

  it('zones by category and assessment status match the register, with the province’s published 71 / 22 beside them', async () => {
    const body = await dashboard('reviewer');
    const byCat = await q<{ category: string; n: number }>(`SELECT category, count(*)::int AS n FROM zones GROUP BY category`);
    expect(byCat.length).toBeGreaterThan(1);
    for (const c of ['industrial', 'agricultural', 'cultural_tourism']) {
      expect(count(body.zones.byCategory, c)).toBe(byCat.find((r) => r.category === c)?.n ?? 0);
    }
    expect(body.zones.total).toBe(Number((await q(`SELECT count(*)::int AS n FROM zones`))[0].n));
    expect(count(body.zones.byCategory, 'industrial')).toBeGreaterThan(0);
    expect(body.zones.published).toEqual({ industrial: 71, agriculturalOrTourism: 22, total: 93 });
    expect(body.scope).toEqual([{ code: '140000', name: '山西省', nameEn: 'Shanxi' }]);
    expect(body.generatedAt).toBe('2026-11-27T10:00:00.000+08:00');

    // latest assessment per zone: the open one, else the last concluded (DISTINCT ON instead of a subquery)
    const status = await q<{ category: string; status: string; n: number }>(
      `SELECT z.category, CASE WHEN z.category <> 'industrial' THEN 'not_applicable' ELSE coalesce(l.state, 'not_started') END AS status, count(*)::int AS n
         FROM zones z LEFT JOIN (SELECT DISTINCT ON (zone_id) zone_id, state FROM assessments
                                  ORDER BY zone_id, (state <> 'concluded') DESC, concluded_at DESC NULLS LAST, created_at DESC) l ON l.zone_id = z.id
        GROUP BY 1, 2`);
    expect(status.length).toBeGreaterThan(2);
    expect([...body.zones.byAssessmentStatus].sort((a: any, b: any) => `${a.category}${a.assessmentStatus}`.localeCompare(`${b.category}${b.assessmentStatus}`)))
      .toEqual(status.map((s) => ({ category: s.category, assessmentStatus: s.status, count: s.n }))
        .sort((a, b) => `${a.category}${a.assessmentStatus}`.localeCompare(`${b.category}${b.assessmentStatus}`)));
    const issued = await q(`SELECT count(DISTINCT zone_id)::int AS n FROM zoning_plans WHERE state = 'issued'`);
    expect(body.zones.withIssuedPlan).toBe(issued[0].n);
    expect(body.zones.withIssuedPlan).toBeGreaterThan(0);
  });

  it('areas per zoning category of the issued plans agree with a Gauss–Krüger computation, in 亩 and ha, and add up to the zones', async () => {
    const body = await dashboard('reviewer');
    // an independent method: planar area in the CGCS2000 3° Gauss–Krüger zone (EPSG:4546, 111°E), within 0.3 %
    const gk = await q<{ category: string; m2: number }>(
      `SELECT a.category, sum(ST_Area(ST_Transform(a.geom, 4546)))::float8 AS m2
         FROM zoning_plans p JOIN zoning_areas a ON a.plan_id = p.id WHERE p.state = 'issued' GROUP BY a.category`);
    expect(gk.length).toBe(3);
    for (const g of gk) {
      const fig = body.areas.byCategory.find((c: any) => c.category === g.category);
      expect(fig.areaM2).toBeGreaterThan(0);
      expect(Math.abs(fig.areaM2 - g.m2) / g.m2).toBeLessThan(0.003);
      expect(fig.areaMu).toBeCloseTo(fig.areaM2 / M2_PER_MU, 1);
      expect(fig.areaHa).toBeCloseTo(fig.areaM2 / 10000, 3);
    }
    const zoneTotal = Number((await q(`SELECT sum(ST_Area(boundary::geography))::float8 AS m2 FROM zones`))[0].m2);
    expect(body.areas.totalM2).toBeCloseTo(zoneTotal, 0);
    expect(body.areas.totalMu).toBeCloseTo(zoneTotal / M2_PER_MU, 1);
    // avoidance + exploration + release + unzoned = the zones' land (issued areas lie inside their zones)
    const sum = body.areas.byCategory.reduce((s: number, c: any) => s + c.areaM2, 0);
    expect(Math.abs(sum - zoneTotal)).toBeLessThan(5);
    // unzoned land, by overlay this time: each zone's boundary minus the union of its issued areas, on the ellipsoid
    const [overlay] = await q(
      `SELECT sum(ST_Area(coalesce(ST_Difference(z.boundary, u.geom), z.boundary)::geography))::float8 AS m2
         FROM zones z
         LEFT JOIN LATERAL (SELECT ST_Union(a.geom) AS geom FROM zoning_plans p JOIN zoning_areas a ON a.plan_id = p.id
                             WHERE p.zone_id = z.id AND p.state = 'issued') u ON true`);
    const unzoned = body.areas.byCategory.find((c: any) => c.category === 'unzoned');
    expect(Math.abs(unzoned.areaM2 - Number(overlay.m2))).toBeLessThan(5);
    expect(unzoned.areaM2).toBeLessThan(zoneTotal);
  });

  describe('discovery reports and deadlines', () => {
    let before: Record<string, any>;

    beforeAll(async () => {
      for (const who of ['reviewer', 'authority', 'authority_city']) before = { ...before, [who]: await dashboard(who) };
      // a project in the Gaoping zone (Jincheng city), next to the seeded one in Tunliu (Changzhi city)
      const [tunliu] = await q(`SELECT p.id, p.zone_id, p.contractor_org_id, p.created_by FROM projects p JOIN zones z ON z.id = p.zone_id WHERE z.division_code = $1 LIMIT 1`, [TUNLIU]);
      expect(tunliu).toBeDefined();
      const [gaoping] = await q(`SELECT id, ST_AsText(ST_PointOnSurface(boundary)) AS pt FROM zones WHERE division_code = $1`, [GAOPING]);
      const [parcel] = await q(
        `INSERT INTO parcels (zone_id, code, name, planned_use, geom, area_m2)
         SELECT $1, 'DASH-1', '看板测试地块', 'industrial', g, ST_Area(g::geography)
           FROM (SELECT ST_Multi(ST_Buffer(ST_GeomFromText($2, 4490), 0.001)) AS g) s RETURNING id`, [gaoping.id, gaoping.pt]);
      const [project] = await q(`INSERT INTO projects (parcel_id, zone_id, name, contractor_org_id) VALUES ($1, $2, '看板测试项目', $3) RETURNING id`,
        [parcel.id, gaoping.id, tunliu.contractor_org_id]);
      const now = TEST_EPOCH.getTime();
      const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR);
      /**
       * A: closed; arrived after 20 h, opinion after 6 days — both met.
       * B: opinion issued, overdue; arrived after 30 h, opinion after 8 days — both breached.
       * C: reported 2 h ago — both pending.
       * D: reported 25 h ago, nobody on site, the worker has not marked it yet — on-site breached, opinion pending, overdue.
       * E (Gaoping): on site after 10 h, opinion pending.
       */
      const fixtures = [
        { key: 'A', project: tunliu, zone: tunliu.zone_id, div: TUNLIU, state: 'closed', reported: 240, arrived: 220, opinion: 96, closed: 48, overdue: null },
        { key: 'B', project: tunliu, zone: tunliu.zone_id, div: TUNLIU, state: 'opinion_issued', reported: 216, arrived: 186, opinion: 24, closed: null, overdue: 192 },
        { key: 'C', project: tunliu, zone: tunliu.zone_id, div: TUNLIU, state: 'reported', reported: 2, arrived: null, opinion: null, closed: null, overdue: null },
        { key: 'D', project: tunliu, zone: tunliu.zone_id, div: TUNLIU, state: 'reported', reported: 25, arrived: null, opinion: null, closed: null, overdue: null },
        { key: 'E', project: { ...tunliu, id: project.id }, zone: gaoping.id, div: GAOPING, state: 'on_site', reported: 72, arrived: 62, opinion: null, closed: null, overdue: null },
      ];
      for (const f of fixtures) {
        const [r] = await q(
          `INSERT INTO discovery_reports (project_id, zone_id, contractor_org_id, division_code, location, found_at, reported_at, description, suspected_type,
                                          state, overdue_at, arrived_at, opinion_measures, opinion_important, opinion_text, opinion_at, closed_at, reported_by)
           SELECT $1, $2, $3, $4, ST_PointOnSurface(z.boundary), $5, $5, '看板测试 ' || $6, 'tomb', $7, $8, $9,
                  CASE WHEN $10::timestamptz IS NULL THEN NULL ELSE 'rescue_excavation' END, false, 'test', $10, $11,
                  (SELECT id FROM users WHERE username = 'contractor')
             FROM zones z WHERE z.id = $2 RETURNING id`,
          [f.project.id, f.zone, f.project.contractor_org_id, f.div, at(f.reported), f.key, f.state, f.overdue === null ? null : at(f.overdue),
            f.arrived === null ? null : at(f.arrived), f.opinion === null ? null : at(f.opinion), f.closed === null ? null : at(f.closed)],
        );
        await q(
          `INSERT INTO discovery_deadlines (report_id, kind, due_at, remind_at, met_at)
           VALUES ($1, 'on_site', $2::timestamptz + interval '24 hours', $2::timestamptz + interval '22 hours', $3),
                  ($1, 'opinion', $2::timestamptz + interval '168 hours', $2::timestamptz + interval '144 hours', $4)`,
          [r.id, at(f.reported), f.arrived === null ? null : at(f.arrived), f.opinion === null ? null : at(f.opinion)],
        );
      }
    });

    const delta = (after: any, was: any, path: (b: any) => number): number => path(after) - path(was);

    it('the province sees every fixture: open, overdue, closed and the share of deadlines met', async () => {
      const after = await dashboard('reviewer');
      const was = before.reviewer;
      expect(delta(after, was, (b) => b.discoveries.total)).toBe(5);
      expect(delta(after, was, (b) => b.discoveries.open)).toBe(4);
      expect(delta(after, was, (b) => b.discoveries.closed)).toBe(1);
      expect(delta(after, was, (b) => b.discoveries.overdue)).toBe(2);
      expect(delta(after, was, (b) => count(b.discoveries.byState, 'reported'))).toBe(2);
      expect(delta(after, was, (b) => count(b.discoveries.byState, 'on_site'))).toBe(1);
      expect(delta(after, was, (b) => deadline(b, 'on_site').met)).toBe(2);
      expect(delta(after, was, (b) => deadline(b, 'on_site').breached)).toBe(2);
      expect(delta(after, was, (b) => deadline(b, 'on_site').pending)).toBe(1);
      expect(delta(after, was, (b) => deadline(b, 'opinion').met)).toBe(1);
      expect(delta(after, was, (b) => deadline(b, 'opinion').breached)).toBe(1);
      expect(delta(after, was, (b) => deadline(b, 'opinion').pending)).toBe(3);

      // and, whatever else the seed holds, the totals equal a direct count
      const [d] = await q(
        `SELECT count(*) FILTER (WHERE state <> 'closed')::int AS open, count(*) FILTER (WHERE state = 'closed')::int AS closed,
                count(*) FILTER (WHERE state <> 'closed' AND (overdue_at IS NOT NULL OR id IN (
                  SELECT report_id FROM discovery_deadlines WHERE met_at IS NULL AND due_at <= $1)))::int AS overdue
           FROM discovery_reports`, [TEST_EPOCH]);
      expect(after.discoveries).toMatchObject(d);
      const dl = await q<{ kind: string; met: number; decided: number }>(
        `SELECT kind, sum((met_at <= due_at)::int)::int AS met, sum((met_at IS NOT NULL OR due_at <= $1)::int)::int AS decided
           FROM discovery_deadlines WHERE kind IN ('on_site', 'opinion') GROUP BY kind`, [TEST_EPOCH]);
      for (const k of dl) expect(deadline(after, k.kind).metShare).toBeCloseTo(k.met / k.decided, 4);

      // per division: Tunliu holds A–D, Gaoping E
      const row = (b: any, code: string) => b.divisions.find((x: any) => x.division.code === code) ?? { openReports: 0, overdueReports: 0, closedReports: 0 };
      expect(delta(after, was, (b) => row(b, TUNLIU).openReports)).toBe(3);
      expect(delta(after, was, (b) => row(b, TUNLIU).overdueReports)).toBe(2);
      expect(delta(after, was, (b) => row(b, TUNLIU).closedReports)).toBe(1);
      expect(delta(after, was, (b) => row(b, GAOPING).openReports)).toBe(1);
      expect(row(after, TUNLIU)).toMatchObject({ division: { name: '屯留区' }, parent: { code: '140400', name: '长治市' }, zones: 1, industrialZones: 1 });
      expect(row(after, GAOPING).parent).toMatchObject({ code: '140500', name: '晋城市' });
    });

    it('a county authority sees only its county; the city sees its counties; neither sees Gaoping', async () => {
      const county = await dashboard('authority');
      const city = await dashboard('authority_city');
      const province = await dashboard('reviewer');

      expect(county.scope).toEqual([{ code: TUNLIU, name: '屯留区', nameEn: 'Tunliu' }]);
      expect(county.zones.published).toBeNull();
      const tunliuZones = await zonesUnder(TUNLIU);
      expect(county.zones.total).toBe(tunliuZones.reduce((s, r) => s + r.n, 0));
      expect(count(county.zones.byCategory, 'industrial')).toBe(tunliuZones.find((r) => r.category === 'industrial')?.n ?? 0);
      const cityZones = await zonesUnder('140400');
      expect(city.zones.total).toBe(cityZones.reduce((s, r) => s + r.n, 0));
      expect(county.zones.total).toBeLessThan(city.zones.total);
      expect(city.zones.total).toBeLessThan(province.zones.total);
      expect(county.areas.totalM2).toBeLessThan(province.areas.totalM2);

      expect(county.divisions.map((d: any) => d.division.code)).toEqual([TUNLIU]);
      expect(city.divisions.every((d: any) => d.parent?.code === '140400')).toBe(true);
      for (const [who, body] of [['authority', county], ['authority_city', city]] as const) {
        expect(delta(body, before[who], (b) => b.discoveries.total)).toBe(4);
        expect(delta(body, before[who], (b) => b.discoveries.open)).toBe(3);
        expect(delta(body, before[who], (b) => b.discoveries.overdue)).toBe(2);
        expect(delta(body, before[who], (b) => deadline(b, 'on_site').met)).toBe(1);
        expect(delta(body, before[who], (b) => deadline(b, 'on_site').breached)).toBe(2);
        expect(delta(body, before[who], (b) => deadline(b, 'opinion').pending)).toBe(2);
      }
      const [inCounty] = await q(`SELECT count(*)::int AS n FROM discovery_reports WHERE division_code = $1`, [TUNLIU]);
      expect(county.discoveries.total).toBe(inCounty.n);
      expect(county.discoveries.total).toBeLessThan(province.discoveries.total);
    });

    it('time moves the figures: two days on, report C has missed its on-site deadline', async () => {
      const was = await dashboard('reviewer');
      const from = sut.clock.now();
      sut.clock.advance(48 * HOUR);
      const to = sut.clock.now();
      // Reports outside these fixtures (the demo seed's open find is dated by the wall clock at seeding) may
      // fall due in the same two days: counted independently, so the figures below stay exact.
      const [others] = await q(
        `SELECT count(*) FILTER (WHERE d.kind = 'on_site')::int AS on_site,
                count(DISTINCT r.id) FILTER (WHERE r.state <> 'closed' AND r.overdue_at IS NULL AND NOT EXISTS (
                  SELECT 1 FROM discovery_deadlines e WHERE e.report_id = r.id AND e.met_at IS NULL AND e.due_at <= $1))::int AS newly_overdue
           FROM discovery_deadlines d JOIN discovery_reports r ON r.id = d.report_id
          WHERE d.met_at IS NULL AND d.due_at > $1 AND d.due_at <= $2 AND r.description NOT LIKE '看板测试%'`,
        [from, to],
      );
      tokens.reviewer = await sut.login('reviewer');
      const after = await dashboard('reviewer');
      expect(after.generatedAt).toBe('2026-11-29T10:00:00.000+08:00');
      expect(deadline(after, 'on_site').pending).toBe(deadline(was, 'on_site').pending - 1 - others.on_site);
      expect(deadline(after, 'on_site').breached).toBe(deadline(was, 'on_site').breached + 1 + others.on_site);
      expect(after.discoveries.overdue).toBe(was.discoveries.overdue + 1 + others.newly_overdue);
    });
  });
});
