import type { Geometry, Point } from 'geojson';
import { ApiError, unwrap } from '../../api/api-error';
import { api, session } from '../../api/client';
import { currentLanguage } from '../../i18n/i18n.config';
import type { Discovery } from '../authority/authority.api';
import type { components } from '../../api/schema';
import type { OutboxItem, SendResult } from './outbox/discovery-outbox';

type Schemas = components['schemas'];

export type Project = Schemas['ProjectDto'];
export type ProjectState = Project['state'];
export type { Discovery, DiscoveryState } from '../authority/authority.api';
export type DiscoveryCreated = Schemas['DiscoveryCreatedDto'];

/** What the contractor fills in (API.md `POST /api/discoveries`). */
export interface DiscoveryReportBody {
  projectId: string;
  location: Point;
  accuracyM: number | null;
  foundAt: string;
  depthM: number | null;
  description: string;
  suspectedType: string;
}

/** Common kinds of find, offered as choices; the API takes any short text. */
export const SUSPECTED_TYPES = ['tomb', 'cultural_layer', 'building_foundation', 'kiln', 'artefacts', 'other'] as const;

const byId = (id: string) => ({ params: { path: { id } } });

export const fieldApi = {
  projects: () => unwrap(api.GET('/api/projects')),
  project: (id: string) => unwrap(api.GET('/api/projects/{id}', byId(id))),
  /** the parcel with its outline (a contractor's own projects' parcels only) */
  parcel: (id: string) =>
    unwrap(api.GET('/api/parcels/{id}', { params: { path: { id }, header: { 'accept-language': currentLanguage() } } })) as Promise<unknown> as Promise<{
      geometry: Geometry;
    }>,
  discoveries: (projectId?: string) =>
    unwrap(api.GET('/api/discoveries', { params: { query: projectId ? { projectId } : {} } })) as Promise<unknown> as Promise<Discovery[]>,
  acknowledge: (stopWorkOrderId: string) => unwrap(api.POST('/api/stop-work-orders/{id}/acknowledge', byId(stopWorkOrderId))),
};

const KEPT_PREFIX = 'qianzhi.field.';
const kept = new Map<string, unknown>();

/**
 * Signing out forgets what was kept for offline use (a phone may change hands); an expired session keeps
 * it. Reports waiting in the outbox are not touched: they are delivered whoever signs in next.
 */
export function forgetKept(): void {
  kept.clear();
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(KEPT_PREFIX)) localStorage.removeItem(key);
  } catch {
    // storage disabled: nothing was kept there
  }
}
session.subscribe((current, reason) => {
  if (!current && reason === 'logout') forgetKept();
});

/**
 * A contractor's view kept from the last time the phone had signal (in memory and localStorage, under a key
 * that names the user): the trench is where the signal is gone. Only a network failure falls back to it;
 * any answer from the server (a 404 as much as a 200) is the truth.
 */
export async function keptOnline<T>(key: string, load: () => Promise<T>): Promise<{ value: T; savedAt: string | null }> {
  try {
    const value = await load();
    const entry = { value, savedAt: null };
    kept.set(key, { value, savedAt: new Date().toISOString() });
    try {
      localStorage.setItem(key, JSON.stringify(kept.get(key)));
    } catch {
      // full or disabled storage: the memory copy still serves this visit
    }
    return entry;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 0) throw error;
    const known = (kept.get(key) ?? readStored(key)) as { value: T; savedAt: string } | undefined;
    if (!known) throw error;
    return known;
  }
}

function readStored(key: string): unknown {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** The outline of a project's parcel for the report map (kept for offline use; null when never seen). */
export async function parcelOutline(parcelId: string): Promise<Geometry | null> {
  try {
    return (await keptOnline(`${KEPT_PREFIX}outline.${parcelId}`, async () => (await fieldApi.parcel(parcelId)).geometry)).value;
  } catch {
    return null;
  }
}

/** The user's projects and finds as last seen online; `savedAt` is set when the answer is the kept one. */
export const keptProjects = (userId: string) => keptOnline(`${KEPT_PREFIX}projects.${userId}`, () => fieldApi.projects());
export const keptDiscoveries = (userId: string) => keptOnline(`${KEPT_PREFIX}discoveries.${userId}`, () => fieldApi.discoveries());

/**
 * One attempt at delivering an outbox item: JSON when it has no photos, otherwise multipart with the JSON
 * in `data` and the files in `photos` (API.md). Never throws: no answer at all is status 0.
 */
export async function sendDiscoveryReport(item: OutboxItem): Promise<SendResult<DiscoveryCreated>> {
  let body: unknown;
  let bodySerializer: ((b: unknown) => unknown) | undefined;
  if (item.photos.length > 0) {
    const form = new FormData();
    form.append('data', item.data);
    item.photos.forEach((photo) => form.append('photos', photo.blob, photo.name));
    body = form;
    bodySerializer = (b) => b;
  } else {
    // the stored string as it is: byte-identical on every retry
    body = item.data;
    bodySerializer = (b) => b;
  }
  try {
    const result = await api.POST('/api/discoveries', {
      params: { header: { 'Idempotency-Key': item.id } },
      body: body as Schemas['CreateDiscoveryDto'],
      bodySerializer: bodySerializer as never,
    });
    if (result.response.ok) return { status: result.response.status, body: result.data };
    const error = result.error as { code?: unknown; message?: unknown } | undefined;
    return {
      status: result.response.status,
      code: typeof error?.code === 'string' ? error.code : undefined,
      message: typeof error?.message === 'string' ? error.message : undefined,
    };
  } catch (cause) {
    return { status: 0, code: 'network', message: cause instanceof Error ? cause.message : String(cause) };
  }
}
