import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { SqlParams } from '../auth/scope.service';
import { BBox } from '../spatial/bbox';
import { GeoJsonGeometry, round } from '../spatial/geojson';
import { ProtectionLevel } from './relic-level';
import { RelicDto } from './relics.dto';

/** A relic as written (API body or one imported feature). */
export interface RelicWrite {
  code: string | null;
  name: string;
  protectionLevel: ProtectionLevel;
  period: string | null;
  geometry: GeoJsonGeometry;
  protectionRange: GeoJsonGeometry | null;
  controlZone: GeoJsonGeometry | null;
  divisionCode: string | null;
  description: string | null;
}

export interface PlacementProblem {
  index: number;
  noDivision: boolean;
  outOfScope: boolean;
  codeTaken: boolean;
  rangeNotCovering: boolean;
  controlNotCovering: boolean;
}

interface RelicRow {
  id: string; code: string | null; name: string; protection_level: ProtectionLevel; period: string | null;
  geometry: string; protection_range: string | null; control_zone: string | null; zone_id: string | null;
  zone_code: string | null; zone_name: string | null; division_code: string; description: string | null;
  protection_range_m2: number | null; created_at: Date; updated_at: Date; row_version: number;
}

function mapRelic(r: RelicRow): RelicDto {
  return {
    id: r.id, code: r.code, name: r.name, protectionLevel: r.protection_level, period: r.period,
    geometry: JSON.parse(r.geometry) as GeoJsonGeometry,
    protectionRange: r.protection_range ? (JSON.parse(r.protection_range) as GeoJsonGeometry) : null,
    controlZone: r.control_zone ? (JSON.parse(r.control_zone) as GeoJsonGeometry) : null,
    zone: r.zone_id ? { id: r.zone_id, code: r.zone_code!, name: r.zone_name! } : null,
    divisionCode: r.division_code, description: r.description,
    protectionRangeM2: r.protection_range_m2 === null ? null : round(r.protection_range_m2, 1),
    createdAt: toIsoOffset(r.created_at)!, updatedAt: toIsoOffset(r.updated_at)!, rowVersion: r.row_version,
  };
}

const SELECT = `
  SELECT r.id, r.code, r.name, r.protection_level, r.period, ST_AsGeoJSON(r.geom, 9, 0) AS geometry,
         ST_AsGeoJSON(r.protection_range, 9, 0) AS protection_range, ST_AsGeoJSON(r.control_zone, 9, 0) AS control_zone,
         r.zone_id, z.code AS zone_code, z.name AS zone_name, r.division_code, r.description,
         ST_Area(r.protection_range::geography) AS protection_range_m2, r.created_at, r.updated_at, r.row_version
    FROM immovable_relics r LEFT JOIN zones z ON z.id = r.zone_id`;

/**
 * Rows from JSON ($1), each placed: the zone it lies in (largest overlap; ST_Intersects on the zones'
 * GiST index) and its division (given, else the zone's). Shared by the check and the write so both see
 * the same placement.
 */
const PLACED = `
  src AS (
    SELECT e.ord::int - 1 AS index, e.v->>'code' AS code, e.v->>'name' AS name, e.v->>'protection_level' AS protection_level,
           e.v->>'period' AS period, e.v->>'description' AS description, e.v->>'division_code' AS given_division,
           ST_SetSRID(ST_GeomFromGeoJSON(e.v->'geometry'), 4490) AS g,
           ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(e.v->'protection_range'), 4490)) AS pr,
           ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(e.v->'control_zone'), 4490)) AS cz
      FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(v, ord)
  ), placed AS (
    SELECT src.*, zz.id AS zone_id, coalesce(src.given_division, zz.division_code) AS division_code
      FROM src LEFT JOIN LATERAL (
             SELECT z.id, z.division_code FROM zones z
              WHERE ST_Intersects(z.boundary, src.g)
              ORDER BY ST_Area(ST_Intersection(z.boundary, src.g)::geography) DESC, z.code LIMIT 1) zz ON true
  )`;

/** 1 m of slack when a range must cover the relic (ranges are drawn by hand from paper maps). */
const covers = (outer: string, inner: string): string =>
  `ST_Covers(ST_SetSRID(ST_Buffer(${outer}::geography, 1)::geometry, 4490), ${inner})`;

function toJsonRows(rows: RelicWrite[]): string {
  return JSON.stringify(rows.map((r) => ({
    geometry: r.geometry, protection_range: r.protectionRange ?? undefined, control_zone: r.controlZone ?? undefined,
    code: r.code, name: r.name, protection_level: r.protectionLevel, period: r.period, description: r.description, division_code: r.divisionCode,
  })));
}

@Injectable()
export class RelicsRepository {
  constructor(private readonly db: DataSource) {}

