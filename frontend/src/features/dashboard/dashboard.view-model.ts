import type { TFunction } from 'i18next';
import { UNKNOWN_CATEGORY_COLOR, zoneCategoryColor, zoningCategoryColor, type CategoryColor } from '../../map/map-colors.data';
import type { ChartDatum, ChartSeries } from '../../shared/charts/chart.types';
import type { StackedRow } from '../../shared/charts/stacked-bar-chart.component';
import type { DashboardSummary } from './dashboard.api';

/** The category's hue at full strength (the map draws it translucent over the basemap). */
export const solid = (c: CategoryColor): string => `rgb(${c.fill[0]}, ${c.fill[1]}, ${c.fill[2]})`;

/** Assessment progress from grey (nothing yet) through ever darker blues to concluded; not applicable stays neutral. */
export const ASSESSMENT_STATUS_COLORS: Record<string, string> = {
  not_started: '#bdbdbd',
  planned: '#c6dbef',
  surveying: '#9ecae1',
  coring: '#6baed6',
  zoning: '#3182bd',
  concluded: '#08519c',
  not_applicable: '#d7ccc8',
};
const ASSESSMENT_ORDER = ['concluded', 'zoning', 'coring', 'surveying', 'planned', 'not_started', 'not_applicable'];

export const REPORT_COLORS = { open: '#fb8c00', overdue: '#e53935', closed: '#43a047' } as const;

/** Green from 90 %, amber from 60 %, red below: the share of statutory deadlines met. */
export function shareColor(share: number | null): string {
  if (share === null) return '#bdbdbd';
  if (share >= 0.9) return '#43a047';
  if (share >= 0.6) return '#fb8c00';
  return '#e53935';
}

export function zonesByCategory(s: DashboardSummary, t: TFunction): ChartDatum[] {
  return s.zones.byCategory.map((c) => ({
    key: c.category,
    label: t(`zoneCategory.${c.category}`, { defaultValue: c.category }),
    value: c.count,
    color: solid(zoneCategoryColor(c.category)),
  }));
}

/** One row per zone category, split by the state of its zones' latest assessment. */
export function assessmentRows(s: DashboardSummary, t: TFunction): { series: ChartSeries[]; rows: StackedRow[] } {
  const present = new Set(s.zones.byAssessmentStatus.map((x) => x.assessmentStatus));
  const series = ASSESSMENT_ORDER.filter((k) => present.has(k as never)).map((k) => ({
    key: k,
    label: t(`assessmentStatus.${k}`, { defaultValue: k }),
    color: ASSESSMENT_STATUS_COLORS[k] ?? solid(UNKNOWN_CATEGORY_COLOR),
  }));
  const rows = s.zones.byCategory
    .filter((c) => c.count > 0)
    .map((c) => ({
      key: c.category,
      label: t(`zoneCategory.${c.category}`, { defaultValue: c.category }),
      values: Object.fromEntries(
        s.zones.byAssessmentStatus.filter((x) => x.category === c.category).map((x) => [x.assessmentStatus, x.count]),
      ),
    }));
  return { series, rows };
}

const areaLabel = (category: string, t: TFunction): string =>
  category === 'unzoned' ? t('dashboard.areas.unzoned') : t(`zoningCategory.${category}`, { defaultValue: category });
const areaColor = (category: string): string => solid(category === 'unzoned' ? UNKNOWN_CATEGORY_COLOR : zoningCategoryColor(category));

/** Avoidance, exploration and release of the issued plans in 亩 (unzoned land is shown apart: it would dwarf them). */
export function areasInMu(s: DashboardSummary, t: TFunction): ChartDatum[] {
  return s.areas.byCategory
    .filter((a) => a.category !== 'unzoned')
    .map((a) => ({ key: a.category, label: areaLabel(a.category, t), value: a.areaMu, color: areaColor(a.category) }));
}

/** All zone land in one bar (values in m², so the total is not a sum of rounded 亩): how much issued plans have zoned, and into what. */
export function landComposition(s: DashboardSummary, t: TFunction): { series: ChartSeries[]; rows: StackedRow[] } {
  return {
    series: s.areas.byCategory.map((a) => ({ key: a.category, label: areaLabel(a.category, t), color: areaColor(a.category) })),
    rows: [{ key: 'all', label: t('dashboard.areas.allLand'), values: Object.fromEntries(s.areas.byCategory.map((a) => [a.category, a.areaM2])) }],
  };
}

export function reportBars(s: DashboardSummary, t: TFunction): ChartDatum[] {
  const d = s.discoveries;
  if (d.total === 0) return [];
  return (['open', 'overdue', 'closed'] as const).map((k) => ({
    key: k,
    label: t(`dashboard.reports.${k}`),
    value: d[k],
    color: REPORT_COLORS[k],
  }));
}
