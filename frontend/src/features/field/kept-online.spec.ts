import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
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
});
