/**
 * The field app's outbox for discovery reports (DOMAIN §4.5: a phone in a trench has poor signal).
 *
 * A report is written to storage first, with its photos and the idempotency key it will carry on every
 * attempt, and leaves storage only when the server confirms it (201, or 200 for a replay of the same key).
 * Network failures, 5xx, 408 and 429 are retried with a growing delay; any other 4xx (except 401) means the
 * server refused this very report, so it stays with the server's message and is not sent again on its own.
 * A 401 is not the report's fault: it waits, untouched, until the user is signed in again.
 *
 * Pure logic: storage and the sender are injected (IndexedDB and the API client in the app, memory in tests).
 */

export interface OutboxPhoto {
  name: string;
  type: string;
  blob: Blob;
}

export interface OutboxError {
  status: number;
  code: string;
  message: string;
}

export type OutboxStatus = 'pending' | 'rejected';

export interface OutboxItem {
  /** also the `Idempotency-Key`: generated once, sent on every attempt */
  id: string;
  /** the user who wrote it: another user signing in on the same phone never sends it */
  ownerId: string;
  projectId: string;
  projectName: string;
  /** the exact JSON sent (as the body, or as the multipart `data` field): identical on every retry */
  data: string;
  photos: OutboxPhoto[];
  createdAt: number;
  attempts: number;
  /** epoch ms before which the timer does not try again */
  nextAttemptAt: number;
  status: OutboxStatus;
  lastError: OutboxError | null;
}

export interface OutboxStorage {
  put(item: OutboxItem): Promise<void>;
  get(id: string): Promise<OutboxItem | undefined>;
  delete(id: string): Promise<void>;
  list(): Promise<OutboxItem[]>;
}

/** The server's answer to one attempt, as the sender saw it (`status` 0: no answer at all). */
export interface SendResult<T = unknown> {
  status: number;
  body?: T;
  code?: string;
  message?: string;
}

export type Outcome = 'confirmed' | 'retry' | 'rejected' | 'unauthorized';

