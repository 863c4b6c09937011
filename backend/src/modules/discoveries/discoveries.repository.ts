import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { SecretBox } from '../../infra/crypto/secret-box';
import { returnedRows } from '../../infra/database/sql-result';
import { SqlParams } from '../auth/scope.service';
import { GeoJsonGeometry } from '../spatial/geojson';
import { DeadlineDto, DeadlineKind, DiscoveryCreatedDto, DiscoveryDto, DiscoveryPhotoDto, DiscoveryState, Measures, NotificationDto, StopWorkOrderDto } from './discoveries.dto';

export interface ProjectForReport {
  id: string;
  name: string;
  state: 'active' | 'stopped' | 'completed';
  zoneId: string;
  contractorOrgId: string;
  divisionCode: string;
}

export interface ReportCore {
  id: string;
  state: DiscoveryState;
  projectId: string;
  contractorOrgId: string;
  divisionCode: string;
  reportedAt: Date;
}

interface ReportRow {
  id: string; project_id: string; project_name: string; zone_id: string; division_code: string; state: DiscoveryState;
  overdue_at: Date | null; location: string; accuracy_m: number | null; found_at: Date; reported_at: Date; depth_m: number | null;
  description: string; suspected_type: string; arrived_at: Date | null; arrival_people: string[] | null; arrival_notes: string | null;
  opinion_measures: Measures | null; opinion_important: boolean | null; opinion_text: string | null; opinion_at: Date | null;
  measures_done_at: Date | null; closed_at: Date | null; revision_plan_id: string | null;
  national_answer_at: Date | null; national_answer_ref: string | null; national_answer_text: string | null; national_answer_recorded_at: Date | null;
  hold: { active: boolean; lifted_at: string | null; lifted_reason: string | null } | null;
  swo: { id: string; state: 'active' | 'lifted'; issued_at: string; acknowledged_at: string | null; lifted_at: string | null };
  deadlines: Array<{ id: string; kind: DeadlineKind; due_at: string; met_at: string | null; reminded_at: string | null; breached_at: string | null; escalated_to: string | null }>;
  photos: PhotoRow[];
}

interface PhotoRow {
  id: string; file_id: string; step: 'report' | 'arrival'; sha256: string; bytes: number; content_type: string; original_name: string | null;
  exif_taken_at: string | null; exif_location: GeoJsonGeometry | null; distance_m: number | null; far_from_report: boolean; created_at: string;
}

const PHOTO_JSON = `json_build_object('id', ph.id, 'file_id', ph.file_id, 'step', ph.step, 'sha256', ph.sha256, 'bytes', f.bytes,
  'content_type', f.content_type, 'original_name', f.original_name, 'exif_taken_at', ph.exif_taken_at,
  'exif_location', ST_AsGeoJSON(ph.exif_location, 9, 0)::json, 'distance_m', ph.distance_m, 'far_from_report', ph.far_from_report,
  'created_at', ph.created_at)`;

const SELECT = `
  SELECT r.id, r.project_id, pr.name AS project_name, r.zone_id, r.division_code, r.state, r.overdue_at,
         ST_AsGeoJSON(r.location, 9, 0) AS location, r.accuracy_m, r.found_at, r.reported_at, r.depth_m, r.description,
         r.suspected_type, r.arrived_at, r.arrival_people, r.arrival_notes, r.opinion_measures, r.opinion_important,
         r.opinion_text, r.opinion_at, r.measures_done_at, r.closed_at, r.revision_plan_id,
         r.national_answer_at, r.national_answer_ref, r.national_answer_text, r.national_answer_recorded_at,
         (SELECT json_build_object('active', h.active, 'lifted_at', h.lifted_at, 'lifted_reason', h.lifted_reason)
            FROM clearance_holds h WHERE h.source_type = 'discovery_report' AND h.source_id = r.id ORDER BY h.created_at LIMIT 1) AS hold,
         (SELECT json_build_object('id', s.id, 'state', s.state, 'issued_at', s.issued_at, 'acknowledged_at', s.acknowledged_at, 'lifted_at', s.lifted_at)
            FROM stop_work_orders s WHERE s.report_id = r.id) AS swo,
         (SELECT coalesce(json_agg(json_build_object('id', d.id, 'kind', d.kind, 'due_at', d.due_at, 'met_at', d.met_at,
                   'reminded_at', d.reminded_at, 'breached_at', d.breached_at, 'escalated_to', d.escalated_to) ORDER BY d.due_at), '[]'::json)
            FROM discovery_deadlines d WHERE d.report_id = r.id) AS deadlines,
         (SELECT coalesce(json_agg(${PHOTO_JSON} ORDER BY ph.step DESC, ph.created_at, ph.position), '[]'::json)
            FROM discovery_photos ph JOIN stored_files f ON f.id = ph.file_id WHERE ph.report_id = r.id) AS photos
    FROM discovery_reports r JOIN projects pr ON pr.id = r.project_id`;

