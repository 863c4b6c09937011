import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { downloadBlob } from '../../api/download';
import type { components } from '../../api/schema';
import { currentLanguage } from '../../i18n/i18n.config';

type Schemas = components['schemas'];

export type Parcel = Schemas['ParcelDto'];
export type ParcelDetail = Schemas['ParcelDetailDto'];
export type Clearance = Schemas['ClearanceResponseDto'];
export type Verdict = Clearance['verdict'];
export type Bucket = keyof Schemas['ClearanceAreasDto'];
export type Commitment = Schemas['CommitmentDto'];
export type CommitmentDetail = Schemas['CommitmentDetailDto'];
export type CommitmentState = Commitment['state'];
export type CommitmentPreview = Schemas['CommitmentPreviewDto'];
export type ReleaseStatus = Schemas['ReleaseStatusDto'];
export type Exploration = Schemas['ExplorationDto'];
export type Project = Schemas['ProjectDto'];
export type ProjectDetail = Schemas['ProjectDetailDto'];
export type ContractorOrg = Schemas['ContractorOrgDto'];
export type ZoneDetail = Schemas['ZoneDetailDto'];
export type PlanSummary = Schemas['PlanSummaryDto'];

export const BUCKETS = ['avoidance', 'exploration', 'release', 'unzoned', 'outside'] as const satisfies readonly Bucket[];

/** The OpenAPI document types GeoJSON loosely; this is the real shape of a blocking feature. */
export interface BlockingFeature {
  type: 'Feature';
  geometry: Geometry;
  properties: { kind: 'avoidance' | 'exploration' | 'individual_survey' | 'pending_commitment' | string; m2: number; mu: number };
}
export const blockingOf = (c: Clearance): BlockingFeature[] =>
  ((c.blockingAreas as unknown as { features?: BlockingFeature[] } | undefined)?.features ?? []);

export interface LetterFields {
  planId: string;
  signatoryName: string;
  signatoryTitle: string;
  extraClauses: string[];
}

const byId = (id: string) => ({ params: { path: { id } } });
/** Parcels and clearance declare Accept-Language (their verdict texts follow it); the client sets it anyway. */
const lang = () => ({ 'accept-language': currentLanguage() });

export const committeeApi = {
  zones: () => unwrap(api.GET('/api/zones', { params: { query: {} } })),
  zone: (id: string) => unwrap(api.GET('/api/zones/{id}', byId(id))),
  plans: (zoneId: string) => unwrap(api.GET('/api/zoning-plans', { params: { query: { zoneId } } })),
  plan: (id: string) => unwrap(api.GET('/api/zoning-plans/{id}', byId(id))),
  downloadOpinion: (planId: string, fileName: string) =>
    downloadBlob(api.GET('/api/zoning-plans/{id}/opinion.pdf', { ...byId(planId), parseAs: 'blob' }), fileName),
  releaseStatus: (zoneId: string) => unwrap(api.GET('/api/zones/{id}/release-status', byId(zoneId))),

  letters: (query: { zoneId?: string; state?: CommitmentState }) => unwrap(api.GET('/api/commitments', { params: { query } })),
  letter: (id: string) => unwrap(api.GET('/api/commitments/{id}', byId(id))),
  preview: (fields: Partial<LetterFields> & { planId: string }) =>
    unwrap(api.POST('/api/commitments/preview', { body: fields as Schemas['PreviewCommitmentDto'] })),
  createLetter: (fields: LetterFields) => unwrap(api.POST('/api/commitments', { body: fields })),
  updateLetter: (id: string, fields: Omit<LetterFields, 'planId'>) =>
    unwrap(api.PATCH('/api/commitments/{id}', { ...byId(id), body: fields })),
  actOnLetter: (id: string, action: 'submit' | 'accept' | 'reject', reason?: string) =>
    unwrap(
      api.POST('/api/commitments/{id}/{action}', {
        params: { path: { id, action } },
        body: reason ? { reason } : {},
      }),
    ),
  downloadLetter: (id: string, fileName: string) =>
    downloadBlob(api.GET('/api/commitments/{id}/letter.pdf', { ...byId(id), parseAs: 'blob' }), fileName),
  verifyLetter: (id: string) => unwrap(api.GET('/api/commitments/{id}/verify', byId(id))),

  parcels: (zoneId: string) => unwrap(api.GET('/api/parcels', { params: { query: { zoneId }, header: lang() } })),
  parcel: (id: string) => unwrap(api.GET('/api/parcels/{id}', { params: { path: { id }, header: lang() } })),
  createParcel: (body: { zoneId: string; code: string; name: string; plannedUse: string; geometry: Polygon | MultiPolygon }) =>
    unwrap(api.POST('/api/parcels', { params: { header: lang() }, body: body as unknown as Schemas['CreateParcelDto'] })),
  transfer: (id: string, transferredAt: string) => unwrap(api.POST('/api/parcels/{id}/transfer', { params: { path: { id }, header: lang() }, body: { transferredAt } })),
  clearanceOf: (geometry: Polygon | MultiPolygon) =>
    unwrap(api.POST('/api/clearance', { params: { header: lang() }, body: { geometry } as unknown as Schemas['ClearanceRequestDto'] })),
  parcelShapes: (zoneId: string, bbox: readonly number[]) =>
    unwrap(
      api.GET('/api/layers/{layer}', {
        params: { path: { layer: 'parcels' } } as never,
        querySerializer: () => `bbox=${bbox.join(',')}&zoneId=${zoneId}`,
      }),
    ) as unknown as Promise<{ features: Array<{ id: string; geometry: Geometry; properties: { code: string; transferred: boolean } }> }>,

  explorations: (zoneId: string) => unwrap(api.GET('/api/explorations', { params: { query: { zoneId } } })),
  applyExploration: (body: { parcelId: string } | { zoneId: string; geometry: Polygon | MultiPolygon }) =>
    unwrap(api.POST('/api/explorations', { body: body as unknown as Schemas['CreateExplorationDto'] })),

  projects: (zoneId: string) => unwrap(api.GET('/api/projects', { params: { query: { zoneId } } })),
  project: (id: string) => unwrap(api.GET('/api/projects/{id}', byId(id))),
  createProject: (body: { parcelId: string; name: string; contractorOrgId: string }) => unwrap(api.POST('/api/projects', { body })),
  contractors: () => unwrap(api.GET('/api/contractor-orgs')),
};
