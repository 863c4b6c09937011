import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams } from '../auth/scope.service';
import { DiscoveryState } from '../discoveries/discoveries.dto';
import { ZonesRepository } from '../zones/zones.repository';
import { ZoneCategory } from '../zones/zones.dto';
import { AreaBucket, AssessmentStatus, DashboardDeadlineKind } from './dashboard.dto';

export interface DashboardRows {
  zones: Array<{ category: ZoneCategory; assessment_status: AssessmentStatus; count: number }>;
  with_issued_plan: number;
  areas: Array<{ category: AreaBucket; m2: number }>;
  total_m2: number;
  reports: Array<{ state: DiscoveryState; count: number; overdue: number }>;
  deadlines: Array<{ kind: DashboardDeadlineKind; met: number; breached: number; pending: number }>;
  divisions: Array<{
    code: string; name: string; name_en: string | null; parent_code: string | null; parent_name: string | null; parent_name_en: string | null;
    zones: number; industrial: number; assessed: number; open: number; overdue: number; closed: number;
  }>;
}

export interface DashboardScope {
  /** predicate on `z` (zones) */
  zones: string;
  /** predicate on `r` (discovery_reports) */
  reports: string;
  params: SqlParams;
}

@Injectable()
export class DashboardRepository {
  constructor(
    private readonly db: DataSource,
    private readonly zonesRepo: ZonesRepository,
  ) {}

  /**
   * Every figure of the dashboard in one statement (one snapshot). Areas are summed on the ellipsoid
   * (`::geography`), each issued area measured once. A zone's unzoned land is its area minus its issued
   * areas: an issued plan passed validation, so its areas neither overlap nor leave the boundary beyond the
   * tolerance (0.5 m²), and a subtraction is exact to that — where a union and a difference per zone cost
   * several times more on every request.
   */
  async summary(scope: DashboardScope, now: Date): Promise<DashboardRows> {
    const p = scope.params;
    const at = p.add(now);
    const rows: DashboardRows[] = await this.db.query(
      `WITH sz AS (
         SELECT z.id, z.category, z.division_code, z.area_m2, ${this.zonesRepo.assessmentStatusSql('z')} AS assessment_status
           FROM zones z WHERE ${scope.zones}
       ),
       ia AS (
         SELECT pl.zone_id, a.category, ST_Area(a.geom::geography) AS m2
           FROM zoning_plans pl JOIN sz ON sz.id = pl.zone_id JOIN zoning_areas a ON a.plan_id = pl.id
          WHERE pl.state = 'issued'
       ),
       zoned AS (SELECT category, sum(m2) AS m2 FROM ia GROUP BY category),
       unzoned AS (
         SELECT coalesce(sum(greatest(0, sz.area_m2 - coalesce(per_zone.m2, 0))), 0) AS m2
           FROM sz LEFT JOIN (SELECT zone_id, sum(m2) AS m2 FROM ia GROUP BY zone_id) per_zone ON per_zone.zone_id = sz.id
       ),
       sr AS (
         SELECT r.id, r.state, r.division_code,
                r.state <> 'closed' AND (r.overdue_at IS NOT NULL OR EXISTS (
                  SELECT 1 FROM discovery_deadlines d WHERE d.report_id = r.id AND d.met_at IS NULL AND d.due_at <= ${at})) AS overdue
           FROM discovery_reports r WHERE ${scope.reports}
       ),
       dl AS (
         SELECT d.kind,
                count(*) FILTER (WHERE d.met_at IS NOT NULL AND d.met_at <= d.due_at)::int AS met,
                count(*) FILTER (WHERE (d.met_at IS NOT NULL AND d.met_at > d.due_at) OR (d.met_at IS NULL AND d.due_at <= ${at}))::int AS breached,
                count(*) FILTER (WHERE d.met_at IS NULL AND d.due_at > ${at})::int AS pending
           FROM discovery_deadlines d JOIN sr ON sr.id = d.report_id
          WHERE d.kind IN ('on_site', 'opinion') GROUP BY d.kind
       ),
       per_div AS (
         SELECT code, sum(zones)::int AS zones, sum(industrial)::int AS industrial, sum(assessed)::int AS assessed,
                sum(open)::int AS open, sum(overdue)::int AS overdue, sum(closed)::int AS closed
           FROM (SELECT sz.division_code AS code, 1 AS zones, (sz.category = 'industrial')::int AS industrial,
                        (sz.assessment_status = 'concluded')::int AS assessed, 0 AS open, 0 AS overdue, 0 AS closed FROM sz
                 UNION ALL
                 SELECT sr.division_code, 0, 0, 0, (sr.state <> 'closed')::int, sr.overdue::int, (sr.state = 'closed')::int FROM sr) x
          GROUP BY code
       )
       SELECT
         (SELECT coalesce(json_agg(t ORDER BY t.category, t.assessment_status), '[]'::json)
            FROM (SELECT category, assessment_status, count(*)::int AS count FROM sz GROUP BY 1, 2) t) AS zones,
         (SELECT count(*)::int FROM zoning_plans pl JOIN sz ON sz.id = pl.zone_id WHERE pl.state = 'issued') AS with_issued_plan,
         (SELECT coalesce(json_agg(json_build_object('category', category, 'm2', m2)), '[]'::json) FROM zoned) AS areas,
         (SELECT coalesce(sum(area_m2), 0) FROM sz)::float8 AS total_m2,
         (SELECT m2 FROM unzoned)::float8 AS unzoned_m2,
         (SELECT coalesce(json_agg(t), '[]'::json)
            FROM (SELECT state, count(*)::int AS count, count(*) FILTER (WHERE overdue)::int AS overdue FROM sr GROUP BY state) t) AS reports,
         (SELECT coalesce(json_agg(dl), '[]'::json) FROM dl) AS deadlines,
         (SELECT coalesce(json_agg(json_build_object(
                   'code', dv.code, 'name', dv.name, 'name_en', dv.name_en, 'parent_code', pd.code, 'parent_name', pd.name, 'parent_name_en', pd.name_en,
                   'zones', per_div.zones, 'industrial', per_div.industrial, 'assessed', per_div.assessed,
                   'open', per_div.open, 'overdue', per_div.overdue, 'closed', per_div.closed) ORDER BY dv.path), '[]'::json)
            FROM per_div JOIN divisions dv ON dv.code = per_div.code LEFT JOIN divisions pd ON pd.code = dv.parent_code) AS divisions`,
      p.values,
    );
    const r = rows[0] as DashboardRows & { unzoned_m2: number };
    return { ...r, areas: [...r.areas, { category: 'unzoned', m2: r.unzoned_m2 }] };
  }

  async divisionRefs(codes: string[]): Promise<Array<{ code: string; name: string; name_en: string | null }>> {
    if (!codes.length) return [];
    return this.db.query(`SELECT code, name, name_en FROM divisions WHERE code = ANY($1::text[]) ORDER BY path`, [codes]);
  }
}
