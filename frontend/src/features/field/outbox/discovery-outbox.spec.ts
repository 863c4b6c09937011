import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  BACKOFF_MAX_MS,
  classifyStatus,
  createMemoryOutboxStorage,
  DiscoveryOutbox,
  newIdempotencyKey,
  startOutboxRunner,
  type OutboxItem,
  type RunnerEnvironment,
  type SendResult,
} from './discovery-outbox';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const report = {
  projectId: '0c6a1c1e-8a4e-4c31-9b1d-3f0f7d5b2a10',
  location: { type: 'Point', coordinates: [112.892, 36.318] },
  accuracyM: 6,
  foundAt: '2026-11-28T09:40:00+08:00',
  depthM: 1.8,
  description: '挖掘机开挖基槽时发现青砖墓室一角',
  suspectedType: 'tomb',
};

/** A scripted server: answers the queued statuses in order and records what it received. */
function scriptedServer(...statuses: number[]) {
  const received: Array<{ key: string; data: string; photoBytes: number[] }> = [];
  const send = vi.fn(async (item: OutboxItem): Promise<SendResult<{ id: string }>> => {
    received.push({ key: item.id, data: item.data, photoBytes: await Promise.all(item.photos.map(async (p) => (await p.blob.arrayBuffer()).byteLength)) });
    const status = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
    if (status === 0) throw new TypeError('Failed to fetch');
    if (status === 200 || status === 201) return { status, body: { id: 'report-1' } };
    return { status, code: status === 422 ? 'idempotency_key_reused' : `http_${status}`, message: status === 422 ? '该 Idempotency-Key 已用于另一份不同的报告' : '' };
  });
  return { send, received };
}

function setup(...statuses: number[]) {
  let clock = Date.parse('2026-11-28T01:00:00Z');
  let keys = 0;
  const storage = createMemoryOutboxStorage();
  const server = scriptedServer(...statuses);
  const sut = new DiscoveryOutbox<{ id: string }>({
    storage,
    send: server.send,
    now: () => clock,
    random: () => 0.5, // no jitter: exact delays
    newKey: () => `00000000-0000-4000-8000-00000000000${++keys}`,
  });
  const photo = { name: 'find.jpg', type: 'image/jpeg', blob: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], { type: 'image/jpeg' }) };
  const add = (ownerId = 'user-a') => sut.enqueue({ ownerId, projectId: report.projectId, projectName: '晋通新材料厂房一期', report, photos: [photo] });
  return { sut, storage, server, add, advance: (ms: number) => (clock += ms), now: () => clock };
}

describe('classifying the server answer', () => {
  it('confirms 201 and 200, waits on 401, retries no answer, 408, 429 and 5xx, and rejects every other 4xx', () => {
    expect([201, 200].map(classifyStatus)).toEqual(['confirmed', 'confirmed']);
    expect(classifyStatus(401)).toBe('unauthorized');
    expect([0, 408, 429, 500, 502, 503].map(classifyStatus)).toEqual(Array(6).fill('retry'));
    expect([400, 403, 404, 409, 413, 415, 422].map(classifyStatus)).toEqual(Array(7).fill('rejected'));
  });

  it('backs off 2 s, 4 s, 8 s … up to five minutes, with at most ±20 % jitter', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, () => 0.5))).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffDelay(40, () => 0.5)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(1, () => 0)).toBe(1600);
    expect(backoffDelay(1, () => 1)).toBe(2400);
  });

  it('makes v4 UUID keys, also where crypto.randomUUID is missing (plain-http intranet pages)', () => {
    expect(newIdempotencyKey()).toMatch(UUID_V4);
    const fallback = newIdempotencyKey({ getRandomValues: (a) => crypto.getRandomValues(a) });
    expect(fallback).toMatch(UUID_V4);
    expect(fallback).not.toBe(newIdempotencyKey({ getRandomValues: (a) => crypto.getRandomValues(a) }));
  });
});

