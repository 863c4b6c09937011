import { vi } from 'vitest';
import { session } from '../api/client';

/**
 * The API as a page spec sees it: `fetch` stubbed with the spec's handler, the calls every page makes in the
 * background answered (the current user, the public config), anything else a 404 in the server's shape. It
 * records what the page sent. Call `resetFakeApi()` after each test.
 */
export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export interface SeenRequest {
  method: string;
  path: string;
  search: string;
  body: string;
}

export type FakeHandler = (request: Request, path: string, body: string) => Response | undefined;

export function fakeApi(handler: FakeHandler): SeenRequest[] {
  const seen: SeenRequest[] = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const body = await request.clone().text();
    seen.push({ method: request.method, path: url.pathname, search: url.search, body });
    const answer = handler(request, url.pathname, body);
    if (answer) return answer;
    if (url.pathname === '/api/auth/me') return json(200, session.get()!.user);
    if (url.pathname === '/api/config/public') return json(200, { tiandituKey: null });
    return json(404, { code: 'not_found', message: '不存在' });
  });
  return seen;
}

/** Signs a user in (tokens are never checked by the fake API) and opens `path`. */
export function signInAs(user: { roles: string[]; org: { id: string; name: string; type: string }; id?: string; username?: string; displayName?: string }, path = '/'): void {
  session.set({
    accessToken: 'token',
    refreshToken: 'refresh',
    expiresIn: 900,
    user: { id: user.id ?? 'u-1', username: user.username ?? 'demo', displayName: user.displayName ?? '演示用户', roles: user.roles, org: user.org, scopes: [] },
  } as never);
  window.history.pushState({}, '', path);
}

export function resetFakeApi(): void {
  vi.unstubAllGlobals();
  session.clear('logout');
}
