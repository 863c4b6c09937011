import { AuditService } from '../../src/modules/audit/audit.service';
import { coringSeedStep } from '../../src/seed/steps/coring.seed';
import { createTestApp, TestApp } from '../support/test-app';

// the full demo seed (every feature's steps) runs in createTestApp and takes tens of seconds on a busy machine
jest.setTimeout(240_000);

/** The demo coring a newcomer sees after `npm run seed`. */
describe('coring demo seed', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await createTestApp();
  });
  afterAll(() => sut?.close());

  const counts = async () =>
    (await sut.db.admin.query(
      `SELECT z.code, a.state, count(*)::int AS total,
              count(*) FILTER (WHERE c.status = 'cored')::int AS cored,
              count(*) FILTER (WHERE c.result IN ('cultural_layer', 'tomb', 'feature'))::int AS positive,
              count(*) FILTER (WHERE c.result = 'disturbed')::int AS disturbed
         FROM coring_points c JOIN zones z ON z.id = c.zone_id JOIN assessments a ON a.id = c.assessment_id
        GROUP BY z.code, a.state ORDER BY z.code`,
    )).rows;

  it('gives each zone in coring, zoning or concluded thousands of cores, with clustered positives and a stage-dependent planned/cored mix', async () => {
    const rows = await counts();
    const byCode = Object.fromEntries(rows.map((r: any) => [r.code, r]));
    expect(Object.keys(byCode).sort()).toEqual(['SX-CZ-CZHTZ', 'SX-CZ-TLETDZ', 'SX-JC-GPETDZ']);
    for (const r of rows) {
      expect(r.total).toBeGreaterThan(3000);
      expect(r.positive).toBeGreaterThan(30);
      // most cores are negative: positives are clusters, not noise
      expect(r.positive / r.cored).toBeLessThan(0.2);
      expect(r.disturbed).toBeGreaterThan(0);
    }
    expect(byCode['SX-CZ-TLETDZ'].cored).toBe(byCode['SX-CZ-TLETDZ'].total); // concluded
    expect(byCode['SX-CZ-CZHTZ'].cored).toBe(byCode['SX-CZ-CZHTZ'].total); // zoning
    const gaoping = byCode['SX-JC-GPETDZ']; // coring: the southern rows done, the rest planned
    expect(gaoping.cored / gaoping.total).toBeGreaterThan(0.3);
    expect(gaoping.cored / gaoping.total).toBeLessThan(0.9);
  });

  it('keeps Tunliu’s positive cores out of the zone’s south-east quarter (where release areas are drawn)', async () => {
    const res = await sut.db.admin.query(
      `WITH z AS (SELECT id, ST_Transform(ST_Centroid(boundary), 4547) AS c FROM zones WHERE code = 'SX-CZ-TLETDZ')
       SELECT count(*) FILTER (WHERE ST_X(ST_Transform(cp.geom, 4547)) > ST_X(z.c) AND ST_Y(ST_Transform(cp.geom, 4547)) < ST_Y(z.c))::int AS se,
              count(*)::int AS all_positive
         FROM coring_points cp, z WHERE cp.zone_id = z.id AND cp.result IN ('cultural_layer', 'tomb', 'feature')`,
    );
    expect(res.rows[0].all_positive).toBeGreaterThan(30);
    expect(res.rows[0].se).toBe(0);
  });

  it('is idempotent and deterministic', async () => {
    const fingerprint = async () =>
      (await sut.db.admin.query(`SELECT md5(string_agg(code || result || ST_AsText(geom), ',' ORDER BY code)) AS h FROM coring_points WHERE status = 'cored'`)).rows[0].h;
    const before = await counts();
    const h = await fingerprint();
    await sut.dataSource.transaction((m) =>
      coringSeedStep.run(m, {
        db: sut.dataSource, config: sut.config, clock: sut.clock, audit: sut.app.get(AuditService),
        actor: { principal: null, correlationId: null, system: 'seed' }, log: () => undefined,
        orgIds: new Map(), userIds: new Map(), zoneIds: new Map(),
      }),
    );
    expect(await counts()).toEqual(before);
    expect(await fingerprint()).toBe(h);
    // the same seed in another database gives the same cores
    const other = await createTestApp();
    try {
      const h2 = (await other.db.admin.query(`SELECT md5(string_agg(code || result || ST_AsText(geom), ',' ORDER BY code)) AS h FROM coring_points WHERE status = 'cored'`)).rows[0].h;
      expect(h2).toBe(h);
    } finally {
      await other.close();
    }
  });
});
