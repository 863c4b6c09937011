import createClient, { type Client } from 'openapi-fetch';
import { currentLanguage } from '../i18n/i18n.config';
import type { LoginResponse } from './api-types';
import type { paths } from './schema';
import { createSessionStore, type SessionStore } from './session.store';

export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  baseUrl: string;
  session: SessionStore;
  /** The UI language, sent as Accept-Language so server messages come back in it. */
  language: () => string;
  fetch?: (request: Request) => Promise<Response>;
}

/** Endpoints where a 401 means "wrong credentials", not "token expired": never refresh on them. */
const NO_REFRESH_PATHS = ['/api/auth/login', '/api/auth/refresh', '/api/auth/logout'];

function withHeaders(request: Request, accessToken: string | undefined, language: string): Request {
  const next = new Request(request);
  next.headers.set('Accept-Language', language === 'en' ? 'en' : 'zh-CN');
  if (accessToken) next.headers.set('Authorization', `Bearer ${accessToken}`);
  return next;
}

/**
 * One typed client for the whole app. On a 401 it refreshes the token once (shared by concurrent callers)
 * and replays the request; if the refresh fails the session ends, which sends the user to the login page.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { session, language } = options;
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  let refreshing: Promise<boolean> | null = null;

  async function refresh(refreshToken: string): Promise<boolean> {
    try {
      const response = await send(
        withHeaders(
          new Request(new URL('/api/auth/refresh', options.baseUrl), {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ refreshToken }),
          }),
          undefined,
          language(),
        ),
      );
      if (!response.ok) return false;
      session.set((await response.json()) as LoginResponse);
      return true;
    } catch {
      return false;
    }
  }

  function refreshOnce(refreshToken: string): Promise<boolean> {
    refreshing ??= refresh(refreshToken).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function authFetch(request: Request): Promise<Response> {
    // Keep an unread copy: the body of the first attempt is consumed by fetch.
    const replay = request.clone();
    const before = session.get();
    const response = await send(withHeaders(request, before?.accessToken, language()));
    const path = new URL(request.url).pathname;
    if (response.status !== 401 || !before || NO_REFRESH_PATHS.includes(path)) return response;

    const now = session.get();
    // Another request may have refreshed while this one was in flight: just replay with the new token.
    const refreshed =
      now && now.accessToken !== before.accessToken ? true : now ? await refreshOnce(now.refreshToken) : false;
    const after = session.get();
    if (!refreshed || !after) {
      session.clear('expired');
      return response;
    }
    return send(withHeaders(replay, after.accessToken, language()));
  }

  return createClient<paths>({ baseUrl: options.baseUrl, fetch: authFetch });
}

function browserSessionStorage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

export const session = createSessionStore(browserSessionStorage());

export const api = createApiClient({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
  session,
  language: () => currentLanguage(),
});
