import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlParams } from '../auth/scope.service';
import { GeoJsonGeometry } from '../spatial/geojson';
import { ExplorationResult, ExplorationState } from './exploration.transitions';

export interface ExplorationRow {
  id: string;
  zone_id: string;
  zone_code: string;
  zone_name: string;
  zone_category: string;
  division_code: string;
  parcel_id: string | null;
  state: ExplorationState;
  result: ExplorationResult | null;
  result_notes: string | null;
  revision_plan_id: string | null;
  area_m2: number;
  geometry: string;
  created_at: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
}

const SELECT = `
  SELECT e.id, e.zone_id, z.code AS zone_code, z.name AS zone_name, z.category AS zone_category, z.division_code, e.parcel_id,
         e.state, e.result, e.result_notes, e.revision_plan_id, e.area_m2, ST_AsGeoJSON(e.geom, 9, 0) AS geometry,
         e.created_at, e.started_at, e.completed_at
    FROM explorations e JOIN zones z ON z.id = e.zone_id`;

@Injectable()
export class ExplorationsRepository {
  constructor(private readonly db: DataSource) {}

  async findById(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams(), lock = false): Promise<ExplorationRow | null> {
    const rows: ExplorationRow[] = await m.query(`${SELECT} WHERE e.id = ${params.add(id)} AND ${scopeSql} ${lock ? 'FOR UPDATE OF e' : ''}`, params.values);
    return rows[0] ?? null;
  }

  async list(scopeSql: string, params: SqlParams, f: { zoneId?: string; state?: string }): Promise<ExplorationRow[]> {
    const where = [scopeSql];
    if (f.zoneId) where.push(`e.zone_id = ${params.add(f.zoneId)}`);
    if (f.state) where.push(`e.state = ${params.add(f.state)}`);
    return this.db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY e.created_at DESC, e.id`, params.values);
  }

  /**
   * Where the shape lies relative to the zone: m² inside the zone, and m² in the exploration areas of the
   * zone's issued plan (an industrial zone's exploration applies only there).
   */
  async eligibility(m: EntityManager, zoneId: string, source: { geometry: GeoJsonGeometry } | { parcelId: string }): Promise<{ inside_m2: number; exploration_m2: number }> {
    const [expr, param] = 'geometry' in source
      ? ['ST_SetSRID(ST_GeomFromGeoJSON($2), 4490)', JSON.stringify(source.geometry)]
      : ['(SELECT geom FROM parcels WHERE id = $2)', source.parcelId];
    const rows: Array<{ inside_m2: number | null; exploration_m2: number | null }> = await m.query(
      `WITH q AS (SELECT ${expr} AS g)
       SELECT coalesce(ST_Area(ST_Intersection(z.boundary, q.g)::geography), 0) AS inside_m2,
              coalesce((SELECT ST_Area(ST_Union(ST_Intersection(a.geom, q.g))::geography)
                          FROM zoning_plans zp JOIN zoning_areas a ON a.plan_id = zp.id
                         WHERE zp.zone_id = z.id AND zp.state = 'issued' AND a.category = 'exploration' AND ST_Intersects(a.geom, q.g)), 0) AS exploration_m2
         FROM zones z, q WHERE z.id = $1`,
      [zoneId, param],
    );
    return { inside_m2: Number(rows[0]?.inside_m2 ?? 0), exploration_m2: Number(rows[0]?.exploration_m2 ?? 0) };
  }

  async insert(m: EntityManager, e: { zoneId: string; parcelId: string | null; geometry: GeoJsonGeometry | null; requestedBy: string | null }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO explorations (zone_id, parcel_id, geom, area_m2, requested_by)
       SELECT $1, $2, g, ST_Area(g::geography), $4
         FROM (SELECT ST_Multi(CASE WHEN $3::text IS NULL THEN (SELECT geom FROM parcels WHERE id = $2) ELSE ST_SetSRID(ST_GeomFromGeoJSON($3::text), 4490) END) AS g) s
       RETURNING id`,
      [e.zoneId, e.parcelId, e.geometry ? JSON.stringify(e.geometry) : null, e.requestedBy],
    );
    return rows[0]!.id;
  }

  async insertIndividualAvoidance(m: EntityManager, explorationId: string): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO individual_avoidance (zone_id, exploration_id, geom) SELECT zone_id, id, geom FROM explorations WHERE id = $1 RETURNING id`,
      [explorationId],
    );
    return rows[0]!.id;
  }

  /** A zoning plan of the zone still being worked on (draft … approved), which a new find should amend instead of opening another. */
  async openPlanForZone(m: EntityManager, zoneId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT id FROM zoning_plans WHERE zone_id = $1 AND state IN ('draft', 'submitted', 'returned', 'approved') ORDER BY version DESC LIMIT 1`,
      [zoneId],
    );
    return rows[0]?.id ?? null;
  }
}
