import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { SqlParams } from '../auth/scope.service';
import { GeoJsonGeometry, M2_PER_MU, round } from '../spatial/geojson';
import { CoverageDto, ObservationDto, ObservationKind, PhotoDto, TrackDto } from './survey.dto';
import { returnedRows } from '../../infra/database/sql-result';

interface TrackRow {
  id: string; assessment_id: string; zone_id: string; name: string | null; geometry: string; length_m: number;
  recorded_at: Date | null; recorded_by: string | null; created_at: Date;
}
interface ObservationRow {
  id: string; assessment_id: string; zone_id: string; geometry: string; kind: ObservationKind; period: string | null;
  description: string | null; observed_at: Date | null; recorded_by: string | null; created_at: Date; updated_at: Date;
  row_version: number; photos: Array<Omit<PhotoDto, 'url' | 'createdAt'> & { createdAt: string }>;
}

/** A row prepared for a multi-row insert (tracks or observations). */
export interface TrackInsert { geometry: GeoJsonGeometry; name: string | null; recordedAt: string | null }
export interface ObservationInsert {
  geometry: GeoJsonGeometry; kind: ObservationKind; period: string | null; description: string | null; observedAt: string | null;
}

function mapTrack(r: TrackRow): TrackDto {
  return {
    id: r.id, assessmentId: r.assessment_id, zoneId: r.zone_id, name: r.name,
    geometry: JSON.parse(r.geometry) as GeoJsonGeometry, lengthM: round(r.length_m, 1),
    recordedAt: toIsoOffset(r.recorded_at), recordedBy: r.recorded_by, createdAt: toIsoOffset(r.created_at)!,
  };
}

function mapObservation(r: ObservationRow): ObservationDto {
  return {
    id: r.id, assessmentId: r.assessment_id, zoneId: r.zone_id, geometry: JSON.parse(r.geometry) as GeoJsonGeometry,
    kind: r.kind, period: r.period, description: r.description, observedAt: toIsoOffset(r.observed_at),
    recordedBy: r.recorded_by, createdAt: toIsoOffset(r.created_at)!, updatedAt: toIsoOffset(r.updated_at)!, rowVersion: r.row_version,
    photos: r.photos.map((ph) => ({ ...ph, url: `/api/files/${ph.fileId}`, createdAt: toIsoOffset(ph.createdAt)! })),
  };
}

const TRACK_SELECT = `
  SELECT t.id, t.assessment_id, t.zone_id, t.name, ST_AsGeoJSON(t.geom, 9, 0) AS geometry,
         ST_Length(t.geom::geography) AS length_m, t.recorded_at, t.recorded_by, t.created_at
    FROM survey_tracks t JOIN zones z ON z.id = t.zone_id`;

const OBSERVATION_SELECT = `
  SELECT o.id, o.assessment_id, o.zone_id, ST_AsGeoJSON(o.geom, 9, 0) AS geometry, o.kind, o.period, o.description,
         o.observed_at, o.recorded_by, o.created_at, o.updated_at, o.row_version,
         coalesce((SELECT json_agg(json_build_object('fileId', f.id, 'sha256', f.sha256, 'bytes', f.bytes,
                                                     'contentType', f.content_type, 'originalName', f.original_name,
                                                     'createdAt', f.created_at) ORDER BY f.created_at, f.id)
                     FROM observation_photos ph JOIN stored_files f ON f.id = ph.file_id
                    WHERE ph.observation_id = o.id), '[]'::json) AS photos
    FROM survey_observations o JOIN zones z ON z.id = o.zone_id`;

@Injectable()
export class SurveyRepository {
  constructor(private readonly db: DataSource) {}

