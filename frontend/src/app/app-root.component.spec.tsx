import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n, setLanguage } from '../i18n/i18n.config';
import { AppRoot } from './app-root.component';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('the app before sign-in', () => {
  afterEach(async () => {
    vi.unstubAllGlobals();
    await setLanguage('zh-CN', i18n);
  });

  it('opens on the Chinese login page and shows the server’s own message for a wrong password', async () => {
    const seen: Request[] = [];
    vi.stubGlobal('fetch', async (request: Request) => {
      seen.push(request);
      return json(401, { code: 'login_failed', message: '用户名或密码错误' });
    });
    render(<AppRoot />);

    expect(screen.getByText('用户登录')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'assessor' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByTestId('login-submit'));

    await waitFor(() => expect(screen.getByTestId('login-error').textContent).toContain('用户名或密码错误'));
    expect(seen).toHaveLength(1);
    expect(new URL(seen[0]!.url).pathname).toBe('/api/auth/login');
    expect(seen[0]!.headers.get('Accept-Language')).toBe('zh-CN');
  });

  it('switches the login page to English', async () => {
    render(<AppRoot />);
    await act(async () => {
      fireEvent.click(screen.getByText('English'));
    });
    await waitFor(() => expect(screen.getByLabelText('Username')).toBeTruthy());
    expect(screen.queryByText('用户登录')).toBeNull();
    expect(localStorage.getItem('qianzhi.language')).toBe('en');
  });
});