async function updated<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return returnedRows<T>(await m.query(sql, params));
}

const iso = (v: Date | string | null): string | null => toIsoOffset(v);

function toDto(r: ReportRow): Omit<DiscoveryDto, 'allowedActions'> {
  const swo: StopWorkOrderDto = {
    id: r.swo.id, reportId: r.id, projectId: r.project_id, state: r.swo.state, issuedAt: iso(r.swo.issued_at)!,
    acknowledgedAt: iso(r.swo.acknowledged_at), liftedAt: iso(r.swo.lifted_at),
  };
  const deadlines: DeadlineDto[] = r.deadlines.map((d) => ({
    id: d.id, kind: d.kind, dueAt: iso(d.due_at)!, metAt: iso(d.met_at), remindedAt: iso(d.reminded_at), breachedAt: iso(d.breached_at), escalatedTo: d.escalated_to,
  }));
  return {
    id: r.id, projectId: r.project_id, projectName: r.project_name, zoneId: r.zone_id, divisionCode: r.division_code, state: r.state,
    overdue: r.overdue_at !== null, location: JSON.parse(r.location) as GeoJsonGeometry, accuracyM: r.accuracy_m,
    foundAt: iso(r.found_at)!, reportedAt: iso(r.reported_at)!, depthM: r.depth_m, description: r.description, suspectedType: r.suspected_type,
    arrival: r.arrived_at ? { arrivedAt: iso(r.arrived_at)!, people: r.arrival_people ?? [], notes: r.arrival_notes } : null,
    opinion: r.opinion_measures
      ? { measures: r.opinion_measures, important: r.opinion_important === true, text: r.opinion_text ?? '', issuedAt: iso(r.opinion_at)! }
      : null,
    nationalAnswer: r.national_answer_at
      ? { answeredAt: iso(r.national_answer_at)!, reference: r.national_answer_ref ?? '', text: r.national_answer_text, recordedAt: iso(r.national_answer_recorded_at)! }
      : null,
    measuresDoneAt: iso(r.measures_done_at), closedAt: iso(r.closed_at), stopWorkOrder: swo, deadlines,
    revisionPlanId: r.revision_plan_id,
    hold: r.hold ? { active: r.hold.active, liftedAt: iso(r.hold.lifted_at), liftedReason: r.hold.lifted_reason ? r.hold.lifted_reason.split(':')[0]! : null } : null,
    photos: r.photos.map(photoDto),
  };
}

function photoDto(p: PhotoRow): DiscoveryPhotoDto {
  return {
    id: p.id, fileId: p.file_id, url: `/api/files/${p.file_id}`, step: p.step, sha256: p.sha256, bytes: p.bytes, contentType: p.content_type,
    originalName: p.original_name, exifTakenAt: iso(p.exif_taken_at), exifLocation: p.exif_location,
    distanceM: p.distance_m === null ? null : Math.round(p.distance_m), farFromReport: p.far_from_report, createdAt: iso(p.created_at)!,
  };
}

interface NotificationRow {
  id: string; kind: string; report_id: string | null; deadline_id: string | null; payload: Record<string, unknown>; created_at: Date; read_at: Date | null;
  deliveries: Array<{ channel: 'email' | 'webhook'; state: 'pending' | 'sent' | 'failed'; attempts: number; sent_at: string | null; last_error: string | null }>;
}

const NOTIFICATION_COLUMNS = `n.id, n.kind, n.report_id, n.deadline_id, n.payload, n.created_at, n.read_at,
  (SELECT coalesce(json_agg(json_build_object('channel', d.channel, 'state', d.state, 'attempts', d.attempts, 'sent_at', d.sent_at,
            'last_error', d.last_error) ORDER BY d.channel), '[]'::json)
     FROM notification_deliveries d WHERE d.notification_id = n.id) AS deliveries`;

