import { unwrap } from '../../api/api-error';
import type { OkJson } from '../../api/api-types';
import { api } from '../../api/client';

export type DashboardSummary = OkJson<'/api/dashboard', 'get'>;
export type DivisionBreakdown = DashboardSummary['divisions'][number];

export function fetchDashboard(): Promise<DashboardSummary> {
  return unwrap(api.GET('/api/dashboard'));
}
