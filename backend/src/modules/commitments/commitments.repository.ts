import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { SqlParams } from '../auth/scope.service';
import { GeoJsonGeometry } from '../spatial/geojson';
import { CommitmentState } from './commitment.transitions';

export interface CommitmentRow {
  id: string;
  plan_id: string;
  zone_id: string;
  zone_code: string;
  zone_name: string;
  zone_committee_org_id: string | null;
  committee_name: string | null;
  plan_version: number;
  plan_state: string;
  document_number: string | null;
  state: CommitmentState;
  signatory_name: string;
  signatory_title: string;
  extra_clauses: string[];
  letter_text: string | null;
  pdf_file_id: string | null;
  pdf_sha256: string | null;
  storage_key: string | null;
  signed_at: Date | null;
  decided_at: Date | null;
  reject_reason: string | null;
  created_at: Date;
}

export interface PlanForCommitment {
  id: string;
  zone_id: string;
  zone_code: string;
  zone_name: string;
  committee_org_id: string | null;
  committee_name: string | null;
  version: number;
  state: string;
  document_number: string | null;
}

const SELECT = `
  SELECT c.id, c.plan_id, c.zone_id, z.code AS zone_code, z.name AS zone_name, z.committee_org_id AS zone_committee_org_id,
         o.name AS committee_name, zp.version AS plan_version, zp.state AS plan_state, zp.document_number,
         c.state, c.signatory_name, c.signatory_title, c.extra_clauses, c.letter_text, c.pdf_file_id, c.pdf_sha256,
         f.storage_key, c.signed_at, c.decided_at, c.reject_reason, c.created_at
    FROM commitments c
    JOIN zones z ON z.id = c.zone_id
    JOIN zoning_plans zp ON zp.id = c.plan_id
    LEFT JOIN organizations o ON o.id = z.committee_org_id
    LEFT JOIN stored_files f ON f.id = c.pdf_file_id`;

@Injectable()
export class CommitmentsRepository {
  constructor(private readonly db: DataSource) {}

  async findById(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams(), opts: { lock?: boolean } = {}): Promise<CommitmentRow | null> {
    const rows: CommitmentRow[] = await m.query(`${SELECT} WHERE c.id = ${params.add(id)} AND ${scopeSql} ${opts.lock ? 'FOR UPDATE OF c' : ''}`, params.values);
    return rows[0] ?? null;
  }