function notificationDto(r: NotificationRow): NotificationDto {
  return {
    id: r.id, kind: r.kind, reportId: r.report_id, deadlineId: r.deadline_id, payload: r.payload, createdAt: iso(r.created_at)!, readAt: iso(r.read_at),
    deliveries: r.deliveries.map((d) => ({ channel: d.channel, state: d.state, attempts: d.attempts, sentAt: iso(d.sent_at), lastError: d.last_error })),
  };
}

export interface PhotoInsert {
  storageKey: string; sha256: string; bytes: number; contentType: string; originalName: string | null;
  takenAt: string | null; lon: number | null; lat: number | null;
}

@Injectable()
export class DiscoveriesRepository {
  constructor(
    private readonly db: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  // ---- idempotency -------------------------------------------------------------------------------

  /** Serialises every request carrying this key until the caller's transaction ends. */
  async lockKey(m: EntityManager, key: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('idempotency:' || $1))`, [key]);
  }

  async findKey(m: EntityManager, key: string): Promise<{ userId: string; requestHash: string; response: DiscoveryCreatedDto } | null> {
    const rows: Array<{ principal_user_id: string; request_hash: string; response: DiscoveryCreatedDto }> = await m.query(
      `SELECT principal_user_id, request_hash, response FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    const r = rows[0];
    return r ? { userId: r.principal_user_id, requestHash: r.request_hash, response: r.response } : null;
  }

  async saveKey(m: EntityManager, key: string, userId: string, requestHash: string, response: DiscoveryCreatedDto, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO idempotency_keys (key, principal_user_id, request_hash, response, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [key, userId, requestHash, JSON.stringify(response), now],
    );
  }

  // ---- the report and what it sets in motion ---------------------------------------------------------

  /** The project, locked for the stop-work compare-and-set; null when it does not exist. */
  async projectForUpdate(m: EntityManager, id: string): Promise<ProjectForReport | null> {
    const rows: Array<{ id: string; name: string; state: ProjectForReport['state']; zone_id: string; contractor_org_id: string; division_code: string }> = await m.query(
      `SELECT pr.id, pr.name, pr.state, pr.zone_id, pr.contractor_org_id, z.division_code
         FROM projects pr JOIN zones z ON z.id = pr.zone_id WHERE pr.id = $1 FOR UPDATE OF pr`,
      [id],
    );
    const r = rows[0];
    return r ? { id: r.id, name: r.name, state: r.state, zoneId: r.zone_id, contractorOrgId: r.contractor_org_id, divisionCode: r.division_code } : null;
  }

