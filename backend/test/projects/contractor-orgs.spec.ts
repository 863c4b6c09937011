import { buildWorld, createCommitteeTestApp, World } from '../clearance/committee-world';
import { TestApp } from '../support/test-app';

describe('GET /api/contractor-orgs (the committee picks a contractor for a project)', () => {
  let sut: TestApp;
  let w: World;

  beforeAll(async () => {
    sut = await createCommitteeTestApp();
    w = await buildWorld(sut);
  });
  afterAll(() => sut.close());

  it('lists the contractor organisations, id and name only, for committees and admins', async () => {
    const expected = (await sut.db.admin.query(`SELECT id, name FROM organizations WHERE type = 'contractor' ORDER BY name, id`)).rows;
    expect(expected.length).toBeGreaterThan(0);
    for (const who of ['committee', 'committee_b', 'admin']) {
      const res = await sut.request<any[]>('GET', '/api/contractor-orgs', { token: w.tokens[who] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expected);
    }
    expect(expected.map((o: { id: string }) => o.id)).toContain(w.contractorOrgId);
  });

  it('is denied to every other role and to anonymous callers', async () => {
    for (const who of ['assessor', 'reviewer', 'authority', 'contractor']) {
      const res = await sut.request<any>('GET', '/api/contractor-orgs', { token: w.tokens[who] });
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
    }
    expect((await sut.request('GET', '/api/contractor-orgs')).status).toBe(401);
  });
});
