import type { FeatureCollection } from 'geojson';
import { unwrap } from '../../api/api-error';
import { api } from '../../api/client';

/** Where imported features go; each workflow offers the targets that fit its step. */
export type ImportTargetName =
  | 'cores'
  | 'observations'
  | 'survey-tracks'
  | 'relics'
  | 'zone-boundary'
  | 'zoning-areas'
  | 'parcels';

export interface ImportWarning {
  code: string;
  /** already in the user's language (Accept-Language) */
  message: string;
  featureIndex?: number;
  featureIndexes?: number[];
}

export interface ImportPreview {
  importId: string;
  format: string;
  crs: { epsg: number | null; detectedFrom: string };
  featureCount: number;
  features: FeatureCollection;
  warnings: ImportWarning[];
}

export interface ImportPreviewRequest {
  file: File;
  /** the CRS the user chose; undefined lets the server detect it */
  srid?: number;
  swapXY?: boolean;
  /** repair invalid geometries (the server reports them otherwise, and will not write them) */
  repair?: boolean;
  target?: ImportTargetName;
}

export interface ImportCommitRequest {
  target: ImportTargetName;
  /** the chosen features; undefined means all */
  featureIndexes?: number[];
  options: Record<string, unknown>;
}

export interface ImportCommitResult {
  target: string;
  written: number;
}

/** The two calls the wizard makes; a prop so other workflows (and the unit tests) can supply their own. */
export interface ImportApi {
  preview(request: ImportPreviewRequest): Promise<ImportPreview>;
  commit(importId: string, request: ImportCommitRequest): Promise<ImportCommitResult>;
}

export const importApi: ImportApi = {
  preview({ file, srid, swapXY, repair, target }) {
    const form = new FormData();
    if (srid !== undefined) form.append('srid', String(srid));
    if (swapXY !== undefined) form.append('swapXY', String(swapXY));
    if (repair) form.append('repair', 'true');
    if (target) form.append('target', target);
    // The file last: the server reads the fields before it from the stream.
    form.append('file', file, file.name);
    // Casts: the document marks Accept-Language as a required parameter (the client always sends it), and
    // types the FeatureCollection as a plain object, which ImportPreview above spells out.
    const init = { body: form, bodySerializer: (body: FormData) => body };
    return unwrap(api.POST('/api/imports/preview', init as never)) as unknown as Promise<ImportPreview>;
  },
  commit(importId, request) {
    const init = { params: { path: { importId } }, body: request };
    return unwrap(api.POST('/api/imports/{importId}/commit', init as never)) as Promise<ImportCommitResult>;
  },
};
