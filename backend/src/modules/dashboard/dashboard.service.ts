import { Injectable } from '@nestjs/common';
import { Clock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { Principal, Role, hasRole } from '../auth/roles';
import { areaFiguresByCategory, deadlineFigures, discoveryFigures, divisionFigures, zoneFigures } from './dashboard-figures';
import { DashboardSummaryDto } from './dashboard.dto';
import { DashboardRepository, DashboardScope } from './dashboard.repository';

/**
 * Who reads the dashboard: the provincial bureau's reviewers and admins (the whole province) and local
 * authority officers (their city or county and everything below it). Committees and contractors do not:
 * counts of finds and overdue reports across divisions are not theirs to see, and a committee's one zone is
 * already on its own pages. Assessors work on evidence, not on the programme's progress.
 */
export const DASHBOARD_READERS = ['admin', 'reviewer', 'authority_officer'] as const satisfies readonly Role[];
const SCOPED_READERS: Role[] = ['reviewer', 'authority_officer'];

@Injectable()
export class DashboardService {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly scope: ScopeService,
    private readonly clock: Clock,
  ) {}

  /** The same division-tree rule for zones and for reports, so a county officer's figures add up. */
  private scopeFor(p: Principal): DashboardScope & { provinceWide: boolean; divisionCodes: string[] } {
    const params = new SqlParams();
    const admin = hasRole(p, 'admin');
    const assignments = p.assignments.filter((a) => (admin && a.role === 'admin') || SCOPED_READERS.includes(a.role));
    const divisionCodes = [...new Set(assignments.map((a) => a.divisionCode).filter((c): c is string => c !== null))];
    const provinceWide = admin || assignments.some((a) => a.scopeType === 'province' || (a.divisionPath !== null && !a.divisionPath.includes('.')));
    if (admin) return { zones: 'TRUE', reports: 'TRUE', params, provinceWide, divisionCodes };
    return {
      zones: this.scope.divisionPredicate(p, SCOPED_READERS, 'z.division_code', params),
      reports: this.scope.divisionPredicate(p, SCOPED_READERS, 'r.division_code', params),
      params,
      provinceWide,
      divisionCodes,
    };
  }

  async summary(p: Principal): Promise<DashboardSummaryDto> {
    const scope = this.scopeFor(p);
    const now = this.clock.now();
    const [rows, refs] = await Promise.all([this.repo.summary(scope, now), this.repo.divisionRefs(scope.divisionCodes)]);
    return {
      generatedAt: toIsoOffset(now)!,
      scope: refs.map((d) => ({ code: d.code, name: d.name, nameEn: d.name_en })),
      zones: zoneFigures(rows, scope.provinceWide),
      areas: areaFiguresByCategory(rows),
      discoveries: discoveryFigures(rows),
      deadlines: deadlineFigures(rows),
      divisions: divisionFigures(rows),
    };
  }
}
