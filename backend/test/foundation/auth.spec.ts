import { TestApp, createTestApp } from '../support/test-app';

describe('POST /api/auth/login (API.md)', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await createTestApp({ config: { lockout: { maxFailures: 5, windowSeconds: 900, lockSeconds: 900 } } });
  });
  afterAll(() => sut.close());

  it('signs the demo assessor in with tokens, roles and org', async () => {
    const res = await sut.request<any>('POST', '/api/auth/login', { body: { username: 'assessor', password: 'Qianzhi@2026' } });
    expect(res.status).toBe(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(res.body.refreshToken).toEqual(expect.any(String));
    expect(res.body.user).toMatchObject({ username: 'assessor', roles: ['assessor'], org: { type: 'institute', name: '山西省考古研究院' } });
    expect(res.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
    const me = await sut.request<any>('GET', '/api/auth/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('assessor');
  });

  it.each(['admin', 'assessor', 'reviewer', 'authority', 'committee', 'contractor'])('demo account %s logs in', async (u) => {
    expect(await sut.login(u)).toEqual(expect.any(String));
  });

  it('refuses a wrong password with 401 and a Chinese message by default, English on request', async () => {
    const zh = await sut.request<any>('POST', '/api/auth/login', { body: { username: 'reviewer', password: 'wrong-password' } });
    expect(zh.status).toBe(401);
    expect(zh.body).toEqual({ code: 'login_failed', message: '用户名或密码错误' });
    const en = await sut.request<any>('POST', '/api/auth/login', { body: { username: 'reviewer', password: 'wrong-password' }, lang: 'en' });
    expect(en.body.message).toBe('Wrong username or password');
    const unknown = await sut.request<any>('POST', '/api/auth/login', { body: { username: 'nobody', password: 'x' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('login_failed');
  });

  it('locks an account after 5 failures within the window, answers 423 with the unlock time, and unlocks after it', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await sut.request('POST', '/api/auth/login', { body: { username: 'contractor', password: `bad${i}` } });
      expect(r.status).toBe(401);
    }
    const fifth = await sut.request<any>('POST', '/api/auth/login', { body: { username: 'contractor', password: 'bad5' } });
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('account_locked');
    expect(fifth.body.details.unlocksAt).toBe('2026-11-27T10:15:00.000+08:00');
    expect(fifth.body.message).toContain('2026-11-27T10:15:00.000+08:00');
    // even the right password is refused while locked
    const locked = await sut.request('POST', '/api/auth/login', { body: { username: 'contractor', password: 'Qianzhi@2026' } });
    expect(locked.status).toBe(423);
    sut.clock.advance(15 * 60 * 1000 + 1000);
    const after = await sut.request('POST', '/api/auth/login', { body: { username: 'contractor', password: 'Qianzhi@2026' } });
    expect(after.status).toBe(200);
  });

  it('failures spread beyond the window do not lock the account', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await sut.request('POST', '/api/auth/login', { body: { username: 'committee', password: 'bad' } })).status).toBe(401);
    }
    sut.clock.advance(16 * 60 * 1000);
    expect((await sut.request('POST', '/api/auth/login', { body: { username: 'committee', password: 'bad' } })).status).toBe(401);
    expect((await sut.request('POST', '/api/auth/login', { body: { username: 'committee', password: 'Qianzhi@2026' } })).status).toBe(200);
  });

  it('rotates refresh tokens and revokes the family when a used one is replayed', async () => {
    const first = await sut.request<any>('POST', '/api/auth/login', { body: { username: 'reviewer', password: 'Qianzhi@2026' } });
    const second = await sut.request<any>('POST', '/api/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    const replay = await sut.request<any>('POST', '/api/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(replay.status).toBe(401);
    // the replay revoked the whole family, including the token issued by the rotation
    const stolen = await sut.request('POST', '/api/auth/refresh', { body: { refreshToken: second.body.refreshToken } });
    expect(stolen.status).toBe(401);
  });

  it('expires access tokens after their lifetime (clock injected, no sleeping)', async () => {
    const token = await sut.login('assessor');
    expect((await sut.request('GET', '/api/auth/me', { token })).status).toBe(200);
    sut.clock.advance((sut.config.accessTokenTtlSeconds + 5) * 1000);
    const expired = await sut.request<any>('GET', '/api/auth/me', { token });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('token_invalid');
  });

  it('rejects a forged token', async () => {
    const res = await sut.request<any>('GET', '/api/auth/me', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' });
    expect(res.status).toBe(401);
  });
});
