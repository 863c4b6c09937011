import { TestApp, createTestApp } from '../support/test-app';

const ADMIN_ENDPOINTS: Array<[string, string, unknown?]> = [
  ['GET', '/api/admin/users'],
  ['GET', '/api/admin/orgs'],
  ['GET', '/api/admin/api-keys'],
  ['POST', '/api/admin/orgs', { type: 'contractor', name: 'x', divisionCode: '140405' }],
  ['POST', '/api/admin/users', { username: 'xx1', displayName: 'x', password: 'Abcdef1234!', orgId: '00000000-0000-4000-8000-000000000000', roles: [{ role: 'contractor', scopeType: 'org', orgId: '00000000-0000-4000-8000-000000000000' }] }],
  ['POST', '/api/admin/divisions', { code: '140999', name: 'x', level: 'county', parentCode: '140400' }],
  ['POST', '/api/admin/service-accounts', { username: 'svc1', displayName: 'x', orgId: '00000000-0000-4000-8000-000000000000' }],
  ['POST', '/api/zones', { code: 'X1', name: 'x', category: 'industrial', level: 'provincial', divisionCode: '140405', boundary: { type: 'Polygon', coordinates: [[[112, 36], [112.01, 36], [112.01, 36.01], [112, 36]]] } }],
];

