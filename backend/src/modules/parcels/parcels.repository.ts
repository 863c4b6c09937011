import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { SqlParams } from '../auth/scope.service';
import { areaFigures, GeoJsonGeometry } from '../spatial/geojson';

export interface ParcelRecord {
  id: string;
  zoneId: string;
  zoneCode: string;
  zoneName: string;
  committeeOrgId: string | null;
  code: string;
  name: string;
  plannedUse: string;
  areaM2: number;
  areaMu: number;
  areaHa: number;
  transferredAt: string | null;
  createdAt: string | null;
  geometry?: GeoJsonGeometry;
}

interface Row {
  id: string;
  zone_id: string;
  zone_code: string;
  zone_name: string;
  committee_org_id: string | null;
  code: string;
  name: string;
  planned_use: string;
  area_m2: number;
  transferred_at: Date | null;
  created_at: Date | null;
  geometry?: string;
}

function mapRow(r: Row): ParcelRecord {
  return {
    id: r.id, zoneId: r.zone_id, zoneCode: r.zone_code, zoneName: r.zone_name, committeeOrgId: r.committee_org_id,
    code: r.code, name: r.name, plannedUse: r.planned_use, ...areaFigures(r.area_m2),
    transferredAt: toIsoOffset(r.transferred_at), createdAt: toIsoOffset(r.created_at),
    ...(r.geometry ? { geometry: JSON.parse(r.geometry) as GeoJsonGeometry } : {}),
  };
}

export interface ParcelWrite {
  zoneId: string;
  code: string;
  name: string;
  plannedUse: string;
  geometry: GeoJsonGeometry;
  createdBy: string | null;
}

@Injectable()
export class ParcelsRepository {
  constructor(private readonly db: DataSource) {}

  private select(withGeometry: boolean): string {
    return `SELECT pc.id, pc.zone_id, z.code AS zone_code, z.name AS zone_name, z.committee_org_id, pc.code, pc.name, pc.planned_use,
                   pc.area_m2, pc.transferred_at, pc.created_at ${withGeometry ? ', ST_AsGeoJSON(pc.geom, 9, 0) AS geometry' : ''}
              FROM parcels pc JOIN zones z ON z.id = pc.zone_id`;
  }

  async list(scopeSql: string, params: SqlParams, filter: { zoneId?: string }): Promise<ParcelRecord[]> {
    const where = [scopeSql];
    if (filter.zoneId) where.push(`pc.zone_id = ${params.add(filter.zoneId)}`);
    const rows: Row[] = await this.db.query(`${this.select(false)} WHERE ${where.join(' AND ')} ORDER BY z.code, pc.code`, params.values);
    return rows.map(mapRow);
  }

  async findById(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams(), opts: { lock?: boolean } = {}): Promise<ParcelRecord | null> {
    const rows: Row[] = await m.query(
      `${this.select(true)} WHERE pc.id = ${params.add(id)} AND ${scopeSql} ${opts.lock ? 'FOR UPDATE OF pc' : ''}`,
      params.values,
    );
    return rows[0] ? mapRow(rows[0]) : null;
  }

  async codeTaken(m: EntityManager, zoneId: string, code: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM parcels WHERE zone_id = $1 AND code = $2`, [zoneId, code]);
    return rows.length > 0;
  }

  /** m² of the shape inside the zone's boundary (on the ellipsoid). */
  async areaInsideZone(m: EntityManager, zoneId: string, g: GeoJsonGeometry): Promise<number> {
    const rows: Array<{ m2: number | null }> = await m.query(
      `SELECT ST_Area(ST_Intersection(z.boundary, ST_SetSRID(ST_GeomFromGeoJSON($2), 4490))::geography) AS m2 FROM zones z WHERE z.id = $1`,
      [zoneId, JSON.stringify(g)],
    );
    return Number(rows[0]?.m2 ?? 0);
  }

  async insert(m: EntityManager, w: ParcelWrite): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO parcels (zone_id, code, name, planned_use, geom, area_m2, created_by)
       SELECT $1, $2, $3, $4, g, ST_Area(g::geography), $6
         FROM (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4490)) AS g) s
       RETURNING id`,
      [w.zoneId, w.code, w.name, w.plannedUse, JSON.stringify(w.geometry), w.createdBy],
    );
    return rows[0]!.id;
  }

  /** Many parcels in one statement (imports). */
  async insertMany(m: EntityManager, zoneId: string, createdBy: string | null, items: Array<{ code: string; name: string; plannedUse: string; geometry: GeoJsonGeometry }>): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO parcels (zone_id, code, name, planned_use, geom, area_m2, created_by)
       SELECT $1, t.code, t.name, t.use, g.geom, ST_Area(g.geom::geography), $2
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t(code, name, use, geojson)
         CROSS JOIN LATERAL (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(t.geojson), 4490)) AS geom) g
       RETURNING id`,
      [
        zoneId, createdBy,
        items.map((i) => i.code), items.map((i) => i.name), items.map((i) => i.plannedUse), items.map((i) => JSON.stringify(i.geometry)),
      ],
    );
    return rows.map((r) => r.id);
  }

  async markTransferred(m: EntityManager, id: string, at: string, by: string | null): Promise<void> {
    await m.query(`UPDATE parcels SET transferred_at = $2, transferred_by = $3, updated_at = now() WHERE id = $1`, [id, at, by]);
  }
}
