import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Field evidence: regional assessments and their teams, the sweep survey (tracks, observations with
 * photos), the generic stored-file record, and the register of immovable relics with their protection
 * ranges and construction-control zones.
 */
export class CreateAssessmentsSurveyRelics1764280000000 implements MigrationInterface {
  name = 'CreateAssessmentsSurveyRelics1764280000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assessments (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        zone_id      uuid NOT NULL REFERENCES zones(id),
        state        text NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'surveying', 'coring', 'zoning', 'concluded')),
        title        text,
        started_at   timestamptz,
        concluded_at timestamptz,
        created_by   uuid REFERENCES users(id),
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        row_version  integer NOT NULL DEFAULT 1
      )`);
    // a zone may be reassessed, but only one assessment is open at a time
    await q.query(`CREATE UNIQUE INDEX assessments_one_open_per_zone ON assessments (zone_id) WHERE state <> 'concluded'`);
    await q.query(`CREATE INDEX assessments_zone_idx ON assessments (zone_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE assessment_members (
        assessment_id uuid NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        user_id       uuid NOT NULL REFERENCES users(id),
        team_role     text NOT NULL DEFAULT 'member' CHECK (team_role IN ('lead', 'member')),
        added_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (assessment_id, user_id)
      )`);
    await q.query(`CREATE INDEX assessment_members_user_idx ON assessment_members (user_id)`);

    await q.query(`
      CREATE TABLE survey_tracks (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assessment_id uuid NOT NULL REFERENCES assessments(id),
        zone_id       uuid NOT NULL REFERENCES zones(id),
        name          text,
        geom          geometry(MultiLineString, 4490) NOT NULL CHECK (ST_IsValid(geom)),
        recorded_at   timestamptz,
        recorded_by   uuid REFERENCES users(id),
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX survey_tracks_geom_gix ON survey_tracks USING gist (geom)`);
    await q.query(`CREATE INDEX survey_tracks_assessment_idx ON survey_tracks (assessment_id)`);
    await q.query(`CREATE INDEX survey_tracks_zone_idx ON survey_tracks (zone_id)`);

    await q.query(`
      CREATE TABLE survey_observations (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assessment_id uuid NOT NULL REFERENCES assessments(id),
        zone_id       uuid NOT NULL REFERENCES zones(id),
        geom          geometry(Point, 4490) NOT NULL CHECK (ST_IsValid(geom)),
        kind          text NOT NULL CHECK (kind IN ('surface_scatter', 'section_exposure', 'relic_check')),
        period        text,
        description   text,
        observed_at   timestamptz,
        recorded_by   uuid REFERENCES users(id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        row_version   integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX survey_observations_geom_gix ON survey_observations USING gist (geom)`);
    await q.query(`CREATE INDEX survey_observations_assessment_idx ON survey_observations (assessment_id)`);
    await q.query(`CREATE INDEX survey_observations_zone_idx ON survey_observations (zone_id)`);

    // The generic file record: photos now, issued PDFs and discovery photos later. Bytes live in storage.
    await q.query(`
      CREATE TABLE stored_files (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        storage_key   text NOT NULL UNIQUE,
        sha256        char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        bytes         integer NOT NULL CHECK (bytes >= 0),
        content_type  text NOT NULL,
        original_name text,
        created_by    uuid REFERENCES users(id),
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE observation_photos (
        observation_id uuid NOT NULL REFERENCES survey_observations(id) ON DELETE CASCADE,
        file_id        uuid NOT NULL REFERENCES stored_files(id),
        PRIMARY KEY (observation_id, file_id)
      )`);
    await q.query(`CREATE INDEX observation_photos_file_idx ON observation_photos (file_id)`);

    await q.query(`
      CREATE TABLE immovable_relics (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code             text UNIQUE,
        name             text NOT NULL,
        protection_level text NOT NULL DEFAULT 'unlisted' CHECK (protection_level IN ('national', 'provincial', 'city', 'county', 'unlisted')),
        period           text,
        geom             geometry(Geometry, 4490) NOT NULL
                         CHECK (ST_GeometryType(geom) IN ('ST_Point', 'ST_Polygon', 'ST_MultiPolygon') AND ST_IsValid(geom)),
        protection_range geometry(MultiPolygon, 4490) CHECK (protection_range IS NULL OR ST_IsValid(protection_range)),
        control_zone     geometry(MultiPolygon, 4490) CHECK (control_zone IS NULL OR ST_IsValid(control_zone)),
        zone_id          uuid REFERENCES zones(id),
        division_code    varchar(6) NOT NULL REFERENCES divisions(code),
        description      text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        row_version      integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX immovable_relics_geom_gix ON immovable_relics USING gist (geom)`);
    await q.query(`CREATE INDEX immovable_relics_protection_range_gix ON immovable_relics USING gist (protection_range)`);
    await q.query(`CREATE INDEX immovable_relics_control_zone_gix ON immovable_relics USING gist (control_zone)`);
    await q.query(`CREATE INDEX immovable_relics_zone_idx ON immovable_relics (zone_id)`);
    await q.query(`CREATE INDEX immovable_relics_division_idx ON immovable_relics (division_code)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE immovable_relics`);
    await q.query(`DROP TABLE observation_photos`);
    await q.query(`DROP TABLE stored_files`);
    await q.query(`DROP TABLE survey_observations`);
    await q.query(`DROP TABLE survey_tracks`);
    await q.query(`DROP TABLE assessment_members`);
    await q.query(`DROP TABLE assessments`);
  }
}
