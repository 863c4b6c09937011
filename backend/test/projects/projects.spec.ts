import { buildWorld, commitAndAccept, createCommitteeTestApp, createParcel, World } from '../clearance/committee-world';
import { TestApp } from '../support/test-app';

describe('construction projects', () => {
  let sut: TestApp;
  let w: World;
  let transferred: any;
  let pending: any;

  beforeAll(async () => {
    sut = await createCommitteeTestApp();
    w = await buildWorld(sut);
    await commitAndAccept(sut, w, w.planV1Id);
    transferred = await createParcel(sut, w, w.industrialZoneId, 'P-1', [113.506, 36.506, 113.508, 36.508]);
    await sut.request('POST', `/api/parcels/${transferred.id}/transfer`, { token: w.tokens.committee, body: { transferredAt: '2026-12-01T10:00:00+08:00' } });
    pending = await createParcel(sut, w, w.industrialZoneId, 'P-2', [113.501, 36.506, 113.503, 36.508]);
  });
  afterAll(() => sut.close());

  it('a project needs a transferred parcel (409 otherwise) and a contractor organisation', async () => {
    const notYet = await sut.request<any>('POST', '/api/projects', { token: w.tokens.committee, body: { parcelId: pending.id, name: '未出让项目', contractorOrgId: w.contractorOrgId } });
    expect(notYet.status).toBe(409);
    expect(notYet.body.code).toBe('project_parcel_not_transferred');
    const wrongOrg = await sut.request<any>('POST', '/api/projects', { token: w.tokens.committee, body: { parcelId: transferred.id, name: '项目', contractorOrgId: w.committeeOrgId } });
    expect(wrongOrg.status).toBe(422);
    const ok = await sut.request<any>('POST', '/api/projects', { token: w.tokens.committee, body: { parcelId: transferred.id, name: '晋通新材料厂房一期', contractorOrgId: w.contractorOrgId } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ state: 'active', parcelCode: 'P-1', contractor: { id: w.contractorOrgId } });
  });

  it('GET /api/projects gives the contractor exactly its projects in the API.md shape', async () => {
    const res = await sut.request<any[]>('GET', '/api/projects', { token: w.tokens.contractor });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(Object.keys(res.body[0]).sort()).toEqual(['id', 'name', 'parcelId', 'state', 'zoneId']);
    expect(res.body[0]).toMatchObject({ name: '晋通新材料厂房一期', state: 'active', zoneId: w.industrialZoneId, parcelId: transferred.id });
    expect((await sut.request<any[]>('GET', '/api/projects', { token: w.tokens.committee })).body).toHaveLength(1);
    expect((await sut.request<any[]>('GET', '/api/projects', { token: w.tokens.reviewer })).body).toHaveLength(1);
    expect((await sut.request<any[]>('GET', '/api/projects', { token: w.tokens.authority })).body).toHaveLength(1);
  });

  it('the contractor now sees its project’s zone and parcel (verdict, no zoning geometry), but no zoning plans', async () => {
    const zones = (await sut.request<any[]>('GET', '/api/zones', { token: w.tokens.contractor })).body;
    expect(zones.map((z) => z.code)).toEqual(['T-IND']);
    const parcels = (await sut.request<any[]>('GET', '/api/parcels', { token: w.tokens.contractor })).body;
    expect(parcels.map((p) => p.code)).toEqual(['P-1']);
    const detail = await sut.request<any>('GET', `/api/parcels/${transferred.id}`, { token: w.tokens.contractor });
    expect(detail.body.clearance.verdict).toBe('cleared');
    expect(detail.body.clearance.blockingAreas).toBeUndefined();
    expect((await sut.request('GET', `/api/parcels/${pending.id}`, { token: w.tokens.contractor })).status).toBe(404);
    // the map applies the same scope: its own parcel only, for the committee both
    const layer = async (token: string | undefined) => (await sut.request<any>('GET', '/api/layers/parcels?bbox=113.4,36.4,113.8,36.6', { token })).body.features.map((f: any) => f.properties.code).sort();
    expect(await layer(w.tokens.contractor)).toEqual(['P-1']);
    expect(await layer(w.tokens.committee)).toEqual(['P-1', 'P-2']);
    expect(await layer(w.tokens.committee_b)).toEqual([]);
    const plans = await sut.request<any>('GET', `/api/zoning-plans?zoneId=${w.industrialZoneId}`, { token: w.tokens.contractor });
    expect(plans.status === 403 || (Array.isArray(plans.body) && plans.body.length === 0)).toBe(true);
  });

  it('denied: another zone’s committee sees no projects and cannot create one; contractors and reviewers cannot create', async () => {
    expect((await sut.request<any[]>('GET', '/api/projects', { token: w.tokens.committee_b })).body).toEqual([]);
    const [p] = (await sut.request<any[]>('GET', '/api/projects', { token: w.tokens.committee })).body;
    expect((await sut.request('GET', `/api/projects/${p.id}`, { token: w.tokens.committee_b })).status).toBe(404);
    const body = { parcelId: transferred.id, name: 'x', contractorOrgId: w.contractorOrgId };
    expect((await sut.request('POST', '/api/projects', { token: w.tokens.committee_b, body })).status).toBe(404);
    expect((await sut.request('POST', '/api/projects', { token: w.tokens.contractor, body })).status).toBe(403);
    expect((await sut.request('POST', '/api/projects', { token: w.tokens.reviewer, body })).status).toBe(403);
  });
});