export function classifyStatus(status: number): Outcome {
  if (status === 200 || status === 201) return 'confirmed';
  if (status === 401) return 'unauthorized';
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

/** Delay before attempt n+1 after n failed attempts: 2 s, 4 s, 8 s … capped at 5 min, ±20 % jitter. */
export function backoffDelay(failedAttempts: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(exponent, 20));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** crypto.randomUUID exists only in secure contexts; a plain-http intranet address still needs a v4 UUID. */
export function newIdempotencyKey(cryptoImpl: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof cryptoImpl.randomUUID === 'function') return cryptoImpl.randomUUID();
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface Confirmation<T> {
  item: OutboxItem;
  status: number;
  body: T | undefined;
  confirmedAt: number;
}

export interface FlushSummary {
  confirmed: number;
  retrying: number;
  rejected: number;
  /** stopped early: the session is gone */
  unauthorized: boolean;
}

export interface OutboxOptions<T> {
  storage: OutboxStorage;
  send: (item: OutboxItem) => Promise<SendResult<T>>;
  now?: () => number;
  random?: () => number;
  newKey?: () => string;
}

export interface NewReport {
  ownerId: string;
  projectId: string;
  projectName: string;
  report: unknown;
  photos: OutboxPhoto[];
}

export interface OutboxSnapshot<T> {
  items: OutboxItem[];
  /** the item being sent right now, if any */
  sendingId: string | null;
  /** reports confirmed since the app started, newest first */
  confirmed: Confirmation<T>[];
}

type Listener<T> = (snapshot: OutboxSnapshot<T>) => void;

export class DiscoveryOutbox<T = unknown> {
  private readonly storage: OutboxStorage;
  private readonly send: (item: OutboxItem) => Promise<SendResult<T>>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly newKey: () => string;
  private readonly listeners = new Set<Listener<T>>();
  private flushing: Promise<FlushSummary> | null = null;
  private forcedAfter: Promise<FlushSummary> | null = null;
  private snapshot: OutboxSnapshot<T> = { items: [], sendingId: null, confirmed: [] };

  constructor(options: OutboxOptions<T>) {
    this.storage = options.storage;
    this.send = options.send;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.newKey = options.newKey ?? (() => newIdempotencyKey());
  }

  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    listener(this.snapshot);
    return () => this.listeners.delete(listener);
  }

  current(): OutboxSnapshot<T> {
    return this.snapshot;
  }

  private async publish(patch: Partial<OutboxSnapshot<T>> = {}): Promise<void> {
    const items = (await this.storage.list()).sort((a, b) => a.createdAt - b.createdAt);
    this.snapshot = { ...this.snapshot, ...patch, items };
    this.listeners.forEach((listener) => listener(this.snapshot));
  }

  /** Loads what a previous visit left in storage. */
  refresh(): Promise<void> {
    return this.publish();
  }

  /** Stores a new report (durably, before any attempt) and returns it; sending is `flush`'s job. */
  async enqueue(input: NewReport): Promise<OutboxItem> {
    const now = this.now();
    const item: OutboxItem = {
      id: this.newKey(),
      ownerId: input.ownerId,
      projectId: input.projectId,
      projectName: input.projectName,
      data: JSON.stringify(input.report),
      photos: input.photos,
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
      status: 'pending',
      lastError: null,
    };
    await this.storage.put(item);
    await this.publish();
    return item;
  }

  /** The user gives up on a report (typically a rejected one). */
  async discard(id: string): Promise<void> {
    await this.storage.delete(id);
    await this.publish();
  }

  /** Puts a rejected report back in the queue, due at once (same key, same body). */
  async retry(id: string): Promise<void> {
    const item = await this.storage.get(id);
    if (!item) return;
    await this.storage.put({ ...item, status: 'pending', nextAttemptAt: this.now() });
    await this.publish();
  }

  /** When the next pending report of this owner is due (null: nothing pending). */
  nextDueAt(ownerId: string): number | null {
    const due = this.snapshot.items.filter((i) => i.ownerId === ownerId && i.status === 'pending').map((i) => i.nextAttemptAt);
    return due.length ? Math.min(...due) : null;
  }

  /**
   * Sends this owner's pending reports, oldest first, one at a time. `force` ignores the backoff (the
   * network just came back, or the user pressed "send now"). Concurrent calls share one pass.
   */
  flush(ownerId: string, options: { force?: boolean } = {}): Promise<FlushSummary> {
    const force = options.force ?? false;
    if (!this.flushing) {
      this.flushing = this.flushOnce(ownerId, force).finally(() => {
        this.flushing = null;
      });
      return this.flushing;
    }
    if (!force) return this.flushing;
    // "Online again" during a timer pass that skipped reports still backing off: one forced pass right after it.
    this.forcedAfter ??= this.flushing
      .catch(() => undefined)
      .then(() => {
        this.forcedAfter = null;
        return this.flush(ownerId, { force: true });
      });
    return this.forcedAfter;
  }

  private async flushOnce(ownerId: string, force: boolean): Promise<FlushSummary> {
    const summary: FlushSummary = { confirmed: 0, retrying: 0, rejected: 0, unauthorized: false };
    const stored = (await this.storage.list()).sort((a, b) => a.createdAt - b.createdAt);
    const due = stored.filter((i) => i.ownerId === ownerId && i.status === 'pending' && (force || i.nextAttemptAt <= this.now()));
    try {
      for (const candidate of due) {
        // It may have been discarded while an earlier one was in flight.
        const item = await this.storage.get(candidate.id);
        if (!item || item.status !== 'pending') continue;
        await this.publish({ sendingId: item.id });
        let result: SendResult<T>;
        try {
          result = await this.send(item);
        } catch (cause) {
          result = { status: 0, code: 'network', message: cause instanceof Error ? cause.message : String(cause) };
        }
        const outcome = classifyStatus(result.status);
        if (outcome === 'confirmed') {
          await this.storage.delete(item.id);
          const confirmation: Confirmation<T> = { item, status: result.status, body: result.body, confirmedAt: this.now() };
          this.snapshot = { ...this.snapshot, confirmed: [confirmation, ...this.snapshot.confirmed].slice(0, 20) };
          summary.confirmed += 1;
          continue;
        }
        if (outcome === 'unauthorized') {
          summary.unauthorized = true;
          break;
        }
        const lastError: OutboxError = { status: result.status, code: result.code ?? `http_${result.status}`, message: result.message ?? '' };
        const attempts = item.attempts + 1;
        if (outcome === 'rejected') {
          await this.storage.put({ ...item, attempts, status: 'rejected', lastError });
          summary.rejected += 1;
        } else {
          await this.storage.put({ ...item, attempts, lastError, nextAttemptAt: this.now() + backoffDelay(attempts, this.random) });
          summary.retrying += 1;
          // No network for one report means none for the next: wait for the next trigger.
          if (result.status === 0) break;
        }
      }
    } finally {
      await this.publish({ sendingId: null });
    }
    return summary;
  }
}