  /** Invalid geometries (relic, protection range or control zone) with PostGIS's reason, in one statement. */
  async invalidGeometries(m: EntityManager, rows: RelicWrite[]): Promise<Array<{ index: number; part: string; reason: string }>> {
    const parts = rows.flatMap((r, index) => [
      { index, part: 'geometry', geometry: r.geometry },
      ...(r.protectionRange ? [{ index, part: 'protectionRange', geometry: r.protectionRange }] : []),
      ...(r.controlZone ? [{ index, part: 'controlZone', geometry: r.controlZone }] : []),
    ]);
    return m.query(
      `SELECT p.index, p.part, ST_IsValidReason(g) AS reason
         FROM jsonb_to_recordset($1::jsonb) AS p(index int, part text, geometry jsonb),
              LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(p.geometry), 4490) AS g) s
        WHERE NOT ST_IsValid(g) ORDER BY p.index, p.part`,
      [JSON.stringify(parts)],
    );
  }

  /** What stops these rows being written: no division, outside the writer's scope, code taken, ranges not covering. */
  async placementProblems(m: EntityManager, rows: RelicWrite[], scope: (column: string, params: SqlParams) => string, exceptId: string | null): Promise<PlacementProblem[]> {
    const params = new SqlParams([toJsonRows(rows), exceptId]);
    const scopeSql = scope('placed.division_code', params);
    const found: Array<{ index: number; no_division: boolean; out_of_scope: boolean; code_taken: boolean; range_bad: boolean; control_bad: boolean }> = await m.query(
      `WITH ${PLACED}, checked AS (
         SELECT placed.index,
                placed.division_code IS NULL AS no_division,
                NOT coalesce(${scopeSql}, false) AS out_of_scope,
                (placed.code IS NOT NULL AND (EXISTS (SELECT 1 FROM immovable_relics x WHERE x.code = placed.code AND x.id IS DISTINCT FROM $2::uuid)
                   OR count(*) OVER (PARTITION BY placed.code) > 1)) AS code_taken,
                (placed.pr IS NOT NULL AND NOT ${covers('placed.pr', 'placed.g')}) AS range_bad,
                (placed.cz IS NOT NULL AND NOT ${covers('placed.cz', 'coalesce(placed.pr, placed.g)')}) AS control_bad
           FROM placed)
       SELECT * FROM checked WHERE no_division OR out_of_scope OR code_taken OR range_bad OR control_bad ORDER BY index`,
      params.values,
    );
    return found.map((f) => ({
      index: f.index, noDivision: f.no_division, outOfScope: f.out_of_scope, codeTaken: f.code_taken,
      rangeNotCovering: f.range_bad, controlNotCovering: f.control_bad,
    }));
  }

  /** One multi-row INSERT for any number of relics. */
  async insertMany(m: EntityManager, rows: RelicWrite[], now: Date): Promise<string[]> {
    const inserted: Array<{ id: string }> = await m.query(
      `WITH ${PLACED}
       INSERT INTO immovable_relics (code, name, protection_level, period, geom, protection_range, control_zone, zone_id, division_code,
                                     description, created_at, updated_at)
       SELECT code, name, protection_level, period, g, pr, cz, zone_id, division_code, description, $2, $2
         FROM placed ORDER BY index
       RETURNING id`,
      [toJsonRows(rows), now],
    );
    return inserted.map((r) => r.id);
  }

  /** Compare-and-set on the row version. */
  async updateOne(m: EntityManager, id: string, expectedVersion: number, row: RelicWrite, now: Date): Promise<boolean> {
    const result = (await m.query(
      `WITH ${PLACED}
       UPDATE immovable_relics r
          SET code = placed.code, name = placed.name, protection_level = placed.protection_level, period = placed.period,
              geom = placed.g, protection_range = placed.pr, control_zone = placed.cz, zone_id = placed.zone_id,
              division_code = placed.division_code, description = placed.description, updated_at = $4, row_version = r.row_version + 1
         FROM placed
        WHERE r.id = $2 AND r.row_version = $3
       RETURNING r.id`,
      [toJsonRows([row]), id, expectedVersion, now],
    )) as unknown[];
    const rows = Array.isArray(result[0]) ? (result[0] as unknown[]) : result;
    return rows.length > 0;
  }

  async lock(m: EntityManager, id: string): Promise<{ rowVersion: number } | null> {
    const rows: Array<{ row_version: number }> = await m.query(`SELECT row_version FROM immovable_relics WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? { rowVersion: rows[0].row_version } : null;
  }

  async findById(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams()): Promise<RelicDto | null> {
    const rows: RelicRow[] = await m.query(`${SELECT} WHERE r.id = ${params.add(id)} AND ${scopeSql}`, params.values);
    return rows[0] ? mapRelic(rows[0]) : null;
  }

  async list(scopeSql: string, params: SqlParams, filter: { zoneId?: string; bbox: BBox | null }): Promise<RelicDto[]> {
    const where = [scopeSql];
    if (filter.zoneId) where.push(`r.zone_id = ${params.add(filter.zoneId)}`);
    if (filter.bbox) {
      const env = `ST_MakeEnvelope(${params.add(filter.bbox[0])}, ${params.add(filter.bbox[1])}, ${params.add(filter.bbox[2])}, ${params.add(filter.bbox[3])}, 4490)`;
      where.push(`(r.geom && ${env} OR r.protection_range && ${env} OR r.control_zone && ${env})`);
    }
    const rows: RelicRow[] = await this.db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.division_code, r.code NULLS LAST, r.name`, params.values);
    return rows.map(mapRelic);
  }
}