  async list(scopeSql: string, params: SqlParams, filter: { zoneId?: string; state?: string }): Promise<CommitmentRow[]> {
    const where = [scopeSql];
    if (filter.zoneId) where.push(`c.zone_id = ${params.add(filter.zoneId)}`);
    if (filter.state) where.push(`c.state = ${params.add(filter.state)}`);
    return this.db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id`, params.values);
  }

  async findPlan(m: EntityManager, planId: string, opts: { lock?: boolean } = {}): Promise<PlanForCommitment | null> {
    const rows: PlanForCommitment[] = await m.query(
      `SELECT zp.id, zp.zone_id, z.code AS zone_code, z.name AS zone_name, z.committee_org_id, o.name AS committee_name,
              zp.version, zp.state, zp.document_number
         FROM zoning_plans zp JOIN zones z ON z.id = zp.zone_id LEFT JOIN organizations o ON o.id = z.committee_org_id
        WHERE zp.id = $1 ${opts.lock ? 'FOR SHARE OF zp' : ''}`,
      [planId],
    );
    return rows[0] ?? null;
  }

  /** The plan's release areas, in a stable order, with their areas on the ellipsoid. */
  async releaseAreas(m: EntityManager, planId: string): Promise<Array<{ label: string; m2: number }>> {
    const rows: Array<{ label: string | null; m2: number }> = await m.query(
      `SELECT label, ST_Area(geom::geography) AS m2 FROM zoning_areas WHERE plan_id = $1 AND category = 'release'
        ORDER BY label NULLS LAST, ST_XMin(geom), ST_YMin(geom), id`,
      [planId],
    );
    return rows.map((r, i) => ({ label: r.label ?? `释放区 ${i + 1}`, m2: Number(r.m2) }));
  }

  async bureauName(m: EntityManager): Promise<string> {
    const rows: Array<{ name: string }> = await m.query(`SELECT name FROM organizations WHERE type = 'bureau' AND division_code LIKE '14%' ORDER BY division_code, created_at LIMIT 1`);
    return rows[0]?.name ?? '山西省文物局';
  }

  async insert(m: EntityManager, c: { planId: string; zoneId: string; signatoryName: string; signatoryTitle: string; extraClauses: string[]; createdBy: string | null }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO commitments (plan_id, zone_id, signatory_name, signatory_title, extra_clauses, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`,
      [c.planId, c.zoneId, c.signatoryName, c.signatoryTitle, JSON.stringify(c.extraClauses), c.createdBy],
    );
    return rows[0]!.id;
  }

  /** Draft edits only: the WHERE state = 'draft' makes a concurrent submit win cleanly. */
  async updateDraft(m: EntityManager, id: string, f: { signatoryName: string; signatoryTitle: string; extraClauses: string[] }): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `UPDATE commitments SET signatory_name = $2, signatory_title = $3, extra_clauses = $4::jsonb, updated_at = now()
        WHERE id = $1 AND state = 'draft' RETURNING id`,
      [id, f.signatoryName, f.signatoryTitle, JSON.stringify(f.extraClauses)],
    );
    return rows.length > 0;
  }

  async insertStoredFile(m: EntityManager, f: { key: string; sha256: string; bytes: number; contentType: string; originalName: string; createdBy: string | null }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO stored_files (storage_key, sha256, bytes, content_type, original_name, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [f.key, f.sha256, f.bytes, f.contentType, f.originalName, f.createdBy],
    );
    return rows[0]!.id;
  }

  /** SET fragment (for compareAndSetState) freezing the letter: text, file, hash, and the plan's release land. */
  freezeSet(from: number): string {
    return `letter_text = $${from}, pdf_file_id = $${from + 1}, pdf_sha256 = $${from + 2}, signed_at = $${from + 3}, submitted_by = $${from + 4},
            covered_geom = (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(a.geom)), 3))
                              FROM zoning_areas a WHERE a.plan_id = commitments.plan_id AND a.category = 'release')`;
  }

  async releaseStatus(m: EntityManager, zoneId: string, planId: string): Promise<{
    release_m2: number; released_m2: number; pending_m2: number; released: string | null; pending: string | null;
  }> {
    const rows = await m.query(
      `WITH rel AS (SELECT coalesce(ST_Union(geom), 'SRID=4490;POLYGON EMPTY'::geometry) AS g FROM zoning_areas WHERE plan_id = $2 AND category = 'release'),
            com AS (SELECT coalesce(ST_Union(covered_geom), 'SRID=4490;POLYGON EMPTY'::geometry) AS g FROM commitments WHERE zone_id = $1 AND state = 'accepted'),
            parts AS (SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(rel.g, com.g), 3)) AS released,
                             ST_Multi(ST_CollectionExtract(ST_Difference(rel.g, com.g), 3)) AS pending, rel.g AS rel
                        FROM rel, com)
       SELECT coalesce(ST_Area(rel::geography), 0) AS release_m2,
              coalesce(ST_Area(released::geography), 0) AS released_m2,
              coalesce(ST_Area(pending::geography), 0) AS pending_m2,
              CASE WHEN ST_IsEmpty(released) THEN NULL ELSE ST_AsGeoJSON(released, 9, 0) END AS released,
              CASE WHEN ST_IsEmpty(pending) THEN NULL ELSE ST_AsGeoJSON(pending, 9, 0) END AS pending
         FROM parts`,
      [zoneId, planId],
    );
    return rows[0];
  }

  async acceptedForZone(m: EntityManager, zoneId: string): Promise<Array<{ id: string; planVersion: number; signedAt: string | null; decidedAt: string | null }>> {
    const rows: Array<{ id: string; version: number; signed_at: Date | null; decided_at: Date | null }> = await m.query(
      `SELECT c.id, zp.version, c.signed_at, c.decided_at FROM commitments c JOIN zoning_plans zp ON zp.id = c.plan_id
        WHERE c.zone_id = $1 AND c.state = 'accepted' ORDER BY c.decided_at, c.id`,
      [zoneId],
    );
    return rows.map((r) => ({ id: r.id, planVersion: r.version, signedAt: toIsoOffset(r.signed_at), decidedAt: toIsoOffset(r.decided_at) }));
  }

  async issuedPlan(m: EntityManager, zoneId: string, readableSql: string, params: SqlParams): Promise<{ id: string; version: number; document_number: string | null } | null> {
    const rows: Array<{ id: string; version: number; document_number: string | null }> = await m.query(
      `SELECT zp.id, zp.version, zp.document_number FROM zoning_plans zp JOIN zones z ON z.id = zp.zone_id
        WHERE zp.zone_id = ${params.add(zoneId)} AND zp.state = 'issued' AND ${readableSql}`,
      params.values,
    );
    return rows[0] ?? null;
  }
}

export const parseGeometry = (s: string | null): GeoJsonGeometry | null => (s ? (JSON.parse(s) as GeoJsonGeometry) : null);
