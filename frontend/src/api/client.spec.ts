import { describe, expect, it } from 'vitest';
import { ApiError, unwrap } from './api-error';
import type { LoginResponse } from './api-types';
import { createApiClient } from './client';
import { createSessionStore, type SessionEndReason } from './session.store';

function loginResponse(accessToken: string, refreshToken: string): LoginResponse {
  return {
    accessToken,
    refreshToken,
    expiresIn: 900,
    user: {
      id: '7c0e3a36-1f43-4a4f-9d0f-6a4f8b7f0001',
      username: 'assessor',
      displayName: '评估员',
      roles: ['assessor'],
      org: { id: '7c0e3a36-1f43-4a4f-9d0f-6a4f8b7f0002', type: 'institute', name: '山西省考古研究院', divisionCode: '140000' },
      scopes: [{ role: 'assessor', scopeType: 'province', divisionCode: '140000', zoneId: null, orgId: null }],
    },
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

interface Seen {
  method: string;
  path: string;
  auth: string | null;
  lang: string | null;
  body: string;
}

/** A fake server: access token "fresh" is valid, "stale" is expired; refresh token "r1" is valid once. */
function fakeServer(options: { refreshOk: boolean }) {
  const seen: Seen[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const body = await request.text();
    seen.push({ method: request.method, path, auth: request.headers.get('Authorization'), lang: request.headers.get('Accept-Language'), body });
    if (path === '/api/auth/refresh') {
      return options.refreshOk && JSON.parse(body).refreshToken === 'r1'
        ? json(200, loginResponse('fresh', 'r2'))
        : json(401, { code: 'invalid_refresh_token', message: '登录已失效' });
    }
    if (path === '/api/auth/login') return json(401, { code: 'invalid_credentials', message: '用户名或密码错误' });
    if (request.headers.get('Authorization') !== 'Bearer fresh') return json(401, { code: 'unauthorized', message: '未登录' });
    if (path === '/api/auth/logout') return new Response(null, { status: 204 });
    return json(200, { tiandituKey: null });
  };
  return { fetch, seen };
}

function setup(options: { refreshOk: boolean; language?: string }) {
  const server = fakeServer(options);
  const session = createSessionStore(undefined);
  session.set(loginResponse('stale', 'r1'));
  const ended: (SessionEndReason | undefined)[] = [];
  session.subscribe((s, reason) => {
    if (!s) ended.push(reason);
  });
  const sut = createApiClient({ baseUrl: 'http://qianzhi.test', session, language: () => options.language ?? 'zh-CN', fetch: server.fetch });
  return { sut, session, server, ended };
}

describe('api client', () => {
  it('refreshes an expired token once and replays the request with the new token', async () => {
    const { sut, session, server } = setup({ refreshOk: true });

    const result = await sut.GET('/api/config/public');

    expect(result.response.status).toBe(200);
    expect(result.data).toEqual({ tiandituKey: null });
    expect(server.seen.map((s) => `${s.path} ${s.auth ?? '-'}`)).toEqual([
      '/api/config/public Bearer stale',
      '/api/auth/refresh -',
      '/api/config/public Bearer fresh',
    ]);
    expect(session.get()?.accessToken).toBe('fresh');
    expect(session.get()?.refreshToken).toBe('r2');
  });

  it('does not refresh for logout: an expired session is simply ended locally', async () => {
    const { sut, server } = setup({ refreshOk: true });

    const result = await sut.POST('/api/auth/logout', { body: { refreshToken: 'r1' } });

    expect(result.response.status).toBe(401);
    expect(server.seen.map((s) => s.path)).toEqual(['/api/auth/logout']);
    expect(server.seen[0]?.body).toBe(JSON.stringify({ refreshToken: 'r1' }));
  });

  it('ends the session when the refresh is refused, so the app returns to the login page', async () => {
    const { sut, session, ended } = setup({ refreshOk: false });

    await expect(unwrap(sut.GET('/api/auth/me'))).rejects.toMatchObject({ status: 401, code: 'unauthorized' });

    expect(session.get()).toBeNull();
    expect(ended).toEqual(['expired']);
  });

  it('never refreshes on a failed login: 401 there means a wrong password', async () => {
    const { sut, server, session } = setup({ refreshOk: true });

    const error = await unwrap(sut.POST('/api/auth/login', { body: { username: 'assessor', password: 'x' } })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('用户名或密码错误');
    expect(server.seen.map((s) => s.path)).toEqual(['/api/auth/login']);
    expect(session.get()?.accessToken).toBe('stale');
  });

  it('shares one refresh between concurrent requests', async () => {
    const { sut, server } = setup({ refreshOk: true });

    const results = await Promise.all([sut.GET('/api/config/public'), sut.GET('/api/zones'), sut.GET('/api/divisions')]);

    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200]);
    expect(server.seen.filter((s) => s.path === '/api/auth/refresh')).toHaveLength(1);
  });

  it('asks for server messages in the UI language', async () => {
    const { sut, server } = setup({ refreshOk: true, language: 'en' });
    await sut.GET('/api/config/public');
    expect(new Set(server.seen.map((s) => s.lang))).toEqual(new Set(['en']));
  });
});