describe('the discovery outbox', () => {
  it('stores the report with its photos and key before any attempt, and shows it as pending', async () => {
    const { sut, storage, server, add } = setup(201);
    const seen: number[] = [];
    sut.subscribe((s) => seen.push(s.items.length));
    const item = await add();

    const stored = await storage.get(item.id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 0, projectId: report.projectId, lastError: null });
    expect(JSON.parse(stored!.data)).toEqual(report);
    expect(stored!.photos[0]!.blob.size).toBe(7);
    expect(server.send).not.toHaveBeenCalled();
    expect(sut.current().items.map((i) => i.id)).toEqual([item.id]);
    expect(seen.at(-1)).toBe(1);
  });

  it('removes a report once the server confirms it (201), remembering the answer', async () => {
    const { sut, storage, server, add } = setup(201);
    const item = await add();

    const summary = await sut.flush('user-a');

    expect(summary).toEqual({ confirmed: 1, retrying: 0, rejected: 0, unauthorized: false });
    expect(server.received).toEqual([{ key: item.id, data: item.data, photoBytes: [7] }]);
    expect(await storage.list()).toEqual([]);
    expect(sut.current().items).toEqual([]);
    expect(sut.current().confirmed[0]).toMatchObject({ status: 201, body: { id: 'report-1' } });
    expect(sut.current().confirmed[0]!.item.id).toBe(item.id);
  });

  it('keeps a report through network failures and 5xx, retrying with the same key and body after the backoff', async () => {
    const { sut, storage, server, add, advance } = setup(0, 503, 200);
    const item = await add();

    expect(await sut.flush('user-a')).toMatchObject({ retrying: 1, confirmed: 0 });
    let stored = await storage.get(item.id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 1, lastError: { status: 0, code: 'network' } });

    // not due yet: the timer's flush leaves it alone
    advance(1999);
    await sut.flush('user-a');
    expect(server.send).toHaveBeenCalledTimes(1);

    advance(1);
    expect(await sut.flush('user-a')).toMatchObject({ retrying: 1 });
    stored = await storage.get(item.id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 2, lastError: { status: 503 } });
    expect(stored!.nextAttemptAt - Date.parse('2026-11-28T01:00:02Z')).toBe(4000);

    // the network came back: forced, past the backoff; the replay answer (200) also confirms
    expect(await sut.flush('user-a', { force: true })).toMatchObject({ confirmed: 1 });
    expect(server.received.map((r) => r.key)).toEqual([item.id, item.id, item.id]);
    expect(new Set(server.received.map((r) => r.data)).size).toBe(1);
    expect(await storage.list()).toEqual([]);
  });

  it('keeps a rejected report (422) with the server message and never sends it again on its own', async () => {
    const { sut, storage, server, add, advance } = setup(422, 201);
    const item = await add();

    expect(await sut.flush('user-a')).toMatchObject({ rejected: 1 });
    expect(await storage.get(item.id)).toMatchObject({
      status: 'rejected',
      attempts: 1,
      lastError: { status: 422, code: 'idempotency_key_reused', message: '该 Idempotency-Key 已用于另一份不同的报告' },
    });

    advance(24 * 3600_000);
    await sut.flush('user-a');
    await sut.flush('user-a', { force: true });
    expect(server.send).toHaveBeenCalledTimes(1);
    expect(sut.nextDueAt('user-a')).toBeNull();

    // the user may put it back in the queue (same key), or discard it
    await sut.retry(item.id);
    expect(await sut.flush('user-a')).toMatchObject({ confirmed: 1 });
    expect(server.received.map((r) => r.key)).toEqual([item.id, item.id]);
  });

  it('lets the user discard a rejected report', async () => {
    const { sut, storage, add } = setup(403);
    const item = await add();
    await sut.flush('user-a');
    await sut.discard(item.id);
    expect(await storage.list()).toEqual([]);
    expect(sut.current().items).toEqual([]);
  });

  it('leaves a report untouched on 401 (the session ended) and stops the pass', async () => {
    const { sut, storage, server, add } = setup(401);
    const first = await add();
    await add();

    expect(await sut.flush('user-a')).toEqual({ confirmed: 0, retrying: 0, rejected: 0, unauthorized: true });
    expect(server.send).toHaveBeenCalledTimes(1);
    expect(await storage.get(first.id)).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
  });

  it('stops a pass at the first network failure and sends oldest first', async () => {
    const { sut, server, add, advance } = setup(0, 201);
    const first = await add();
    advance(10);
    const second = await add();

    await sut.flush('user-a');
    expect(server.received.map((r) => r.key)).toEqual([first.id]);
    await sut.flush('user-a', { force: true });
    expect(server.received.map((r) => r.key)).toEqual([first.id, first.id, second.id]);
  });

  it('never sends another user’s reports', async () => {
    const { sut, storage, server, add } = setup(201);
    const theirs = await add('user-b');
    await sut.flush('user-a', { force: true });
    expect(server.send).not.toHaveBeenCalled();
    expect(await storage.get(theirs.id)).toMatchObject({ status: 'pending' });
  });

  it('shares one pass between concurrent flushes, so a report is sent once', async () => {
    const { sut, server, add } = setup(201);
    await add();
    await Promise.all([sut.flush('user-a'), sut.flush('user-a', { force: true }), sut.flush('user-a')]);
    expect(server.send).toHaveBeenCalledTimes(1);
  });

  it('runs one forced pass after a timer pass when the network comes back meanwhile', async () => {
    const { sut, server, add, advance } = setup(0, 201);
    const first = await add();
    await sut.flush('user-a'); // no network: first backs off 2 s
    advance(10);
    const second = await add(); // due now

    // the timer's pass sends only `second`; "online" arrives while it is in flight and must still reach `first`
    const timerPass = sut.flush('user-a');
    const onlinePass = sut.flush('user-a', { force: true });
    await Promise.all([timerPass, onlinePass]);
    expect(server.received.map((r) => r.key)).toEqual([first.id, second.id, first.id]);
    expect(sut.current().items).toEqual([]);
  });

  it('shows which report is being sent while the request is in flight', async () => {
    const { storage } = setup();
    let release!: (r: SendResult) => void;
    const sut = new DiscoveryOutbox({ storage, send: () => new Promise<SendResult>((r) => (release = r)) });
    const item = await sut.enqueue({ ownerId: 'u', projectId: 'p', projectName: 'n', report, photos: [] });
    const pass = sut.flush('u');
    await vi.waitFor(() => expect(sut.current().sendingId).toBe(item.id));
    release({ status: 201, body: {} });
    await pass;
    expect(sut.current().sendingId).toBeNull();
  });
});

