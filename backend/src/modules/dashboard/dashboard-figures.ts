import { DISCOVERY_STATES } from '../discoveries/discoveries.dto';
import { areaFigures } from '../spatial/geojson';
import { ZONE_CATEGORIES } from '../zones/zones.dto';
import {
  AREA_BUCKETS, DASHBOARD_DEADLINE_KINDS, DashboardAreasDto, DashboardDiscoveriesDto, DashboardZonesDto, DashboardDeadlineShareDto, DashboardDivisionBreakdownDto,
  DashboardPublishedZoneCountsDto,
} from './dashboard.dto';
import { DashboardRows } from './dashboard.repository';

/**
 * The province's published count of development zones (DOMAIN.md §1, the source weekly): shown beside the
 * registered zones so a province-wide reader sees how much of the reform the register already covers.
 */
export const PUBLISHED_ZONE_COUNTS: DashboardPublishedZoneCountsDto = { industrial: 71, agriculturalOrTourism: 22, total: 93 };

/** Share of deadlines met among those already decided (met or breached); pending ones are not counted. */
export function metShare(met: number, breached: number): number | null {
  const decided = met + breached;
  return decided === 0 ? null : Math.round((met / decided) * 10000) / 10000;
}

export function zoneFigures(rows: DashboardRows, provinceWide: boolean): DashboardZonesDto {
  const byCategory = ZONE_CATEGORIES.map((category) => ({
    category,
    count: rows.zones.filter((z) => z.category === category).reduce((s, z) => s + z.count, 0),
  }));
  return {
    total: byCategory.reduce((s, c) => s + c.count, 0),
    byCategory,
    byAssessmentStatus: rows.zones.map((z) => ({ category: z.category, assessmentStatus: z.assessment_status, count: z.count })),
    withIssuedPlan: rows.with_issued_plan,
    published: provinceWide ? PUBLISHED_ZONE_COUNTS : null,
  };
}

export function areaFiguresByCategory(rows: DashboardRows): DashboardAreasDto {
  const total = areaFigures(Number(rows.total_m2));
  return {
    byCategory: AREA_BUCKETS.map((category) => {
      const m2 = rows.areas.filter((a) => a.category === category).reduce((s, a) => s + Number(a.m2), 0);
      return { category, ...areaFigures(m2) };
    }),
    totalM2: total.areaM2,
    totalMu: total.areaMu,
    totalHa: total.areaHa,
  };
}

export function discoveryFigures(rows: DashboardRows): DashboardDiscoveriesDto {
  const byState = DISCOVERY_STATES.map((state) => ({ state, count: rows.reports.find((r) => r.state === state)?.count ?? 0 }));
  const closed = byState.find((s) => s.state === 'closed')!.count;
  const total = byState.reduce((s, r) => s + r.count, 0);
  return { total, open: total - closed, overdue: rows.reports.reduce((s, r) => s + r.overdue, 0), closed, byState };
}

export function deadlineFigures(rows: DashboardRows): DashboardDeadlineShareDto[] {
  return DASHBOARD_DEADLINE_KINDS.map((kind) => {
    const d = rows.deadlines.find((x) => x.kind === kind) ?? { met: 0, breached: 0, pending: 0 };
    return { kind, met: d.met, breached: d.breached, pending: d.pending, metShare: metShare(d.met, d.breached) };
  });
}

export function divisionFigures(rows: DashboardRows): DashboardDivisionBreakdownDto[] {
  return rows.divisions.map((d) => ({
    division: { code: d.code, name: d.name, nameEn: d.name_en },
    parent: d.parent_code ? { code: d.parent_code, name: d.parent_name!, nameEn: d.parent_name_en } : null,
    zones: d.zones,
    industrialZones: d.industrial,
    assessedZones: d.assessed,
    openReports: d.open,
    overdueReports: d.overdue,
    closedReports: d.closed,
  }));
}
