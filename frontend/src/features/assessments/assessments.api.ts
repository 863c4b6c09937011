import type { Polygon } from 'geojson';
import { ApiError, toApiError, unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export const ASSESSMENT_STATES = ['planned', 'surveying', 'coring', 'zoning', 'concluded'] as const satisfies readonly Schemas['AssessmentDto']['state'][];
export type AssessmentState = Schemas['AssessmentDto']['state'];
export type AssessmentAction = Schemas['AssessmentDto']['allowedActions'][number];
export type Assessment = Schemas['AssessmentDto'];
export type AssessmentDetail = Schemas['AssessmentDetailDto'];
export type CoreRecord = Schemas['CoreDto'];
export type ObservationRecord = Schemas['ObservationDto'];
export type RelicRecord = Schemas['RelicDto'];
export type CorePatch = Schemas['RecordCoreDto'];
export type ObservationPatch = Schemas['UpdateObservationDto'];
export type RelicPatch = Schemas['UpdateRelicDto'];
export type GridResult = Schemas['GridResultDto'];
export type ProtectionLevel = RelicRecord['protectionLevel'];

export interface Coverage {
  distanceM: number;
  /** 0…1 of the zone within distanceM of a track */
  share: number;
}

export interface CoreGridRequest {
  polygon?: Polygon;
  spacingM: number;
  pattern: Schemas['GenerateGridDto']['pattern'];
  replacePlanned?: boolean;
}

/** Each kind of record the map's click opens, with what is read and what is sent back. */
export type EvidenceRecord =
  | { kind: 'core'; record: CoreRecord }
  | { kind: 'observation'; record: ObservationRecord }
  | { kind: 'relic'; record: RelicRecord };
export type EvidenceKind = EvidenceRecord['kind'];
export type EvidencePatch =
  | { kind: 'core'; patch: CorePatch }
  | { kind: 'observation'; patch: ObservationPatch }
  | { kind: 'relic'; patch: RelicPatch };

interface Fetched<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The value and the ETag the server sent with it (the version an edit must name in If-Match). */
async function withEtag<T>(call: Promise<Fetched<T>>): Promise<{ data: T; etag: string | null }> {
  let result: Fetched<T>;
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(0, 'network', '', cause);
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return { data: result.data as T, etag: result.response.headers.get('etag') };
}

/** `If-Match`: the server's ETag when it sent one, else the row version the record carries ("<n>"). */
export function ifMatchFor(rowVersion: number, etag: string | null): string {
  return etag ?? `"${rowVersion}"`;
}

const path = (id: string) => ({ params: { path: { id } } });

export const assessmentsApi = {
  list: (zoneId?: string) => unwrap(api.GET('/api/assessments', { params: { query: zoneId ? { zoneId } : {} } })),
  get: (id: string) => unwrap(api.GET('/api/assessments/{id}', path(id))),
  create: (zoneId: string, title?: string) =>
    unwrap(api.POST('/api/assessments', { body: title ? { zoneId, title } : { zoneId } })),
  act: (id: string, action: AssessmentAction) => {
    switch (action) {
      case 'start-survey':
        return unwrap(api.POST('/api/assessments/{id}/start-survey', { ...path(id), body: {} }));
      case 'start-coring':
        return unwrap(api.POST('/api/assessments/{id}/start-coring', { ...path(id), body: {} }));
      case 'start-zoning':
        return unwrap(api.POST('/api/assessments/{id}/start-zoning', { ...path(id), body: {} }));
      case 'conclude':
        return unwrap(api.POST('/api/assessments/{id}/conclude', { ...path(id), body: {} }));
    }
  },
  /** The server gives `coveredShare` in percent (0…100). */
  coverage: async (id: string, distanceM = 50): Promise<Coverage> => {
    const raw = await unwrap(api.GET('/api/assessments/{id}/coverage', { params: { path: { id }, query: { distanceM } } }));
    return { distanceM: raw.distanceM, share: raw.coveredShare / 100 };
  },
  generateGrid: (id: string, request: CoreGridRequest): Promise<GridResult> =>
    unwrap(
      api.POST('/api/assessments/{id}/cores/grid', {
        ...path(id),
        // The OpenAPI document types `polygon` as a plain object; it is a GeoJSON Polygon in lon/lat.
        body: request as Schemas['GenerateGridDto'],
      }),
    ) as Promise<GridResult>,

  async record(kind: EvidenceKind, id: string): Promise<{ value: EvidenceRecord; etag: string | null }> {
    switch (kind) {
      case 'core': {
        const { data, etag } = await withEtag(api.GET('/api/cores/{id}', path(id)));
        return { value: { kind, record: data }, etag };
      }
      case 'observation': {
        const { data, etag } = await withEtag(api.GET('/api/observations/{id}', path(id)));
        return { value: { kind, record: data }, etag };
      }
      case 'relic': {
        const { data, etag } = await withEtag(api.GET('/api/relics/{id}', path(id)));
        return { value: { kind, record: data }, etag };
      }
    }
  },

  async update(current: EvidenceRecord, etag: string | null, change: EvidencePatch): Promise<{ value: EvidenceRecord; etag: string | null }> {
    const id = current.record.id;
    const ifMatch = ifMatchFor(current.record.rowVersion, etag);
    const params = { path: { id }, header: { 'If-Match': ifMatch } };
    switch (change.kind) {
      case 'core': {
        const { data, etag: next } = await withEtag(api.PATCH('/api/cores/{id}', { params, body: change.patch }));
        return { value: { kind: 'core', record: data }, etag: next };
      }
      case 'observation': {
        const { data, etag: next } = await withEtag(api.PATCH('/api/observations/{id}', { params, body: change.patch }));
        return { value: { kind: 'observation', record: data }, etag: next };
      }
      case 'relic': {
        const { data, etag: next } = await withEtag(api.PATCH('/api/relics/{id}', { params, body: change.patch }));
        return { value: { kind: 'relic', record: data }, etag: next };
      }
    }
  },
};
