import { ApiProperty } from '@nestjs/swagger';
import { DISCOVERY_STATES, DiscoveryState } from '../discoveries/discoveries.dto';
import { ZONE_CATEGORIES, ZoneCategory } from '../zones/zones.dto';

export const ASSESSMENT_STATUSES = ['not_started', 'planned', 'surveying', 'coring', 'zoning', 'concluded', 'not_applicable'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];
/** Buckets of zone land: the issued plans' three categories, and land of a zone in no issued area. */
export const AREA_BUCKETS = ['avoidance', 'exploration', 'release', 'unzoned'] as const;
export type AreaBucket = (typeof AREA_BUCKETS)[number];
/** The two statutory deadlines (Art. 46): on site within 24 h, handling opinion within 7 days. */
export const DASHBOARD_DEADLINE_KINDS = ['on_site', 'opinion'] as const;
export type DashboardDeadlineKind = (typeof DASHBOARD_DEADLINE_KINDS)[number];

export class DashboardDivisionRefDto {
  @ApiProperty({ example: '140405' }) code!: string;
  @ApiProperty({ example: '屯留区' }) name!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Tunliu' }) nameEn!: string | null;
}

export class DashboardCategoryCountDto {
  @ApiProperty({ enum: ZONE_CATEGORIES }) category!: ZoneCategory;
  @ApiProperty() count!: number;
}

export class DashboardCategoryStatusCountDto {
  @ApiProperty({ enum: ZONE_CATEGORIES }) category!: ZoneCategory;
  @ApiProperty({ enum: ASSESSMENT_STATUSES, description: 'state of the zone’s latest assessment, as in GET /api/zones' }) assessmentStatus!: AssessmentStatus;
  @ApiProperty() count!: number;
}

export class DashboardPublishedZoneCountsDto {
  @ApiProperty({ example: 71 }) industrial!: number;
  @ApiProperty({ example: 22 }) agriculturalOrTourism!: number;
  @ApiProperty({ example: 93 }) total!: number;
}

export class DashboardZonesDto {
  @ApiProperty({ description: 'zones registered in the caller’s scope' }) total!: number;
  @ApiProperty({ type: [DashboardCategoryCountDto], description: 'every category, zero counts included' }) byCategory!: DashboardCategoryCountDto[];
  @ApiProperty({ type: [DashboardCategoryStatusCountDto], description: 'non-zero (category, assessment status) pairs' }) byAssessmentStatus!: DashboardCategoryStatusCountDto[];
  @ApiProperty({ description: 'zones whose effective zoning (an issued plan) exists' }) withIssuedPlan!: number;
  @ApiProperty({ type: DashboardPublishedZoneCountsDto, nullable: true, description: 'the province’s published figures (DOMAIN.md §1), only for a province-wide scope' })
  published!: DashboardPublishedZoneCountsDto | null;
}

export class DashboardAreaDto {
  @ApiProperty({ enum: AREA_BUCKETS }) category!: AreaBucket;
  @ApiProperty({ description: 'on the ellipsoid, m²' }) areaM2!: number;
  @ApiProperty({ description: '亩 (1 亩 = 10000/15 m²)' }) areaMu!: number;
  @ApiProperty({ description: 'hectares' }) areaHa!: number;
}

export class DashboardAreasDto {
  @ApiProperty({ type: [DashboardAreaDto], description: 'avoidance / exploration / release of issued plans, and unzoned land of the zones (no issued plan, or outside every issued area)' })
  byCategory!: DashboardAreaDto[];
  @ApiProperty({ description: 'total zone area, m²' }) totalM2!: number;
  @ApiProperty({ description: 'total zone area, 亩' }) totalMu!: number;
  @ApiProperty({ description: 'total zone area, hectares' }) totalHa!: number;
}

export class DashboardStateCountDto {
  @ApiProperty({ enum: DISCOVERY_STATES }) state!: DiscoveryState;
  @ApiProperty() count!: number;
}

export class DashboardDiscoveriesDto {
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'not closed' }) open!: number;
  @ApiProperty({ description: 'open and overdue: marked by the deadline worker, or an unmet deadline already past due' }) overdue!: number;
  @ApiProperty() closed!: number;
  @ApiProperty({ type: [DashboardStateCountDto], description: 'every state, zero counts included' }) byState!: DashboardStateCountDto[];
}

export class DashboardDeadlineShareDto {
  @ApiProperty({ enum: DASHBOARD_DEADLINE_KINDS }) kind!: DashboardDeadlineKind;
  @ApiProperty({ description: 'met at or before the due time' }) met!: number;
  @ApiProperty({ description: 'met after the due time, or still unmet past it' }) breached!: number;
  @ApiProperty({ description: 'not met and not yet due (not counted in the share)' }) pending!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'met / (met + breached), 0–1; null when nothing is decided yet' }) metShare!: number | null;
}

export class DashboardDivisionBreakdownDto {
  @ApiProperty({ type: DashboardDivisionRefDto }) division!: DashboardDivisionRefDto;
  @ApiProperty({ type: DashboardDivisionRefDto, nullable: true, description: 'the city above a county' }) parent!: DashboardDivisionRefDto | null;
  @ApiProperty() zones!: number;
  @ApiProperty() industrialZones!: number;
  @ApiProperty({ description: 'industrial zones whose latest assessment is concluded' }) assessedZones!: number;
  @ApiProperty() openReports!: number;
  @ApiProperty() overdueReports!: number;
  @ApiProperty() closedReports!: number;
}

/** `GET /api/dashboard`: the province (or the caller's division tree) at a glance. */
export class DashboardSummaryDto {
  @ApiProperty({ example: '2026-11-27T10:00:00.000+08:00' }) generatedAt!: string;
  @ApiProperty({ type: [DashboardDivisionRefDto], description: 'the divisions the figures cover (empty for an unrestricted admin: everything)' })
  scope!: DashboardDivisionRefDto[];
  @ApiProperty({ type: DashboardZonesDto }) zones!: DashboardZonesDto;
  @ApiProperty({ type: DashboardAreasDto }) areas!: DashboardAreasDto;
  @ApiProperty({ type: DashboardDiscoveriesDto }) discoveries!: DashboardDiscoveriesDto;
  @ApiProperty({ type: [DashboardDeadlineShareDto] }) deadlines!: DashboardDeadlineShareDto[];
  @ApiProperty({ type: [DashboardDivisionBreakdownDto], description: 'per county (with its city): divisions holding zones or reports in scope' })
  divisions!: DashboardDivisionBreakdownDto[];
}
