import type { Polygon } from 'geojson';
import { ApiError } from '../../api/api-error';
import type { AreaPatch, AreaSnapshot, EditPort, PlanVersion } from './edit-history';
import { zoningApi, type AreaInput, type VersionedPlan, type ZoningArea } from './zoning.api';

/** What the history gets back from each call: the plan as the workspace shows it. */
export interface EditStep extends PlanVersion {
  versioned: VersionedPlan;
}

const step = (versioned: VersionedPlan): EditStep => ({ etag: versioned.etag, areaIds: versioned.plan.areas.map((a) => a.id), versioned });

function input(area: AreaSnapshot): AreaInput {
  return {
    category: area.category,
    geometry: area.geometry,
    ...(area.rationale ? { rationale: area.rationale } : {}),
    ...(area.label ? { label: area.label } : {}),
    ...(area.evidence.length ? { evidence: area.evidence } : {}),
  };
}

function patch(p: AreaPatch): Partial<AreaInput> {
  return {
    ...(p.category ? { category: p.category } : {}),
    ...(p.geometry ? { geometry: p.geometry } : {}),
    ...(p.rationale ? { rationale: p.rationale } : {}),
    ...(p.label ? { label: p.label } : {}),
  };
}

/** The zoning API as the edit history calls it, every call with If-Match. */
export function zoningEditPort(planId: string): EditPort<EditStep> {
  return {
    add: (etag, area) => zoningApi.addArea(planId, etag, input(area)).then(step),
    update: (etag, id, p) => zoningApi.updateArea(planId, etag, id, patch(p)).then(step),
    remove: (etag, id) => zoningApi.deleteArea(planId, etag, id).then(step),
    split: (etag, id, line) => zoningApi.splitArea(planId, etag, id, line).then((r) => ({ plan: step(r), pieces: r.pieces })),
  };
}

export function snapshotOf(area: ZoningArea): AreaSnapshot {
  return {
    category: area.category,
    geometry: area.geometry as unknown as Polygon,
    rationale: area.rationale,
    label: area.label,
    evidence: area.evidence,
  };
}

/** The server refused because the plan moved on (412) or is no longer a draft (409). */
export const isEditConflict = (error: unknown): boolean => error instanceof ApiError && (error.status === 412 || error.status === 409);
