import { AuditService } from '../../src/modules/audit/audit.service';
import { SeedContext } from '../../src/seed/seed';
import { committeeSeedStep } from '../../src/seed/steps/committee.seed';
import { TestApp } from '../support/test-app';
import { createCommitteeTestApp } from './committee-world';

/**
 * The committee seed step on top of a Tunliu zoning shaped like the zoning seed's story (v1 issued, then
 * v2 issued with more release land), written here in SQL: the step must find a place for every verdict.
 */
describe('committee demo seed step', () => {
  let sut: TestApp;
  let ctx: SeedContext;
  const logs: string[] = [];

  beforeAll(async () => {
    sut = await createCommitteeTestApp();
    const q = (sql: string, p: unknown[] = []) => sut.db.admin.query(sql, p);
    const zone = (await q(`SELECT id FROM zones WHERE code = 'SX-CZ-TLETDZ'`)).rows[0].id as string;
    // thirds of the zone's bounding box, west to east: avoidance | exploration (south) + release (north) | release added by v2
    const part = (i: number, south?: boolean) => `
      ST_CollectionExtract(ST_Intersection(z.boundary, ST_MakeEnvelope(
        ST_XMin(z.boundary) + (ST_XMax(z.boundary) - ST_XMin(z.boundary)) * ${i} / 3.0,
        ${south === false ? '(ST_YMin(z.boundary) + ST_YMax(z.boundary)) / 2' : 'ST_YMin(z.boundary)'},
        ST_XMin(z.boundary) + (ST_XMax(z.boundary) - ST_XMin(z.boundary)) * ${i + 1} / 3.0,
        ${south === true ? '(ST_YMin(z.boundary) + ST_YMax(z.boundary)) / 2' : 'ST_YMax(z.boundary)'}, 4490)), 3)`;
    for (const version of [1, 2]) {
      const f = await q(`INSERT INTO stored_files (storage_key, sha256, bytes, content_type) VALUES ($1, $2, 0, 'application/pdf') RETURNING id`, [`test/tl-${version}`, '1'.repeat(64)]);
      await q(`UPDATE zoning_plans SET state = 'superseded' WHERE zone_id = $1 AND state = 'issued'`, [zone]);
      const plan = (await q(
        `INSERT INTO zoning_plans (zone_id, version, state, issued_at, document_number, opinion_file_id) VALUES ($1, $2, 'issued', now() - interval '1 day' * (60 / $2), $3, $4) RETURNING id`,
        [zone, version, `晋文物函〔2026〕${version}号`, f.rows[0].id],
      )).rows[0].id;
      const areas: Array<[string, string]> = [['avoidance', part(0)], ['exploration', part(1, true)], ['release', part(1, false)]];
      if (version === 2) areas.push(['release', part(2)]);
      for (const [category, g] of areas) {
        await q(`INSERT INTO zoning_areas (plan_id, category, geom) SELECT $1, $2, (ST_Dump(${g})).geom FROM zones z WHERE z.id = $3`, [plan, category, zone]);
      }
    }
    ctx = {
      db: sut.dataSource, config: sut.config, clock: sut.clock, audit: sut.app.get(AuditService),
      actor: { principal: null, correlationId: null, system: 'seed' }, log: (m) => logs.push(m),
      orgIds: new Map((await q(`SELECT id, name FROM organizations`)).rows.map((r: any) => [r.name === '山西省文物局' ? 'bureau' : r.name, r.id])),
      userIds: new Map((await q(`SELECT id, username FROM users`)).rows.map((r: any) => [r.username, r.id])),
      zoneIds: new Map(),
    };
    await sut.dataSource.transaction((m) => committeeSeedStep.run(m, ctx));
  });
  afterAll(() => sut.close());

  it('seeds an accepted v1 letter with its PDF, so v1 release land is released and v2’s new land pending', async () => {
    const reviewer = await sut.login('reviewer');
    const letters = (await sut.request<any[]>('GET', '/api/commitments', { token: reviewer })).body;
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ state: 'accepted', planVersion: 1 });
    expect((await sut.request<any>('GET', `/api/commitments/${letters[0].id}/verify`, { token: reviewer })).body.ok).toBe(true);
  });

  it('has a parcel for every verdict, and the contractor’s active project on a transferred cleared parcel', async () => {
    const committee = await sut.login('committee');
    const admin = await sut.login('admin');
    const parcels = (await sut.request<any[]>('GET', '/api/parcels', { token: admin })).body;
    const verdicts = Object.fromEntries(parcels.map((p) => [p.code, p.clearance.verdict]));
    expect(verdicts).toEqual({
      'TL-2026-01': 'cleared', 'TL-2026-02': 'cleared', 'TL-2026-03': 'pending_commitment', 'TL-2026-04': 'exploration_required',
      'TL-2026-05': 'blocked', 'JZ-2026-01': 'individual_survey_required',
    });
    expect(parcels.find((p) => p.code === 'TL-2026-01').transferredAt).toMatch(/\+08:00$/);
    expect((await sut.request<any[]>('GET', '/api/parcels', { token: committee })).body).toHaveLength(5);
    const projects = (await sut.request<any[]>('GET', '/api/projects', { token: await sut.login('contractor') })).body;
    expect(projects).toEqual([expect.objectContaining({ state: 'active', parcelId: parcels.find((p) => p.code === 'TL-2026-01').id })]);
  });

  it('prints a working demo integrator key, and a second run changes nothing', async () => {
    const line = logs.find((l) => l.includes('demo integrator API key'))!;
    const key = /(qz_[A-Za-z0-9]{12}_[A-Za-z0-9_-]+)/.exec(line)![1]!;
    const res = await sut.request<any>('POST', '/api/clearance', { apiKey: key, body: { zoneCode: 'SX-CZ-TLETDZ', parcelCode: 'TL-2026-03' } });
    expect(res.body.verdict).toBe('pending_commitment');
    const before = (await sut.db.admin.query(`SELECT (SELECT count(*) FROM parcels) p, (SELECT count(*) FROM commitments) c, (SELECT count(*) FROM projects) j`)).rows[0];
    await sut.dataSource.transaction((m) => committeeSeedStep.run(m, ctx));
    expect((await sut.db.admin.query(`SELECT (SELECT count(*) FROM parcels) p, (SELECT count(*) FROM commitments) c, (SELECT count(*) FROM projects) j`)).rows[0]).toEqual(before);
  });
});
