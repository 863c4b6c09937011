import type { Point, Polygon } from 'geojson';
import type { Client } from 'openapi-fetch';
import { ApiError, toApiError } from '../../api/api-error';
import { api } from '../../api/client';
import type { CoreResult } from '../../map/layers/evidence-colors.data';

export const ASSESSMENT_STATES = ['planned', 'surveying', 'coring', 'zoning', 'concluded'] as const;
export type AssessmentState = (typeof ASSESSMENT_STATES)[number];
export const ASSESSMENT_ACTIONS = ['start-survey', 'start-coring', 'start-zoning', 'conclude'] as const;
export type AssessmentAction = (typeof ASSESSMENT_ACTIONS)[number];

export interface AssessmentMember {
  userId: string;
  username?: string;
  displayName: string;
  teamRole: 'lead' | 'member';
}

export interface Assessment {
  id: string;
  zoneId: string;
  zone?: { id: string; code: string; name: string; divisionCode?: string };
  state: AssessmentState;
  title: string | null;
  startedAt: string | null;
  concludedAt: string | null;
  rowVersion: number;
  /** the workflow actions the server allows from the current state, for this caller */
  allowedActions: AssessmentAction[];
  members: AssessmentMember[];
}

export interface AssessmentCounts {
  tracks: number;
  trackLengthM: number;
  observations: number;
  coresByResult: Record<string, number> | null;
}

export interface AssessmentDetail extends Assessment {
  counts: AssessmentCounts;
}

export interface Coverage {
  distanceM: number;
  /** 0…1 of the zone within distanceM of a track */
  share: number;
}

export type EvidenceKind = 'core' | 'observation' | 'relic';

/** A record as the edit drawer sees it: its fields, and the version to send back as If-Match. */
export interface EvidenceRecord {
  id: string;
  rowVersion?: number;
  geometry?: Point | Polygon | null;
  [field: string]: unknown;
}

export interface CoreGridRequest {
  polygon?: Polygon;
  spacingM: number;
  pattern: 'square' | 'quincunx';
}

export interface CorePatch {
  depthM: number | null;
  result: CoreResult | null;
  stratigraphy: string | null;
  coredAt: string | null;
}

type LooseCall = (path: string, init?: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
const loose = api as unknown as Client<Record<string, never>>;
const call = {
  GET: loose.GET as unknown as LooseCall,
  POST: loose.POST as unknown as LooseCall,
  PATCH: loose.PATCH as unknown as LooseCall,
};

async function send<T>(request: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<{ data: T; etag: string | null }> {
  let result: Awaited<typeof request>;
  try {
    result = await request;
  } catch (cause) {
    throw new ApiError(0, 'network', '', cause);
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return { data: result.data as T, etag: result.response.headers.get('etag') };
}

const data = <T>(request: Promise<{ data?: unknown; error?: unknown; response: Response }>) => send<T>(request).then((r) => r.data);

const RECORD_PATHS: Record<EvidenceKind, string> = {
  core: '/api/cores/{id}',
  observation: '/api/observations/{id}',
  relic: '/api/relics/{id}',
};

/** `If-Match` from the server's ETag, or else the row version the record carries. */
export function ifMatchFor(record: EvidenceRecord, etag: string | null): string | null {
  if (etag) return etag;
  return typeof record.rowVersion === 'number' ? `"${record.rowVersion}"` : null;
}

/** Reads a coverage answer whichever way the share is given (0…1 or percent). */
export function readCoverage(raw: Record<string, unknown>, distanceM: number): Coverage {
  const share =
    typeof raw.share === 'number'
      ? raw.share
      : typeof raw.coveredShare === 'number'
        ? raw.coveredShare
        : typeof raw.coveredPercent === 'number'
          ? raw.coveredPercent / 100
          : typeof raw.percent === 'number'
            ? raw.percent / 100
            : 0;
  return { distanceM: typeof raw.distanceM === 'number' ? raw.distanceM : distanceM, share };
}

export const assessmentsApi = {
  list: (zoneId?: string) =>
    data<Assessment[]>(call.GET('/api/assessments', { params: { query: zoneId ? { zoneId } : {} } })),
  get: (id: string) => data<AssessmentDetail>(call.GET('/api/assessments/{id}', { params: { path: { id } } })),
  create: (zoneId: string, title?: string) =>
    data<Assessment>(call.POST('/api/assessments', { body: title ? { zoneId, title } : { zoneId } })),
  act: (id: string, action: AssessmentAction) =>
    data<Assessment>(call.POST(`/api/assessments/{id}/${action}`, { params: { path: { id } }, body: {} })),
  coverage: (id: string, distanceM = 50) =>
    data<Record<string, unknown>>(
      call.GET('/api/assessments/{id}/coverage', { params: { path: { id }, query: { distanceM } } }),
    ).then((raw) => readCoverage(raw, distanceM)),
  generateGrid: (id: string, request: CoreGridRequest) =>
    data<{ created?: number; written?: number; count?: number }>(
      call.POST('/api/assessments/{id}/cores/grid', { params: { path: { id } }, body: request }),
    ),
  record: (kind: EvidenceKind, id: string) =>
    send<EvidenceRecord>(call.GET(RECORD_PATHS[kind], { params: { path: { id } } })),
  update: (kind: EvidenceKind, record: EvidenceRecord, etag: string | null, patch: Record<string, unknown>) => {
    const ifMatch = ifMatchFor(record, etag);
    return send<EvidenceRecord>(
      call.PATCH(RECORD_PATHS[kind], {
        params: { path: { id: record.id } },
        headers: ifMatch ? { 'If-Match': ifMatch } : {},
        body: patch,
      }),
    );
  },
};
