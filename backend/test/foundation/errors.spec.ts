import { TestApp, createTestApp } from '../support/test-app';

describe('API conventions', () => {
  let sut: TestApp;
  let admin: string;
  beforeAll(async () => {
    sut = await createTestApp();
    admin = await sut.login('admin');
  });
  afterAll(() => sut.close());

  it('validation errors are 400 naming each field, in Chinese by default and English on request', async () => {
    const zh = await sut.request<any>('POST', '/api/admin/orgs', { token: admin, body: { type: 'pirate', name: '', divisionCode: '14' } });
    expect(zh.status).toBe(400);
    expect(zh.body.code).toBe('validation_failed');
    expect(zh.body.message).toBe('提交的数据有误，请检查标出的字段');
    const fields = zh.body.details.map((d: any) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['type', 'name', 'divisionCode']));
    expect(zh.body.details.find((d: any) => d.field === 'type').message).toContain('取值不在允许范围内');
    const en = await sut.request<any>('POST', '/api/admin/orgs', { token: admin, body: { type: 'pirate', name: 'x', divisionCode: '140405' }, lang: 'en' });
    expect(en.body.message).toBe('The submitted data is invalid; check the fields listed');
    expect(en.body.details).toEqual([{ field: 'type', message: expect.stringContaining('must be one of') }]);
  });

  it('unknown fields are refused, not silently dropped', async () => {
    const res = await sut.request<any>('POST', '/api/admin/orgs', { token: admin, body: { type: 'contractor', name: '某公司', divisionCode: '140405', isAdmin: true } });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'isAdmin', message: '不允许的字段' }]);
  });

  it('malformed JSON is a 400 with our error shape', async () => {
    const res = await sut.request<any>('POST', '/api/auth/login', { body: '{"username": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('malformed_json');
  });

  it('an invalid boundary geometry is a 422 naming the self-intersection and where it is', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[112.9, 36.3], [112.91, 36.31], [112.91, 36.3], [112.9, 36.31], [112.9, 36.3]]] };
    const res = await sut.request<any>('POST', '/api/zones', {
      token: admin,
      body: { code: 'BOWTIE', name: '蝴蝶结', category: 'industrial', level: 'provincial', divisionCode: '140405', boundary: bowtie },
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_geometry');
    expect(res.body.details.reason).toMatch(/Self-intersection/);
    expect(res.body.details.location.coordinates[0]).toBeCloseTo(112.905, 6);
    expect(res.body.message).toContain('Self-intersection');
    // nothing was stored
    const count = await sut.db.admin.query(`SELECT count(*) FROM zones WHERE code = 'BOWTIE'`);
    expect(count.rows[0].count).toBe('0');
  });

  it('an admin registers a zone whose area is computed on the ellipsoid and shown in 亩 and hectares', async () => {
    // ~1 km × ~1 km square near Tunliu
    const ring = [[112.8, 36.2], [112.8111, 36.2], [112.8111, 36.209], [112.8, 36.209], [112.8, 36.2]];
    const res = await sut.request<any>('POST', '/api/zones', {
      token: admin,
      body: { code: 'TEST-SQ', name: '测试园区', category: 'agricultural', level: 'provincial', divisionCode: '140405', boundary: { type: 'Polygon', coordinates: [ring] } },
    });
    expect(res.status).toBe(201);
    const exact = (await sut.db.admin.query(`SELECT ST_Area(boundary::geography) AS a FROM zones WHERE code = 'TEST-SQ'`)).rows[0].a as number;
    expect(res.body.areaM2).toBeCloseTo(exact, 0);
    expect(res.body.areaMu).toBeCloseTo(exact / (10000 / 15), 1);
    expect(res.body.areaHa).toBeCloseTo(exact / 10000, 3);
    expect(res.body.assessmentStatus).toBe('not_applicable');
    expect(res.body.boundary.type).toBe('MultiPolygon');
    const dup = await sut.request<any>('POST', '/api/zones', {
      token: admin,
      body: { code: 'TEST-SQ', name: '重复', category: 'agricultural', level: 'provincial', divisionCode: '140405', boundary: { type: 'Polygon', coordinates: [ring] } },
    });
    expect(dup.status).toBe(409);
  });

  it('unknown routes are 404 in our error shape', async () => {
    const res = await sut.request<any>('GET', '/api/no-such-thing', { token: admin });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
  });

  it('unexpected failures are 500 without a stack trace, with the correlation id in a header and the message', async () => {
    // break this test's own database under the API: the login query now fails unexpectedly
    await sut.db.admin.query(`ALTER TABLE login_attempts RENAME TO login_attempts_gone`);
    try {
      const res = await sut.request<any>('POST', '/api/auth/login', { body: { username: 'assessor', password: 'Qianzhi@2026' } });
      expect(res.status).toBe(500);
      expect(res.body.code).toBe('internal_error');
      const correlationId = String(res.headers['x-correlation-id']);
      expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.message).toContain(correlationId);
      expect(JSON.stringify(res.body)).not.toMatch(/login_attempts|at .*\.ts|QueryFailedError/);
    } finally {
      await sut.db.admin.query(`ALTER TABLE login_attempts_gone RENAME TO login_attempts`);
    }
  });

  it('a caller-supplied correlation id is echoed back', async () => {
    const res = await sut.request('GET', '/api/health', { headers: { 'x-correlation-id': 'field-app-12345678' } });
    expect(res.headers['x-correlation-id']).toBe('field-app-12345678');
  });

  it('serves the OpenAPI document', async () => {
    const res = await sut.request<any>('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/zones', '/api/health', '/api/audit/verify']));
  });
});
