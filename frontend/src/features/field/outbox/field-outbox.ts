import { useEffect, useState } from 'react';
import { session } from '../../../api/client';
import { sendDiscoveryReport, type DiscoveryCreated } from '../field.api';
import { DiscoveryOutbox, startOutboxRunner, type OutboxSnapshot } from './discovery-outbox';
import { createBrowserOutboxStorage } from './indexeddb-outbox.storage';

const { storage, durable } = createBrowserOutboxStorage();

/**
 * The app's one outbox (IndexedDB), sending through the API client. A report goes out only under its own
 * author's session: signed out, or someone else signed in on the same phone, it waits as on a 401.
 */
export const fieldOutbox = new DiscoveryOutbox<DiscoveryCreated>({
  storage,
  send: (item) => (session.get()?.user.id === item.ownerId ? sendDiscoveryReport(item) : Promise.resolve({ status: 401 })),
});

/** False when the browser has no IndexedDB: the page warns that reports last only while the tab is open. */
export const OUTBOX_IS_DURABLE = durable;

let runner: { ownerId: string; stop: () => void } | null = null;

/**
 * Starts delivering the signed-in contractor's reports, once: it keeps running when the user leaves the
 * page (a report must not wait for the user to come back), and switches owner when another user signs in.
 */
export function ensureOutboxRunner(ownerId: string): void {
  if (runner?.ownerId === ownerId) return;
  runner?.stop();
  runner = {
    ownerId,
    stop: startOutboxRunner(fieldOutbox, ownerId, {
      addEventListener: (type, listener) => window.addEventListener(type, listener),
      removeEventListener: (type, listener) => window.removeEventListener(type, listener),
      setTimeout: (handler, ms) => window.setTimeout(handler, ms),
      clearTimeout: (handle) => window.clearTimeout(handle as number),
    }),
  };
}

/** The outbox as React state, with the runner started for this user. */
export function useFieldOutbox(ownerId: string): OutboxSnapshot<DiscoveryCreated> {
  const [snapshot, setSnapshot] = useState(() => fieldOutbox.current());
  useEffect(() => {
    ensureOutboxRunner(ownerId);
    return fieldOutbox.subscribe(setSnapshot);
  }, [ownerId]);
  return snapshot;
}

/** navigator.onLine, live. It can claim "online" without a real connection; the outbox never trusts it alone. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}
