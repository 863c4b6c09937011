import { DEMO_PASSWORD } from './browser';
import type { E2eApp } from './app';

/** An API answer as the journeys check it: the status, the parsed JSON body (null otherwise) and the bytes. */
export interface ApiAnswer<T> {
  status: number;
  body: T;
  raw: Buffer;
}

/** Calls the journey's own server the way an integrator would (JSON in, JSON or bytes out), any status. */
export async function apiCall<T>(app: E2eApp, token: string | null, method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: (type.includes('json') ? JSON.parse(raw.toString('utf8')) : null) as T, raw };
}

/** The same, for calls that must succeed: the body, or an error naming the call, the status and the answer. */
export async function api<T>(app: E2eApp, token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  const res = await apiCall<T>(app, token, method, path, body);
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${res.raw.toString('utf8')}`);
  return res.body;
}

/** An access token of a demo account. */
export async function apiLogin(app: E2eApp, username: string): Promise<string> {
  return (await api<{ accessToken: string }>(app, null, 'POST', '/api/auth/login', { username, password: DEMO_PASSWORD })).accessToken;
}