  /** One multi-row INSERT … SELECT FROM jsonb_to_recordset for any number of tracks. */
  async insertTracks(m: EntityManager, a: { assessmentId: string; zoneId: string; recordedBy: string | null; now: Date }, rows: TrackInsert[]): Promise<string[]> {
    const inserted: Array<{ id: string }> = await m.query(
      `INSERT INTO survey_tracks (assessment_id, zone_id, name, geom, recorded_at, recorded_by, created_at)
       SELECT $1, $2, e.v->>'name', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(e.v->'geometry'), 4490)), (e.v->>'recorded_at')::timestamptz, $3, $4
         FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS e(v, ord)
        ORDER BY e.ord
       RETURNING id`,
      [a.assessmentId, a.zoneId, a.recordedBy, a.now, JSON.stringify(rows.map((r) => ({ geometry: r.geometry, name: r.name, recorded_at: r.recordedAt })))],
    );
    return inserted.map((r) => r.id);
  }

  async insertObservations(
    m: EntityManager, a: { assessmentId: string; zoneId: string; recordedBy: string | null; now: Date }, rows: ObservationInsert[],
  ): Promise<string[]> {
    const inserted: Array<{ id: string }> = await m.query(
      `INSERT INTO survey_observations (assessment_id, zone_id, geom, kind, period, description, observed_at, recorded_by, created_at, updated_at)
       SELECT $1, $2, ST_SetSRID(ST_GeomFromGeoJSON(e.v->'geometry'), 4490), e.v->>'kind', e.v->>'period', e.v->>'description',
              (e.v->>'observed_at')::timestamptz, $3, $4, $4
         FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS e(v, ord)
        ORDER BY e.ord
       RETURNING id`,
      [
        a.assessmentId, a.zoneId, a.recordedBy, a.now,
        JSON.stringify(rows.map((r) => ({ geometry: r.geometry, kind: r.kind, period: r.period, description: r.description, observed_at: r.observedAt }))),
      ],
    );
    return inserted.map((r) => r.id);
  }

  /** ST_IsValidDetail over every geometry in one statement: [{ index, reason, location }] of the broken ones. */
  async invalidGeometries(m: EntityManager, geometries: Array<{ index: number; geometry: GeoJsonGeometry }>): Promise<Array<{ index: number; reason: string; location: GeoJsonGeometry | null }>> {
    const rows: Array<{ index: number; reason: string; location: string | null }> = await m.query(
      `SELECT g.index, d.reason, ST_AsGeoJSON(d.location, 9, 0) AS location
         FROM jsonb_to_recordset($1::jsonb) AS g(index int, geometry jsonb)
        CROSS JOIN LATERAL ST_IsValidDetail(ST_SetSRID(ST_GeomFromGeoJSON(g.geometry), 4490)) AS d
        WHERE NOT d.valid ORDER BY g.index`,
      [JSON.stringify(geometries)],
    );
    return rows.map((r) => ({ index: r.index, reason: r.reason, location: r.location ? (JSON.parse(r.location) as GeoJsonGeometry) : null }));
  }

  async listTracks(assessmentId: string): Promise<TrackDto[]> {
    const rows: TrackRow[] = await this.db.query(`${TRACK_SELECT} WHERE t.assessment_id = $1 ORDER BY t.created_at, t.id`, [assessmentId]);
    return rows.map(mapTrack);
  }

  async findTracks(m: EntityManager, ids: string[]): Promise<TrackDto[]> {
    const rows: TrackRow[] = await m.query(`${TRACK_SELECT} WHERE t.id = ANY($1::uuid[]) ORDER BY t.created_at, t.id`, [ids]);
    return rows.map(mapTrack);
  }

  async findObservation(m: EntityManager, id: string, scopeSql = 'TRUE', params = new SqlParams()): Promise<ObservationDto | null> {
    const rows: ObservationRow[] = await m.query(`${OBSERVATION_SELECT} WHERE o.id = ${params.add(id)} AND ${scopeSql}`, params.values);
    return rows[0] ? mapObservation(rows[0]) : null;
  }

  async listObservations(assessmentId: string): Promise<ObservationDto[]> {
    const rows: ObservationRow[] = await this.db.query(`${OBSERVATION_SELECT} WHERE o.assessment_id = $1 ORDER BY o.created_at, o.id`, [assessmentId]);
    return rows.map(mapObservation);
  }