describe('roles and scopes', () => {
  let sut: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    sut = await createTestApp();
    for (const u of ['admin', 'assessor', 'reviewer', 'authority', 'authority_city', 'committee', 'contractor']) tokens[u] = await sut.login(u);
  });
  afterAll(() => sut.close());

  describe('admin endpoints deny every non-admin role', () => {
    const roles = ['assessor', 'reviewer', 'authority', 'committee', 'contractor'];
    it.each(ADMIN_ENDPOINTS.flatMap(([m, url, body]) => roles.map((r) => [r, m, url, body] as const)))('%s → %s %s is 403', async (role, method, url, body) => {
      const res = await sut.request<any>(method, url, { token: tokens[role], body });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden_role');
    });
    it('anonymous callers get 401', async () => {
      expect((await sut.request('GET', '/api/admin/users')).status).toBe(401);
      expect((await sut.request('GET', '/api/zones')).status).toBe(401);
    });
    it('the admin may use them', async () => {
      const res = await sut.request<any[]>('GET', '/api/admin/users', { token: tokens.admin });
      expect(res.status).toBe(200);
      expect(res.body.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'assessor', 'contractor']));
    });
  });

  it("a token of one org cannot read another org's user list, but reads its own", async () => {
    const orgs = (await sut.request<any[]>('GET', '/api/admin/orgs', { token: tokens.admin })).body;
    const committeeOrg = orgs.find((o) => o.type === 'zone_committee' && o.name.startsWith('屯留'))!;
    const contractorOrg = orgs.find((o) => o.type === 'contractor')!;
    const own = await sut.request<any[]>('GET', `/api/orgs/${committeeOrg.id}/users`, { token: tokens.committee });
    expect(own.status).toBe(200);
    expect(own.body.map((u) => u.username)).toEqual(['committee']);
    const other = await sut.request<any>('GET', `/api/orgs/${contractorOrg.id}/users`, { token: tokens.committee });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('forbidden_scope');
  });

  it('a division scope covers its child divisions and not its siblings', async () => {
    const codes = async (who: string): Promise<string[]> =>
      (await sut.request<any[]>('GET', '/api/zones', { token: tokens[who] })).body.map((z) => z.division.code).sort();
    // Changzhi city (140400) sees its counties Tunliu (140405) and Luzhou (140403)
    expect(await codes('authority_city')).toEqual(['140403', '140405']);
    // Tunliu county (140405) sees only itself, not its sibling Luzhou nor other cities
    expect(await codes('authority')).toEqual(['140405']);
    // province-wide reviewer sees all nine demo zones
    expect((await codes('reviewer')).length).toBe(9);
    // the committee sees the zone it manages
    const committee = (await sut.request<any[]>('GET', '/api/zones', { token: tokens.committee })).body;
    expect(committee.map((z) => z.name)).toEqual(['屯留经济技术开发区']);
    // a contractor sees only the zone of its projects (the demo contractor builds in Tunliu), and a zone
    // outside a caller's scope is a 404, not a hint
    expect((await sut.request<any[]>('GET', '/api/zones', { token: tokens.contractor })).body.map((z) => z.name)).toEqual(['屯留经济技术开发区']);
    const gaoping = (await sut.request<any[]>('GET', '/api/zones', { token: tokens.reviewer })).body.find((z) => z.division.code === '140581')!;
    expect((await sut.request('GET', `/api/zones/${gaoping.id}`, { token: tokens.authority })).status).toBe(404);
    expect((await sut.request('GET', `/api/zones/${gaoping.id}`, { token: tokens.reviewer })).status).toBe(200);
  });

  it('the zones layer applies the same scope (no side door through the map)', async () => {
    const fc = async (who: string) => (await sut.request<any>('GET', '/api/layers/zones?bbox=110,34,115,41', { token: tokens[who] })).body;
    expect((await fc('authority')).features.map((f: any) => f.properties.name)).toEqual(['屯留经济技术开发区']);
    expect((await fc('contractor')).features.map((f: any) => f.properties.name)).toEqual(['屯留经济技术开发区']);
    expect((await fc('assessor')).features.length).toBe(9);
  });

  it('an API key works for its scope and stops working once revoked', async () => {
    const orgs = (await sut.request<any[]>('GET', '/api/admin/orgs', { token: tokens.admin })).body;
    const bureau = orgs.find((o) => o.type === 'bureau')!;
    const svc = await sut.request<any>('POST', '/api/admin/service-accounts', { token: tokens.admin, body: { username: 'land-system', displayName: '土地出让系统', orgId: bureau.id } });
    expect(svc.status).toBe(201);
    expect(svc.body.roles).toEqual([{ role: 'integrator', scopeType: 'province', divisionCode: '140000' }]);
    const created = await sut.request<any>('POST', `/api/admin/service-accounts/${svc.body.id}/api-keys`, { token: tokens.admin, body: { name: '测试密钥' } });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^qz_/);
    // only a hash is stored
    const stored = await sut.db.admin.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [created.body.id]);
    expect(stored.rows[0].key_hash).not.toContain(key.slice(16));
    const me = await sut.request<any>('GET', '/api/auth/me', { apiKey: key });
    expect(me.status).toBe(200);
    expect(me.body.roles).toEqual(['integrator']);
    // integrators ask for clearance only: no zones registry
    expect((await sut.request('GET', '/api/zones', { apiKey: key })).status).toBe(403);
    const revoked = await sut.request<any>('POST', `/api/admin/api-keys/${created.body.id}/revoke`, { token: tokens.admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toMatch(/\+08:00$/);
    const after = await sut.request<any>('GET', '/api/auth/me', { apiKey: key });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('api_key_invalid');
    expect((await sut.request('GET', '/api/auth/me', { apiKey: 'qz_notarealkey12_' + 'x'.repeat(40) })).status).toBe(401);
  });

  it('admin creates a user with a division scope; weak passwords and mismatched roles are refused', async () => {
    const orgs = (await sut.request<any[]>('GET', '/api/admin/orgs', { token: tokens.admin })).body;
    const cityAuthority = orgs.find((o) => o.name === '长治市文物局')!;
    const weak = await sut.request<any>('POST', '/api/admin/users', {
      token: tokens.admin,
      body: { username: 'weakling', displayName: '弱', password: 'short', orgId: cityAuthority.id, roles: [{ role: 'authority_officer', scopeType: 'division', divisionCode: '140400' }] },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.details[0].field).toBe('password');
    const wrongRole = await sut.request<any>('POST', '/api/admin/users', {
      token: tokens.admin,
      body: { username: 'wrongrole', displayName: '错', password: 'Strong#Pass2026', orgId: cityAuthority.id, roles: [{ role: 'contractor', scopeType: 'org', orgId: cityAuthority.id }] },
    });
    expect(wrongRole.status).toBe(422);
    const ok = await sut.request<any>('POST', '/api/admin/users', {
      token: tokens.admin,
      body: { username: 'luzhou', displayName: '潞州文保', password: 'Strong#Pass2026', orgId: cityAuthority.id, roles: [{ role: 'authority_officer', scopeType: 'division', divisionCode: '140403' }] },
    });
    expect(ok.status).toBe(201);
    const token = await sut.login('luzhou', 'Strong#Pass2026');
    const zones = (await sut.request<any[]>('GET', '/api/zones', { token })).body;
    expect(zones.map((z) => z.division.code)).toEqual(['140403']);
    const history = await sut.request<any[]>('GET', `/api/users/${ok.body.id}/history`, { token: tokens.admin });
    expect(history.status).toBe(200);
    expect(history.body.map((e) => e.action)).toEqual(['user.create']);
    expect((await sut.request('GET', `/api/users/${ok.body.id}/history`, { token: tokens.reviewer })).status).toBe(403);
  });
});