describe('the outbox runner', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-11-28T01:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  function fakeWindow() {
    const listeners = new Set<() => void>();
    const env: RunnerEnvironment = {
      addEventListener: (_type, l) => void listeners.add(l),
      removeEventListener: (_type, l) => void listeners.delete(l),
      setTimeout: (h, ms) => setTimeout(h, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    return { env, goOnline: () => listeners.forEach((l) => l()), listenerCount: () => listeners.size };
  }

  it('retries on its timer with backoff, sends at once when the browser comes back online, and stops cleanly', async () => {
    let online = false;
    const attempts: string[] = [];
    const storage = createMemoryOutboxStorage();
    const sut = new DiscoveryOutbox({
      storage,
      random: () => 0.5,
      send: async (item) => {
        attempts.push(item.id);
        if (!online) throw new TypeError('Failed to fetch');
        return { status: 201, body: { id: 'r' } };
      },
    });
    const item = await sut.enqueue({ ownerId: 'u', projectId: 'p', projectName: 'n', report, photos: [] });
    const { env, goOnline, listenerCount } = fakeWindow();

    const stop = startOutboxRunner(sut, 'u', env);
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toHaveLength(1); // the first try at start

    await vi.advanceTimersByTimeAsync(2000); // backoff 2 s
    expect(attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(3999); // then 4 s
    expect(attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toHaveLength(3);

    online = true;
    goOnline(); // well before the 8 s backoff ends
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toEqual([item.id, item.id, item.id, item.id]);
    expect(await storage.list()).toEqual([]);

    // nothing left: the idle checks send nothing more
    await vi.advanceTimersByTimeAsync(120_000);
    expect(attempts).toHaveLength(4);

    stop();
    expect(listenerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not hammer the server while the session is gone (401): it looks again after the idle interval', async () => {
    let status = 401;
    const attempts: number[] = [];
    const sut = new DiscoveryOutbox({
      storage: createMemoryOutboxStorage(),
      send: async () => {
        attempts.push(Date.now());
        return { status, body: {} };
      },
    });
    await sut.enqueue({ ownerId: 'u', projectId: 'p', projectName: 'n', report, photos: [] });
    const stop = startOutboxRunner(sut, 'u', fakeWindow().env);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(attempts).toHaveLength(1);
    status = 201; // signed in again
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toHaveLength(2);
    expect(sut.current().items).toEqual([]);
    stop();
  });
});
