import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { SqlParams } from '../auth/scope.service';
import { allowedActions } from '../workflow/transitions';
import { ASSESSMENT_TRANSITIONS, AssessmentState, TeamMember } from './assessment-transitions';
import { AssessmentCountsDto, AssessmentDto, AssessmentMemberDto } from './assessments.dto';

interface AssessmentRow {
  id: string;
  zone_id: string;
  zone_code: string;
  zone_name: string;
  zone_category: string;
  division_code: string;
  state: AssessmentState;
  title: string | null;
  started_at: Date | null;
  concluded_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  members: AssessmentMemberDto[];
}

/** What writers of evidence need to know about an assessment. */
export interface AssessmentRef {
  id: string;
  zoneId: string;
  divisionCode: string;
  state: AssessmentState;
  team: TeamMember[];
}

function mapAssessment(r: AssessmentRow): AssessmentDto {
  return {
    id: r.id,
    zoneId: r.zone_id,
    zone: { id: r.zone_id, code: r.zone_code, name: r.zone_name, divisionCode: r.division_code },
    state: r.state,
    title: r.title,
    startedAt: toIsoOffset(r.started_at),
    concludedAt: toIsoOffset(r.concluded_at),
    createdBy: r.created_by,
    createdAt: toIsoOffset(r.created_at)!,
    updatedAt: toIsoOffset(r.updated_at)!,
    rowVersion: r.row_version,
    allowedActions: allowedActions(ASSESSMENT_TRANSITIONS, r.state),
    members: r.members,
  };
}

const SELECT = `
  SELECT a.id, a.zone_id, z.code AS zone_code, z.name AS zone_name, z.category AS zone_category, z.division_code,
         a.state, a.title, a.started_at, a.concluded_at, a.created_by, a.created_at, a.updated_at, a.row_version,
         coalesce((SELECT json_agg(json_build_object('userId', u.id, 'username', u.username, 'displayName', u.display_name,
                                                     'teamRole', m.team_role) ORDER BY m.team_role, u.username)
                     FROM assessment_members m JOIN users u ON u.id = m.user_id
                    WHERE m.assessment_id = a.id), '[]'::json) AS members
    FROM assessments a JOIN zones z ON z.id = a.zone_id`;

@Injectable()
export class AssessmentsRepository {
  constructor(private readonly db: DataSource) {}

