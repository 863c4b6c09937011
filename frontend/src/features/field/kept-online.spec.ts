import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { session } from '../../api/client';
import { keptOnline } from './field.api';

afterEach(() => localStorage.clear());

describe('keptOnline (the phone without signal)', () => {
  it('answers from the server while there is signal, and with the kept copy (and when it was kept) when there is none', async () => {
    const fresh = await keptOnline('qianzhi.field.test.a', async () => [{ id: 'p-1', state: 'active' }]);
    expect(fresh).toEqual({ value: [{ id: 'p-1', state: 'active' }], savedAt: null });
    const offline = await keptOnline('qianzhi.field.test.a', async () => {
      throw new ApiError(0, 'network', '');
    });
    expect(offline.value).toEqual([{ id: 'p-1', state: 'active' }]);
    expect(Date.parse(offline.savedAt!)).not.toBeNaN();
  });

  it('survives a reload through localStorage, under the key that names the user', async () => {
    await keptOnline('qianzhi.field.test.b.u-1', async () => ({ n: 1 }));
    expect(JSON.parse(localStorage.getItem('qianzhi.field.test.b.u-1')!).value).toEqual({ n: 1 });
    // another user's key holds nothing: no signal and nothing kept is the network error itself
    await expect(keptOnline('qianzhi.field.test.b.u-2', async () => Promise.reject(new ApiError(0, 'network', '')))).rejects.toMatchObject({ status: 0 });
  });

  it('never hides an answer of the server behind the kept copy', async () => {
    await keptOnline('qianzhi.field.test.c', async () => ['kept']);
    await expect(keptOnline('qianzhi.field.test.c', async () => Promise.reject(new ApiError(404, 'not_found', '不存在')))).rejects.toMatchObject({ status: 404 });
  });

  it('forgets what it kept when the user signs out, but not when the session merely expires', async () => {
    const offline = () => Promise.reject(new ApiError(0, 'network', ''));
    const signIn = () => session.set({ accessToken: 't', refreshToken: 'r', expiresIn: 900, user: { id: 'u-9', roles: ['contractor'] } } as never);
    signIn();
    await keptOnline('qianzhi.field.test.d.u-9', async () => ['p-1']);
    session.clear('expired');
    expect((await keptOnline('qianzhi.field.test.d.u-9', offline)).value).toEqual(['p-1']);
    signIn();
    session.clear('logout');
    expect(localStorage.getItem('qianzhi.field.test.d.u-9')).toBeNull();
    await expect(keptOnline('qianzhi.field.test.d.u-9', offline)).rejects.toMatchObject({ status: 0 });
  });
});