  async insertReport(
    m: EntityManager,
    p: { project: ProjectForReport; location: GeoJsonGeometry; accuracyM: number | null; foundAt: string; reportedAt: Date; depthM: number | null; description: string; suspectedType: string; reportedBy: string },
  ): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO discovery_reports (project_id, zone_id, contractor_org_id, division_code, location, accuracy_m, found_at, reported_at,
                                      depth_m, description, suspected_type, reported_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5), 4490), $6, $7, $8, $9, $10, $11, $12, $8, $8) RETURNING id`,
      [p.project.id, p.project.zoneId, p.project.contractorOrgId, p.project.divisionCode, JSON.stringify(p.location), p.accuracyM,
        p.foundAt, p.reportedAt, p.depthM, p.description, p.suspectedType, p.reportedBy],
    );
    return rows[0]!.id;
  }

  /** Compare-and-set: active → stopped. False when the project was not active (already stopped by another find). */
  async stopProject(m: EntityManager, projectId: string, now: Date): Promise<boolean> {
    const rows = await updated(m,
      `UPDATE projects SET state = 'stopped', updated_at = $2 WHERE id = $1 AND state = 'active' RETURNING id`,
      [projectId, now],
    );
    return rows.length === 1;
  }

  async insertStopWorkOrder(m: EntityManager, reportId: string, projectId: string, now: Date): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO stop_work_orders (report_id, project_id, issued_at, created_at, updated_at) VALUES ($1, $2, $3, $3, $3) RETURNING id`,
      [reportId, projectId, now],
    );
    return rows[0]!.id;
  }

  /** All deadline rows of a report in one statement. */
  async insertDeadlines(m: EntityManager, reportId: string, rows: Array<{ kind: DeadlineKind; dueAt: Date; remindAt: Date }>, now: Date): Promise<Array<{ id: string; kind: DeadlineKind; dueAt: Date; remindAt: Date }>> {
    const out: Array<{ id: string; kind: DeadlineKind; due_at: Date; remind_at: Date }> = await m.query(
      `INSERT INTO discovery_deadlines (report_id, kind, due_at, remind_at, created_at)
       SELECT $1, k, d, r, $5 FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) AS t(k, d, r)
       ON CONFLICT (report_id, kind) DO NOTHING
       RETURNING id, kind, due_at, remind_at`,
      [reportId, rows.map((r) => r.kind), rows.map((r) => r.dueAt), rows.map((r) => r.remindAt), now],
    );
    return out.map((r) => ({ id: r.id, kind: r.kind, dueAt: r.due_at, remindAt: r.remind_at }));
  }

  /** A clearance hold: a disc of `radiusM` metres (on the ellipsoid) around the find. */
  async insertHold(m: EntityManager, reportId: string, radiusM: number, now: Date): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO clearance_holds (geom, reason, source_type, source_id, created_at)
       SELECT ST_Multi(ST_SetSRID(ST_Buffer(r.location::geography, $2, 'quad_segs=16')::geometry, 4490)), 'discovery_hold', 'discovery_report', r.id, $3
         FROM discovery_reports r WHERE r.id = $1 RETURNING id`,
      [reportId, radiusM, now],
    );
    return rows[0]!.id;
  }

  async liftHolds(m: EntityManager, reportId: string, now: Date): Promise<number> {
    const rows = await updated(m,
      `UPDATE clearance_holds SET active = false, lifted_at = $2, lifted_reason = 'discovery_closed'
        WHERE source_type = 'discovery_report' AND source_id = $1 AND active RETURNING id`,
      [reportId, now],
    );
    return rows.length;
  }

  /**
   * The outbox rows for a new report, in one statement: the local authority nearest above the report's
   * division (the county department) and the provincial bureau.
   */
  async notifyReported(m: EntityManager, reportId: string, payload: Record<string, unknown>, now: Date): Promise<{ orgIds: string[]; notificationIds: string[] }> {
    const rows: Array<{ id: string; recipient_org_id: string }> = await m.query(
      `WITH d AS (SELECT dv.path FROM discovery_reports r JOIN divisions dv ON dv.code = r.division_code WHERE r.id = $1),
            cover AS (SELECT o.id, length(dv.path) AS depth FROM organizations o JOIN divisions dv ON dv.code = o.division_code, d
                       WHERE o.type = 'local_authority' AND (d.path = dv.path OR d.path LIKE dv.path || '.%')),
            recipients AS (SELECT id FROM cover WHERE depth = (SELECT max(depth) FROM cover)
                           UNION SELECT id FROM organizations WHERE type = 'bureau')
       INSERT INTO notifications (recipient_org_id, kind, report_id, payload, created_at)
       SELECT id, 'discovery_reported', $1, $2, $3 FROM recipients RETURNING id, recipient_org_id`,
      [reportId, JSON.stringify(payload), now],
    );
    return { orgIds: rows.map((r) => r.recipient_org_id), notificationIds: rows.map((r) => r.id) };
  }

  async notifyOrgs(m: EntityManager, orgIds: string[], kind: string, reportId: string, payload: Record<string, unknown>, now: Date): Promise<string[]> {
    if (!orgIds.length) return [];
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO notifications (recipient_org_id, kind, report_id, payload, created_at) SELECT o, $2, $3, $4, $5 FROM unnest($1::uuid[]) AS o RETURNING id`,
      [orgIds, kind, reportId, JSON.stringify(payload), now],
    );
    return rows.map((r) => r.id);
  }

  /**
   * The stored files and the photo rows of one step, two statements whatever the count. The EXIF position's
   * distance to the reported point is measured on the ellipsoid; beyond `farM` (plus the report's own GPS
   * accuracy) the photo is flagged: it may not show this find.
   */
  async insertPhotos(m: EntityManager, reportId: string, step: 'report' | 'arrival', photos: PhotoInsert[], userId: string, farM: number, now: Date): Promise<DiscoveryPhotoDto[]> {
    if (!photos.length) return [];
    const files: Array<{ id: string; storage_key: string }> = await m.query(
      `INSERT INTO stored_files (storage_key, sha256, bytes, content_type, original_name, created_by, created_at)
       SELECT k, s, b, c, n, $6, $7 FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[]) WITH ORDINALITY AS t(k, s, b, c, n, i)
       RETURNING id, storage_key`,
      [photos.map((p) => p.storageKey), photos.map((p) => p.sha256), photos.map((p) => p.bytes), photos.map((p) => p.contentType), photos.map((p) => p.originalName), userId, now],
    );
    const idOf = new Map(files.map((f) => [f.storage_key, f.id]));
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO discovery_photos (report_id, file_id, sha256, exif_taken_at, exif_location, distance_m, far_from_report, step, position, created_at)
       SELECT r.id, t.f, t.s, t.at,
              CASE WHEN t.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4490) END,
              CASE WHEN t.lon IS NULL THEN NULL ELSE ST_Distance(r.location::geography, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4490)::geography) END,
              CASE WHEN t.lon IS NULL THEN false
                   ELSE ST_Distance(r.location::geography, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4490)::geography) > $7 + coalesce(r.accuracy_m, 0) END,
              $8, t.i - 1, $9
         FROM discovery_reports r,
              unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::float8[], $6::float8[]) WITH ORDINALITY AS t(f, s, at, lon, lat, i)
        WHERE r.id = $1
        ORDER BY t.i RETURNING id`,
      [reportId, photos.map((p) => idOf.get(p.storageKey)), photos.map((p) => p.sha256), photos.map((p) => p.takenAt), photos.map((p) => p.lon),
        photos.map((p) => p.lat), farM, step, now],
    );
    const out: PhotoRow[] = await m.query(
      `SELECT ${PHOTO_JSON} AS j FROM discovery_photos ph JOIN stored_files f ON f.id = ph.file_id WHERE ph.id = ANY($1::uuid[]) ORDER BY ph.position`,
      [rows.map((r) => r.id)],
    ).then((rs: Array<{ j: PhotoRow }>) => rs.map((r) => r.j));
    return out.map(photoDto);
  }

  /** The stored file behind a discovery photo, when the caller may read that report (`scopeSql` over alias r). */
  async photoFile(fileId: string, scopeSql: string, params: SqlParams): Promise<{ storageKey: string; sha256: string; contentType: string; originalName: string | null } | null> {
    const rows: Array<{ storage_key: string; sha256: string; content_type: string; original_name: string | null }> = await this.db.query(
      `SELECT f.storage_key, f.sha256, f.content_type, f.original_name
         FROM stored_files f
        WHERE f.id = ${params.add(fileId)}
          AND EXISTS (SELECT 1 FROM discovery_photos ph JOIN discovery_reports r ON r.id = ph.report_id WHERE ph.file_id = f.id AND ${scopeSql})`,
      params.values,
    );
    const r = rows[0];
    return r ? { storageKey: r.storage_key, sha256: r.sha256, contentType: r.content_type, originalName: r.original_name } : null;
  }

  /**
   * The find's avoidance region for a zoning draft: a disc of `radiusM` on the ellipsoid (the caller clips
   * it to the zone); null when it does not reach into the zone.
   */
  async avoidanceAround(m: EntityManager, reportId: string, radiusM: number): Promise<{ zoneId: string; disc: GeoJsonGeometry; description: string } | null> {
    const rows: Array<{ zone_id: string; disc: string; in_zone: boolean; description: string }> = await m.query(
      `SELECT s.zone_id, s.description, ST_AsGeoJSON(s.disc, 9, 0) AS disc, ST_Relate(s.disc, s.boundary, '2********') AS in_zone
         FROM (SELECT r.zone_id, r.description, z.boundary,
                      ST_SetSRID(ST_Buffer(r.location::geography, $2, 'quad_segs=16')::geometry, 4490) AS disc
                 FROM discovery_reports r JOIN zones z ON z.id = r.zone_id WHERE r.id = $1) s`,
      [reportId, radiusM],
    );
    const r = rows[0];
    return r?.in_zone ? { zoneId: r.zone_id, disc: JSON.parse(r.disc) as GeoJsonGeometry, description: r.description } : null;
  }

  // ---- reads ------------------------------------------------------------------------------------------

  async find(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams()): Promise<Omit<DiscoveryDto, 'allowedActions'> | null> {
    const rows: ReportRow[] = await m.query(`${SELECT} WHERE r.id = ${params.add(id)} AND ${scopeSql}`, params.values);
    return rows[0] ? toDto(rows[0]) : null;
  }

  async list(scopeSql: string, params: SqlParams, f: { state?: string; projectId?: string }): Promise<Array<Omit<DiscoveryDto, 'allowedActions'>>> {
    const where = [scopeSql];
    if (f.state) where.push(`r.state = ${params.add(f.state)}`);
    if (f.projectId) where.push(`r.project_id = ${params.add(f.projectId)}`);
    const rows: ReportRow[] = await this.db.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.reported_at DESC, r.id`, params.values);
    return rows.map(toDto);
  }

  async core(m: EntityManager, id: string, lock: boolean): Promise<ReportCore | null> {
    const rows: Array<{ id: string; state: DiscoveryState; project_id: string; contractor_org_id: string; division_code: string; reported_at: Date }> = await m.query(
      `SELECT id, state, project_id, contractor_org_id, division_code, reported_at FROM discovery_reports WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    const r = rows[0];
    return r ? { id: r.id, state: r.state, projectId: r.project_id, contractorOrgId: r.contractor_org_id, divisionCode: r.division_code, reportedAt: r.reported_at } : null;
  }

  // ---- the authority's steps --------------------------------------------------------------------------

  /**
   * The report's national deadline and answer, the report row locked (FOR UPDATE) so that two concurrent
   * recordings queue and the second sees the first's answer. Null when the report does not exist.
   */
  async nationalAnswerForUpdate(m: EntityManager, reportId: string): Promise<{ reportedAt: Date; important: boolean; deadlineId: string | null; answeredAt: Date | null; reference: string | null } | null> {
    const rows: Array<{ reported_at: Date; opinion_important: boolean | null; deadline_id: string | null; national_answer_at: Date | null; national_answer_ref: string | null }> = await m.query(
      `SELECT r.reported_at, r.opinion_important, r.national_answer_at, r.national_answer_ref,
              (SELECT d.id FROM discovery_deadlines d WHERE d.report_id = r.id AND d.kind = 'national') AS deadline_id
         FROM discovery_reports r WHERE r.id = $1 FOR UPDATE OF r`,
      [reportId],
    );
    const r = rows[0];
    return r
      ? { reportedAt: r.reported_at, important: r.opinion_important === true, deadlineId: r.deadline_id, answeredAt: r.national_answer_at, reference: r.national_answer_ref }
      : null;
  }

  /** Stores the answer; false when one was already there (the caller holds the row lock, so this is a safety net). */
  async saveNationalAnswer(m: EntityManager, reportId: string, a: { answeredAt: Date; reference: string; text: string | null; userId: string; now: Date }): Promise<boolean> {
    const rows = await updated(m,
      `UPDATE discovery_reports
          SET national_answer_at = $2, national_answer_ref = $3, national_answer_text = $4, national_answer_by = $5,
              national_answer_recorded_at = $6, updated_at = $6
        WHERE id = $1 AND national_answer_at IS NULL RETURNING id`,
      [reportId, a.answeredAt, a.reference, a.text, a.userId, a.now],
    );
    return rows.length === 1;
  }

  async meetDeadline(m: EntityManager, reportId: string, kind: DeadlineKind, at: Date): Promise<void> {
    await m.query(`UPDATE discovery_deadlines SET met_at = $3 WHERE report_id = $1 AND kind = $2 AND met_at IS NULL`, [reportId, kind, at]);
  }

  /** Lifts the report's stop-work order; the project resumes only when no other order still stops it. */
  async liftStopWork(m: EntityManager, reportId: string, userId: string, now: Date): Promise<{ orderId: string; projectId: string; projectResumed: boolean }> {
    const [order] = await updated<{ id: string; project_id: string }>(m,
      `UPDATE stop_work_orders SET state = 'lifted', lifted_at = $3, lifted_by = $2, updated_at = $3
        WHERE report_id = $1 AND state = 'active' RETURNING id, project_id`,
      [reportId, userId, now],
    );
    if (!order) throw new Error(`no active stop-work order for report ${reportId}`);
    const resumed = await updated(m,
      `UPDATE projects SET state = 'active', updated_at = $2
        WHERE id = $1 AND state = 'stopped'
          AND NOT EXISTS (SELECT 1 FROM stop_work_orders s WHERE s.project_id = $1 AND s.state = 'active') RETURNING id`,
      [order.project_id, now],
    );
    return { orderId: order.id, projectId: order.project_id, projectResumed: resumed.length === 1 };
  }

  async stopWorkOrder(m: EntityManager, id: string, lock = false): Promise<(StopWorkOrderDto & { contractorOrgId: string }) | null> {
    const rows: Array<{ id: string; report_id: string; project_id: string; state: 'active' | 'lifted'; issued_at: Date; acknowledged_at: Date | null; lifted_at: Date | null; contractor_org_id: string }> = await m.query(
      `SELECT s.id, s.report_id, s.project_id, s.state, s.issued_at, s.acknowledged_at, s.lifted_at, pr.contractor_org_id
         FROM stop_work_orders s JOIN projects pr ON pr.id = s.project_id WHERE s.id = $1${lock ? ' FOR UPDATE OF s' : ''}`,
      [id],
    );
    const r = rows[0];
    return r
      ? { id: r.id, reportId: r.report_id, projectId: r.project_id, state: r.state, issuedAt: iso(r.issued_at)!, acknowledgedAt: iso(r.acknowledged_at), liftedAt: iso(r.lifted_at), contractorOrgId: r.contractor_org_id }
      : null;
  }

  async acknowledgeStopWork(m: EntityManager, id: string, userId: string, now: Date): Promise<boolean> {
    const rows = await updated(m,
      `UPDATE stop_work_orders SET acknowledged_at = $3, acknowledged_by = $2, updated_at = $3 WHERE id = $1 AND acknowledged_at IS NULL RETURNING id`,
      [id, userId, now],
    );
    return rows.length === 1;
  }

  // ---- inbox ------------------------------------------------------------------------------------------

  async inbox(orgIds: string[], unreadOnly: boolean): Promise<NotificationDto[]> {
    const rows: NotificationRow[] = await this.db.query(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n
        WHERE n.recipient_org_id = ANY($1::uuid[]) ${unreadOnly ? 'AND n.read_at IS NULL' : ''}
        ORDER BY n.created_at DESC, n.id LIMIT 500`,
      [orgIds],
    );
    return rows.map(notificationDto);
  }

  // ---- delivery channels --------------------------------------------------------------------------

  async channels(orgId: string): Promise<{ email: string | null; webhookUrl: string | null; webhookSecret: string | null } | null> {
    const rows: Array<{ email: string | null; webhook_url: string | null; webhook_secret: string | null }> = await this.db.query(
      `SELECT email, webhook_url, webhook_secret FROM notification_channels WHERE org_id = $1`, [orgId],
    );
    const r = rows[0];
    return r ? { email: r.email, webhookUrl: r.webhook_url, webhookSecret: r.webhook_secret === null ? null : this.secrets.open(r.webhook_secret) } : null;
  }

  async orgExists(m: EntityManager, orgId: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM organizations WHERE id = $1`, [orgId])).length === 1;
  }

  async saveChannels(m: EntityManager, orgId: string, c: { email: string | null; webhookUrl: string | null; webhookSecret: string | null }, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO notification_channels (org_id, email, webhook_url, webhook_secret, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id) DO UPDATE SET email = $2, webhook_url = $3, webhook_secret = $4, updated_at = $5`,
      [orgId, c.email, c.webhookUrl, c.webhookSecret === null ? null : this.secrets.seal(c.webhookSecret), now],
    );
  }

  async markRead(id: string, orgIds: string[], userId: string, now: Date): Promise<NotificationDto | null> {
    await this.db.query(
      `UPDATE notifications SET read_at = $3, read_by = $4 WHERE id = $1 AND recipient_org_id = ANY($2::uuid[]) AND read_at IS NULL`,
      [id, orgIds, now, userId],
    );
    const rows: NotificationRow[] = await this.db.query(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n WHERE n.id = $1 AND n.recipient_org_id = ANY($2::uuid[])`,
      [id, orgIds],
    );
    return rows[0] ? notificationDto(rows[0]) : null;
  }
}
