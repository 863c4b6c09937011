import type { LineString, Point, Polygon } from 'geojson';
import { ApiError, toApiError, unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { downloadBlob } from '../../api/download';
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type PlanSummary = Schemas['PlanSummaryDto'];
export type PlanDetail = Schemas['PlanDetailDto'];
export type PlanState = PlanSummary['state'];
export type PlanAction = PlanDetail['allowedActions'][number];
export type ZoningArea = Schemas['AreaDto'];
export type ZoningCategory = ZoningArea['category'];
export type Problem = Schemas['ProblemDto'];
export type ValidationResult = Schemas['ValidationResultDto'];
export type PlanDiff = Schemas['PlanDiffDto'];
export type DiffEntry = Schemas['DiffEntryDto'];
export type PlanComment = Schemas['CommentDto'];

export const ZONING_CATEGORIES = ['avoidance', 'exploration', 'release'] as const satisfies readonly ZoningCategory[];
export const PLAN_ACTIONS = ['submit', 'approve', 'return', 'revise', 'issue'] as const satisfies readonly PlanAction[];

/** Who takes each step (DOMAIN: the institute's assessors draft and submit, the bureau's reviewers decide). */
export const ACTION_ROLE: Record<PlanAction, 'assessor' | 'reviewer'> = {
  submit: 'assessor',
  revise: 'assessor',
  approve: 'reviewer',
  return: 'reviewer',
  issue: 'reviewer',
};

/** The actions the plan's state allows that this user's roles may take. */
export function actionsFor(allowed: readonly PlanAction[], roles: readonly string[]): PlanAction[] {
  return PLAN_ACTIONS.filter((a) => allowed.includes(a) && roles.includes(ACTION_ROLE[a]));
}

export interface AreaInput {
  category: ZoningCategory;
  geometry: Polygon;
  rationale?: string;
  label?: string;
  evidence?: ZoningArea['evidence'];
}

/** A plan with the ETag its next edit must send as If-Match. */
export interface VersionedPlan {
  plan: PlanDetail;
  etag: string;
}

interface Fetched<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

async function versioned(call: Promise<Fetched<PlanDetail>>): Promise<VersionedPlan> {
  let result: Fetched<PlanDetail>;
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(0, 'network', '', cause);
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  const plan = result.data as PlanDetail;
  return { plan, etag: result.response.headers.get('etag') ?? `"${plan.rowVersion}"` };
}

const byId = (id: string) => ({ params: { path: { id } } });
const edit = (id: string, etag: string) => ({ params: { path: { id }, header: { 'If-Match': etag } } });
const areaEdit = (id: string, etag: string, areaId: string) => ({ params: { path: { id, areaId }, header: { 'If-Match': etag } } });

export const zoningApi = {
  list: (query: { zoneId?: string; state?: PlanState }) => unwrap(api.GET('/api/zoning-plans', { params: { query } })),
  get: (id: string) => versioned(api.GET('/api/zoning-plans/{id}', byId(id))),
  create: (zoneId: string, fromIssued: boolean) =>
    versioned(api.POST('/api/zoning-plans', { body: fromIssued ? { zoneId, fromIssued: true } : { zoneId } })),
  addArea: (id: string, etag: string, area: AreaInput) =>
    versioned(api.POST('/api/zoning-plans/{id}/areas', { ...edit(id, etag), body: area as unknown as Schemas['AddAreaDto'] })),
  updateArea: (id: string, etag: string, areaId: string, patch: Partial<AreaInput>) =>
    versioned(
      api.PATCH('/api/zoning-plans/{id}/areas/{areaId}', { ...areaEdit(id, etag, areaId), body: patch as unknown as Schemas['UpdateAreaDto'] }),
    ),
  deleteArea: (id: string, etag: string, areaId: string) =>
    versioned(api.DELETE('/api/zoning-plans/{id}/areas/{areaId}', areaEdit(id, etag, areaId))),
  /** Cuts an area along a line: the plan, and the new pieces' ids in the server's order. */
  async splitArea(id: string, etag: string, areaId: string, line: LineString): Promise<VersionedPlan & { pieces: string[] }> {
    let result: Fetched<Schemas['SplitResultDto']>;
    try {
      result = await api.POST('/api/zoning-plans/{id}/areas/{areaId}/split', {
        ...areaEdit(id, etag, areaId),
        body: { line } as unknown as Schemas['SplitAreaDto'],
      });
    } catch (cause) {
      throw new ApiError(0, 'network', '', cause);
    }
    if (!result.response.ok) throw toApiError(result.response.status, result.error);
    const plan = result.data!.plan;
    return { plan, etag: result.response.headers.get('etag') ?? `"${plan.rowVersion}"`, pieces: result.data!.pieces.map((p) => p.id) };
  },
  /** Big plans are validated as a background job (202): poll it until it is done. */
  async validate(id: string): Promise<ValidationResult> {
    const first = await api.POST('/api/zoning-plans/{id}/validate', { ...byId(id), params: { path: { id }, query: {} } });
    if (!first.response.ok) throw toApiError(first.response.status, first.error);
    if (first.response.status === 200) return first.data as ValidationResult;
    const job = first.data as unknown as Schemas['ValidationJobDto'];
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const state = await unwrap(api.GET('/api/zoning-plans/{id}/validation/{jobId}', { params: { path: { id, jobId: job.jobId } } }));
      if (state.status === 'completed' && state.result) return state.result;
      if (state.status === 'failed') throw new ApiError(500, 'validation_failed', state.error ?? '');
    }
  },
  act(id: string, action: PlanAction, body: { reason?: string; justifications?: Record<string, string> }) {
    const params = byId(id).params;
    switch (action) {
      case 'submit':
        return versioned(api.POST('/api/zoning-plans/{id}/submit', { params, body: { justifications: (body.justifications ?? {}) as never } }));
      case 'approve':
        return versioned(api.POST('/api/zoning-plans/{id}/approve', { params, body: body.reason ? { reason: body.reason } : {} }));
      case 'return':
        return versioned(api.POST('/api/zoning-plans/{id}/return', { params, body: { reason: body.reason ?? '' } }));
      case 'revise':
        return versioned(api.POST('/api/zoning-plans/{id}/revise', { params, body: {} }));
      case 'issue':
        return versioned(api.POST('/api/zoning-plans/{id}/issue', { params, body: {} }));
    }
  },
  diff: (id: string) => unwrap(api.GET('/api/zoning-plans/{id}/diff', { params: { path: { id }, query: {} } })),
  comments: (id: string) => unwrap(api.GET('/api/zoning-plans/{id}/comments', byId(id))),
  addComment: (id: string, body: string, location: Point | null) =>
    unwrap(
      api.POST('/api/zoning-plans/{id}/comments', {
        ...byId(id),
        body: (location ? { body, location } : { body }) as unknown as Schemas['CreateCommentDto'],
      }),
    ),
  /** The opinion PDF through the authorised client (token refresh included), handed to the browser as a download. */
  downloadOpinion: (id: string, fileName: string): Promise<void> =>
    downloadBlob(api.GET('/api/zoning-plans/{id}/opinion.pdf', { ...byId(id), parseAs: 'blob' }), fileName),
};
