import type { paths } from './schema';

/**
 * Response and request types derived from *paths*, not from schema names, so regenerating schema.d.ts from the
 * backend breaks the build only when a path or a field the UI uses really changed.
 */
type JsonContent<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type OkJson<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: infer R };
}
  ? JsonContent<R>
  : never;

export type JsonBody<P extends keyof paths, M extends 'post'> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? JsonContent<NonNullable<B>>
  : never;

export type LoginResponse = OkJson<'/api/auth/login', 'post'>;
export type CurrentUser = OkJson<'/api/auth/me', 'get'>;
export type Role = CurrentUser['roles'][number];
export type OrgType = CurrentUser['org']['type'];
export type Zone = OkJson<'/api/zones', 'get'>[number];
export type ZoneCategory = Zone['category'];
/**
 * `GET /api/layers/{layer}` declares no response schema in the OpenAPI document (it is GeoJSON built in SQL),
 * so the zones layer's feature properties are written down here, from the backend's layer query.
 */
export interface ZoneFeatureProperties {
  code: string;
  name: string;
  category: ZoneCategory;
  areaMu: number;
}
export type PublicConfig = OkJson<'/api/config/public', 'get'>;
export type AdminUser = OkJson<'/api/admin/users', 'get'>[number];
export type Org = OkJson<'/api/admin/orgs', 'get'>[number];
export type Division = OkJson<'/api/divisions', 'get'>[number];

/** The error body every endpoint answers with (API.md). */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}