/** Storage in memory: for tests, and for browsers without IndexedDB (then the outbox lasts as long as the tab). */
export function createMemoryOutboxStorage(): OutboxStorage {
  const items = new Map<string, OutboxItem>();
  // Copies, as IndexedDB would give: a caller mutating what it read never changes what is stored.
  const copy = (item: OutboxItem): OutboxItem => ({ ...item, photos: item.photos.map((p) => ({ ...p })), lastError: item.lastError && { ...item.lastError } });
  return {
    put: async (item) => void items.set(item.id, copy(item)),
    get: async (id) => {
      const item = items.get(id);
      return item ? copy(item) : undefined;
    },
    delete: async (id) => void items.delete(id),
    list: async () => [...items.values()].map(copy),
  };
}

export interface RunnerEnvironment {
  addEventListener(type: 'online', listener: () => void): void;
  removeEventListener(type: 'online', listener: () => void): void;
  setTimeout(handler: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How often the timer looks again even when nothing is due (a report added in another tab, a lost event). */
export const RUNNER_IDLE_CHECK_MS = 30_000;

/**
 * Keeps flushing the owner's reports until none is pending: at once, whenever the browser says it is back
 * online (forced, past any backoff), and on a timer set to the next due attempt. Returns a stop function.
 */
export function startOutboxRunner<T>(outbox: DiscoveryOutbox<T>, ownerId: string, env: RunnerEnvironment, now: () => number = Date.now): () => void {
  let stopped = false;
  let timer: unknown = null;

  const schedule = (idle: boolean) => {
    if (stopped) return;
    if (timer !== null) env.clearTimeout(timer);
    const due = outbox.nextDueAt(ownerId);
    // Signed out (401) or storage trouble: reports stay due, so wait the idle interval instead of spinning.
    const wait = due === null || idle ? RUNNER_IDLE_CHECK_MS : Math.min(RUNNER_IDLE_CHECK_MS, Math.max(0, due - now()));
    timer = env.setTimeout(() => {
      timer = null;
      void run(false);
    }, wait);
  };

  const run = async (force: boolean) => {
    if (stopped) return;
    let idle = false;
    try {
      idle = (await outbox.flush(ownerId, { force })).unauthorized;
    } catch {
      // Storage trouble (private mode, quota): the timer tries again later.
      idle = true;
    }
    schedule(idle);
  };

  const onOnline = () => void run(true);
  env.addEventListener('online', onOnline);
  void outbox.refresh().then(() => run(false));

  return () => {
    stopped = true;
    env.removeEventListener('online', onOnline);
    if (timer !== null) env.clearTimeout(timer);
  };
}