  async lockObservation(m: EntityManager, id: string): Promise<{ assessmentId: string; rowVersion: number } | null> {
    const rows: Array<{ assessment_id: string; row_version: number }> = await m.query(
      `SELECT assessment_id, row_version FROM survey_observations WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? { assessmentId: rows[0].assessment_id, rowVersion: rows[0].row_version } : null;
  }

  /** Compare-and-set on the row version: false when someone else saved first. */
  async updateObservation(m: EntityManager, id: string, expectedVersion: number, o: ObservationInsert, now: Date): Promise<boolean> {
    const result: unknown = await m.query(
      `UPDATE survey_observations
          SET geom = ST_SetSRID(ST_GeomFromGeoJSON($3), 4490), kind = $4, period = $5, description = $6, observed_at = $7,
              updated_at = $8, row_version = row_version + 1
        WHERE id = $1 AND row_version = $2 RETURNING id`,
      [id, expectedVersion, JSON.stringify(o.geometry), o.kind, o.period, o.description, o.observedAt, now],
    );
    return returnedRows(result).length > 0;
  }

  async insertStoredFile(
    m: EntityManager, f: { storageKey: string; sha256: string; bytes: number; contentType: string; originalName: string | null; createdBy: string; now: Date },
  ): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO stored_files (storage_key, sha256, bytes, content_type, original_name, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [f.storageKey, f.sha256, f.bytes, f.contentType, f.originalName, f.createdBy, f.now],
    );
    return rows[0]!.id;
  }

  async linkPhoto(m: EntityManager, observationId: string, fileId: string): Promise<void> {
    await m.query(`INSERT INTO observation_photos (observation_id, file_id) VALUES ($1, $2)`, [observationId, fileId]);
  }

  /**
   * Zone area and the part of it within `distanceM` of any of the assessment's tracks. Each track is
   * buffered on the ellipsoid (geography: PostGIS picks a local projection), the buffers are unioned and
   * clipped to the boundary, and both areas are measured on the ellipsoid.
   */
  async coverage(assessmentId: string, distanceM: number): Promise<CoverageDto> {
    const rows: Array<{ zone_m2: number; covered_m2: number }> = await this.db.query(
      `WITH zone AS (
         SELECT z.boundary FROM assessments a JOIN zones z ON z.id = a.zone_id WHERE a.id = $1
       ), swept AS (
         SELECT ST_Union(ST_SetSRID(ST_Buffer(t.geom::geography, $2)::geometry, 4490)) AS g
           FROM survey_tracks t WHERE t.assessment_id = $1
       )
       SELECT ST_Area(zone.boundary::geography) AS zone_m2,
              coalesce(ST_Area(ST_Intersection(zone.boundary, swept.g)::geography), 0) AS covered_m2
         FROM zone, swept`,
      [assessmentId, distanceM],
    );
    const r = rows[0]!;
    return {
      distanceM,
      zoneAreaM2: round(r.zone_m2, 1),
      coveredM2: round(r.covered_m2, 1),
      coveredShare: r.zone_m2 > 0 ? round((100 * r.covered_m2) / r.zone_m2, 2) : 0,
      coveredMu: round(r.covered_m2 / M2_PER_MU, 2),
    };
  }

  /** The stored file behind an observation photo, when the caller's evidence scope covers that observation. */
  async observationPhotoFile(fileId: string, scopeSql: string, params: SqlParams): Promise<{ storageKey: string; sha256: string; contentType: string; originalName: string | null; bytes: number } | null> {
    const rows: Array<{ storage_key: string; sha256: string; content_type: string; original_name: string | null; bytes: number }> = await this.db.query(
      `SELECT f.storage_key, f.sha256, f.content_type, f.original_name, f.bytes
         FROM stored_files f
        WHERE f.id = ${params.add(fileId)}
          AND EXISTS (SELECT 1 FROM observation_photos ph JOIN survey_observations o ON o.id = ph.observation_id
                       JOIN zones z ON z.id = o.zone_id WHERE ph.file_id = f.id AND ${scopeSql})`,
      params.values,
    );
    const r = rows[0];
    return r ? { storageKey: r.storage_key, sha256: r.sha256, contentType: r.content_type, originalName: r.original_name, bytes: r.bytes } : null;
  }
}
