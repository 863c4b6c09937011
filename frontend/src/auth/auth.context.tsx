import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, unwrap } from '../api/api-error';
import type { CurrentUser } from '../api/api-types';
import { api, session } from '../api/client';

export type AuthState =
  | { status: 'checking' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'authenticated'; user: CurrentUser };

interface AuthContextValue {
  state: AuthState;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user, for components that only render inside the authenticated app. */
export function useCurrentUser(): CurrentUser {
  const { state } = useAuth();
  if (state.status !== 'authenticated') throw new Error('useCurrentUser() needs a signed-in user');
  return state.user;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>(() =>
    session.get() ? { status: 'checking' } : { status: 'anonymous', expired: false },
  );

  useEffect(
    () =>
      session.subscribe((current, reason) =>
        setState(
          current
            ? { status: 'authenticated', user: current.user }
            : { status: 'anonymous', expired: reason === 'expired' },
        ),
      ),
    [],
  );

  // After a reload the stored token may be stale or the user changed: ask the server who we are.
  useEffect(() => {
    const stored = session.get();
    if (!stored) return;
    unwrap(api.GET('/api/auth/me')).then(
      (user) => {
        const current = session.get();
        if (current) session.set({ ...current, user });
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.isNetworkError && session.get()) {
          // Offline for a moment: keep working with what we know; the next call will tell.
          setState({ status: 'authenticated', user: stored.user });
        } else {
          session.clear('expired');
          setState({ status: 'anonymous', expired: false });
        }
      },
    );
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    session.set(await unwrap(api.POST('/api/auth/login', { body: { username, password } })));
  }, []);

  const logout = useCallback(async () => {
    const current = session.get();
    if (current) {
      // The server revokes the refresh token; if it cannot be reached the local session still ends.
      await unwrap(api.POST('/api/auth/logout', { body: { refreshToken: current.refreshToken } })).catch(() => undefined);
    }
    session.clear('logout');
  }, []);

  const value = useMemo(() => ({ state, login, logout }), [state, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
