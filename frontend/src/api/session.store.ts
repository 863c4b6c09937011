import type { LoginResponse } from './api-types';

export type Session = LoginResponse;
export type SessionEndReason = 'logout' | 'expired';
type Listener = (session: Session | null, reason?: SessionEndReason) => void;

export interface SessionStore {
  get(): Session | null;
  set(session: Session): void;
  clear(reason: SessionEndReason): void;
  subscribe(listener: Listener): () => void;
}

export const SESSION_STORAGE_KEY = 'qianzhi.session';

/**
 * Tokens live in sessionStorage: they survive a reload but not closing the tab, which suits shared
 * office machines in government departments.
 */
export function createSessionStore(storage: Storage | undefined, key = SESSION_STORAGE_KEY): SessionStore {
  const listeners = new Set<Listener>();
  let current: Session | null = null;
  try {
    const raw = storage?.getItem(key);
    current = raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    current = null;
  }

  const notify = (reason?: SessionEndReason) => listeners.forEach((listener) => listener(current, reason));

  return {
    get: () => current,
    set(session) {
      current = session;
      storage?.setItem(key, JSON.stringify(session));
      notify();
    },
    clear(reason) {
      if (!current) return;
      current = null;
      storage?.removeItem(key);
      notify(reason);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
