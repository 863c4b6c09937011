import type { Point } from 'geojson';
import { unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

/** The generated type leaves the nested objects untyped (`{}`); here they are as the backend's DTO declares them. */
export type Discovery = Omit<Schemas['DiscoveryDto'], 'location' | 'arrival' | 'opinion' | 'hold'> & {
  hold: { active: boolean; liftedAt: string | null; liftedReason: string | null } | null;
  location: Point;
  arrival: { arrivedAt: string; people: string[]; notes: string | null } | null;
  opinion: { measures: Measures; important: boolean; text: string; issuedAt: string } | null;
};
export type DiscoveryPhoto = Schemas['DiscoveryPhotoDto'];
export type DiscoveryState = Discovery['state'];
export type DiscoveryAction = Discovery['allowedActions'][number];
export type Deadline = Schemas['DeadlineDto'];
export type AuditEvent = Schemas['AuditEventResponseDto'];
export type Measures = Schemas['IssueOpinionDto']['measures'];
export type RecordArrivalBody = Schemas['RecordArrivalDto'];
export type IssueOpinionBody = Schemas['IssueOpinionDto'];
export type RecordNationalAnswerBody = Schemas['RecordNationalAnswerDto'];
export type NationalAnswer = Schemas['DiscoveryNationalAnswerDto'];

export const MEASURES = ['rescue_excavation', 'preserve_in_situ', 'no_cultural_value'] as const satisfies readonly Measures[];
export const DISCOVERY_STATES = ['reported', 'on_site', 'opinion_issued', 'measures_done', 'closed'] as const satisfies readonly DiscoveryState[];

const byId = (id: string) => ({ params: { path: { id } } });

/** JSON, or multipart with the JSON in `data` and the files in `photos` when there are photos (API.md convention). */
function withPhotos<T>(body: T, photos: File[]): { body: T; bodySerializer?: (b: unknown) => unknown } {
  if (!photos.length) return { body };
  const form = new FormData();
  form.append('data', JSON.stringify(body));
  photos.forEach((photo) => form.append('photos', photo, photo.name));
  return { body: form as unknown as T, bodySerializer: (b) => b };
}

export const authorityApi = {
  list: (state?: DiscoveryState) =>
    unwrap(api.GET('/api/discoveries', { params: { query: state ? { state } : {} } })) as Promise<unknown> as Promise<Discovery[]>,
  get: (id: string) => unwrap(api.GET('/api/discoveries/{id}', byId(id))) as Promise<unknown> as Promise<Discovery>,
  /** A stored photo as a Blob: the file endpoint needs the bearer token, which an <img src> cannot send. */
  photo: (fileId: string) =>
    unwrap(api.GET('/api/files/{id}', { params: { path: { id: fileId } }, parseAs: 'blob' } as never)) as Promise<unknown> as Promise<Blob>,
  history: (id: string) =>
    unwrap(api.GET('/api/{collection}/{id}/history', { params: { path: { collection: 'discoveries', id } } })),
  recordArrival: (id: string, body: RecordArrivalBody, photos: File[] = []) =>
    unwrap(api.POST('/api/discoveries/{id}/record-arrival', { ...byId(id), ...withPhotos(body, photos) } as never)) as Promise<unknown> as Promise<Discovery>,
  issueOpinion: (id: string, body: IssueOpinionBody) =>
    unwrap(api.POST('/api/discoveries/{id}/issue-opinion', { ...byId(id), body })) as Promise<unknown> as Promise<Discovery>,
  recordNationalAnswer: (id: string, body: RecordNationalAnswerBody) =>
    unwrap(api.POST('/api/discoveries/{id}/record-national-answer', { ...byId(id), body })) as Promise<unknown> as Promise<Discovery>,
  completeMeasures: (id: string, notes?: string) =>
    unwrap(api.POST('/api/discoveries/{id}/complete-measures', { ...byId(id), body: notes ? { notes } : {} })) as Promise<unknown> as Promise<Discovery>,
  authorizeResumption: (id: string, reason?: string) =>
    unwrap(api.POST('/api/discoveries/{id}/authorize-resumption', { ...byId(id), body: reason ? { reason } : {} })) as Promise<unknown> as Promise<Discovery>,
};

/** An important find whose national answer (国家文物局, within 15 days) is still to be recorded. */
export function awaitsNationalAnswer(d: Pick<Discovery, 'opinion' | 'deadlines' | 'nationalAnswer'>): boolean {
  return Boolean(d.opinion?.important) && d.deadlines.some((x) => x.kind === 'national') && !d.nationalAnswer;
}

/** A report still in the authority's hands: its stop-work order is in force. */
export function isOpen(d: Pick<Discovery, 'state'>): boolean {
  return d.state !== 'closed';
}