  async list(scopeSql: string, params: SqlParams, zoneId: string | undefined): Promise<AssessmentDto[]> {
    const where = [scopeSql];
    if (zoneId) where.push(`a.zone_id = ${params.add(zoneId)}`);
    const rows: AssessmentRow[] = await this.db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY z.code, (a.state <> 'concluded') DESC, a.created_at DESC`, params.values);
    return rows.map(mapAssessment);
  }

  async findById(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams()): Promise<AssessmentDto | null> {
    const rows: AssessmentRow[] = await m.query(`${SELECT} WHERE a.id = ${params.add(id)} AND ${scopeSql}`, params.values);
    return rows[0] ? mapAssessment(rows[0]) : null;
  }

  /** Locks the assessment row for the rest of the transaction (workflow actions, team changes, evidence writes). */
  async lockRef(m: EntityManager, id: string): Promise<AssessmentRef | null> {
    const rows: Array<{ id: string; zone_id: string; division_code: string; state: AssessmentState }> = await m.query(
      `SELECT a.id, a.zone_id, z.division_code, a.state FROM assessments a JOIN zones z ON z.id = a.zone_id WHERE a.id = $1 FOR UPDATE OF a`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return { id: r.id, zoneId: r.zone_id, divisionCode: r.division_code, state: r.state, team: await this.team(m, id) };
  }

  async team(m: EntityManager, id: string): Promise<TeamMember[]> {
    const rows: Array<{ user_id: string; team_role: 'lead' | 'member' }> = await m.query(
      `SELECT user_id, team_role FROM assessment_members WHERE assessment_id = $1`,
      [id],
    );
    return rows.map((r) => ({ userId: r.user_id, teamRole: r.team_role }));
  }

  async zoneForAssessment(m: EntityManager, zoneId: string): Promise<{ id: string; category: string; divisionCode: string } | null> {
    const rows: Array<{ id: string; category: string; division_code: string }> = await m.query(
      `SELECT id, category, division_code FROM zones WHERE id = $1 FOR UPDATE`,
      [zoneId],
    );
    return rows[0] ? { id: rows[0].id, category: rows[0].category, divisionCode: rows[0].division_code } : null;
  }

  async openAssessmentOf(m: EntityManager, zoneId: string): Promise<{ id: string; state: AssessmentState } | null> {
    const rows: Array<{ id: string; state: AssessmentState }> = await m.query(
      `SELECT id, state FROM assessments WHERE zone_id = $1 AND state <> 'concluded'`,
      [zoneId],
    );
    return rows[0] ?? null;
  }

  /** Users among `ids` that hold the assessor role and are active (team members must be assessors). */
  async activeAssessors(m: EntityManager, ids: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT DISTINCT u.id FROM users u JOIN role_assignments r ON r.user_id = u.id
        WHERE u.id = ANY($1::uuid[]) AND u.is_active AND r.role = 'assessor'`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  async insert(m: EntityManager, a: { zoneId: string; title: string | null; createdBy: string; now: Date }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO assessments (zone_id, title, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
      [a.zoneId, a.title, a.createdBy, a.now],
    );
    return rows[0]!.id;
  }

  /** One multi-row upsert for the team. */
  async upsertMembers(m: EntityManager, assessmentId: string, members: TeamMember[], now: Date): Promise<void> {
    if (members.length === 0) return;
    await m.query(
      `INSERT INTO assessment_members (assessment_id, user_id, team_role, added_at)
       SELECT $1, u.user_id, u.team_role, $4 FROM unnest($2::uuid[], $3::text[]) AS u(user_id, team_role)
       ON CONFLICT (assessment_id, user_id) DO UPDATE SET team_role = EXCLUDED.team_role`,
      [assessmentId, members.map((x) => x.userId), members.map((x) => x.teamRole), now],
    );
  }

  async removeMember(m: EntityManager, assessmentId: string, userId: string): Promise<boolean> {
    const rows: Array<{ user_id: string }> = await m.query(
      `DELETE FROM assessment_members WHERE assessment_id = $1 AND user_id = $2 RETURNING user_id`,
      [assessmentId, userId],
    );
    // TypeORM answers DELETE … RETURNING with [rows, count]
    const returned = Array.isArray(rows[0]) ? (rows[0] as unknown as unknown[]) : rows;
    return returned.length > 0;
  }

  async touch(m: EntityManager, id: string, now: Date): Promise<void> {
    await m.query(`UPDATE assessments SET updated_at = $2, row_version = row_version + 1 WHERE id = $1`, [id, now]);
  }

  async counts(id: string): Promise<AssessmentCountsDto> {
    const rows: Array<{ tracks: number; track_length_m: number; observations: number }> = await this.db.query(
      `SELECT (SELECT count(*)::int FROM survey_tracks WHERE assessment_id = $1) AS tracks,
              (SELECT coalesce(sum(ST_Length(geom::geography)), 0)::float8 FROM survey_tracks WHERE assessment_id = $1) AS track_length_m,
              (SELECT count(*)::int FROM survey_observations WHERE assessment_id = $1) AS observations`,
      [id],
    );
    const r = rows[0]!;
    return { tracks: r.tracks, trackLengthM: Math.round(r.track_length_m * 10) / 10, observations: r.observations, coresByResult: await this.coresByResult(id) };
  }

  /**
   * Cores live in the coring module's table; this module only counts them. Before that table exists (or if
   * its shape differs) the figure is null rather than an error.
   */
  private async coresByResult(id: string): Promise<Record<string, number> | null> {
    const exists: Array<{ t: string | null }> = await this.db.query(`SELECT to_regclass('public.coring_points')::text AS t`);
    if (!exists[0]?.t) return null;
    try {
      const rows: Array<{ result: string | null; n: number }> = await this.db.query(
        `SELECT result, count(*)::int AS n FROM coring_points WHERE assessment_id = $1 GROUP BY result ORDER BY result`,
        [id],
      );
      return Object.fromEntries(rows.map((r) => [r.result ?? 'planned', r.n]));
    } catch {
      return null;
    }
  }
}
