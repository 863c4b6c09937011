import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlParams } from '../auth/scope.service';
import { GeoJsonGeometry, areaFigures } from '../spatial/geojson';
import { ZoneCategory, ZoneDetailDto, ZoneDto } from './zones.dto';

interface ZoneRow {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  category: ZoneCategory;
  level: string;
  division_code: string;
  division_name: string;
  committee_org_id: string | null;
  committee_org_name: string | null;
  area_m2: number;
  is_demo: boolean;
  assessment_status: string | null;
  bbox: string;
  boundary?: string;
}

export interface ZoneWrite {
  code: string;
  name: string;
  nameEn: string | null;
  category: ZoneCategory;
  level: string;
  divisionCode: string;
  committeeOrgId: string | null;
  boundary: GeoJsonGeometry;
  isDemo?: boolean;
}

/** Assessment status comes from the assessments module's table once it exists (see zones.service). */
export type AssessmentStatusSql = (alias: string) => string;

function mapZone(r: ZoneRow): ZoneDto {
  const box = JSON.parse(r.bbox) as { coordinates: number[][][] };
  const ring = box.coordinates[0] ?? [];
  const xs = ring.map((c) => c[0]!);
  const ys = ring.map((c) => c[1]!);
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    category: r.category,
    level: r.level,
    division: { code: r.division_code, name: r.division_name },
    committeeOrg: r.committee_org_id ? { id: r.committee_org_id, name: r.committee_org_name! } : null,
    ...areaFigures(r.area_m2),
    assessmentStatus: r.assessment_status,
    isDemo: r.is_demo,
    bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
  };
}

@Injectable()
export class ZonesRepository {
  /** SQL expression for a zone's assessment status; replaced when the assessments module registers. */
  assessmentStatusSql: AssessmentStatusSql = (z) =>
    `CASE WHEN ${z}.category = 'industrial' THEN 'not_started' ELSE 'not_applicable' END`;

  constructor(private readonly db: DataSource) {}

  private select(withBoundary: boolean): string {
    return `SELECT z.id, z.code, z.name, z.name_en, z.category, z.level, z.division_code, d.name AS division_name,
                   z.committee_org_id, o.name AS committee_org_name, z.area_m2, z.is_demo,
                   ${this.assessmentStatusSql('z')} AS assessment_status,
                   ST_AsGeoJSON(ST_Envelope(z.boundary), 9, 0) AS bbox
                   ${withBoundary ? ', ST_AsGeoJSON(z.boundary, 9, 0) AS boundary' : ''}
              FROM zones z JOIN divisions d ON d.code = z.division_code
              LEFT JOIN organizations o ON o.id = z.committee_org_id`;
  }

  async list(scopeSql: string, params: SqlParams, filter: { category?: string; division?: string; q?: string }): Promise<ZoneDto[]> {
    const where = [scopeSql];
    if (filter.category) where.push(`z.category = ${params.add(filter.category)}`);
    if (filter.division) {
      where.push(`z.division_code IN (SELECT code FROM divisions WHERE path = (SELECT path FROM divisions WHERE code = ${params.add(filter.division)})
                   OR path LIKE (SELECT path FROM divisions WHERE code = ${params.add(filter.division)}) || '.%')`);
    }
    if (filter.q) {
      const like = params.add(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(z.name ILIKE ${like} OR z.code ILIKE ${like} OR z.name_en ILIKE ${like})`);
    }
    const rows: ZoneRow[] = await this.db.query(`${this.select(false)} WHERE ${where.join(' AND ')} ORDER BY z.division_code, z.code`, params.values);
    return rows.map(mapZone);
  }

  async findById(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams()): Promise<ZoneDetailDto | null> {
    const rows: ZoneRow[] = await m.query(`${this.select(true)} WHERE z.id = ${params.add(id)} AND ${scopeSql}`, params.values);
    const r = rows[0];
    return r ? { ...mapZone(r), boundary: JSON.parse(r.boundary!) as GeoJsonGeometry } : null;
  }

  async codeTaken(m: EntityManager, code: string, exceptId?: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM zones WHERE code = $1 AND id IS DISTINCT FROM $2`, [code, exceptId ?? null]);
    return rows.length > 0;
  }

  /** Validity with PostGIS's reason and where it breaks, before anything is written. */
  async checkGeometry(m: EntityManager, g: GeoJsonGeometry): Promise<{ valid: boolean; reason: string | null; location: GeoJsonGeometry | null }> {
    const rows: Array<{ valid: boolean; reason: string | null; location: string | null }> = await m.query(
      `SELECT (d).valid, (d).reason, ST_AsGeoJSON((d).location, 9, 0) AS location
         FROM (SELECT ST_IsValidDetail(ST_SetSRID(ST_GeomFromGeoJSON($1), 4490)) AS d) s`,
      [JSON.stringify(g)],
    );
    const r = rows[0]!;
    return { valid: r.valid, reason: r.reason, location: r.location ? (JSON.parse(r.location) as GeoJsonGeometry) : null };
  }

  async insert(m: EntityManager, z: ZoneWrite): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO zones (code, name, name_en, category, level, division_code, committee_org_id, boundary, area_m2, is_demo)
       SELECT $1, $2, $3, $4, $5, $6, $7, g, ST_Area(g::geography), $9
         FROM (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($8), 4490)) AS g) s
       RETURNING id`,
      [z.code, z.name, z.nameEn, z.category, z.level, z.divisionCode, z.committeeOrgId, JSON.stringify(z.boundary), z.isDemo ?? false],
    );
    return rows[0]!.id;
  }

  async update(m: EntityManager, id: string, z: ZoneWrite): Promise<void> {
    await m.query(
      `UPDATE zones SET name = $2, name_en = $3, category = $4, level = $5, division_code = $6, committee_org_id = $7,
              boundary = g, area_m2 = ST_Area(g::geography), row_version = row_version + 1, updated_at = now()
         FROM (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($8), 4490)) AS g) s
        WHERE id = $1`,
      [id, z.name, z.nameEn, z.category, z.level, z.divisionCode, z.committeeOrgId, JSON.stringify(z.boundary)],
    );
  }
}
