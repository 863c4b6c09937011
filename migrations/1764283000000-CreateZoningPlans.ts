import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Zoning plans (分区方案), versioned per zone, their areas (避让区 / 勘探区 / 释放区), links from areas to the
 * field evidence they rest on, and reviewers' comments pinned to map locations.
 *
 * Areas deliberately have NO `ST_IsValid` check: a draft may hold a self-intersecting drawing so that
 * validation can report `invalid_geometry` with its location; the column type still refuses anything but a
 * Polygon. Coordinates are stored snapped to a 1e-9° grid in EPSG:4490 (no reprojection), so edges drawn
 * with snapping stay exactly shared.
 */
export class CreateZoningPlans1764283000000 implements MigrationInterface {
  name = 'CreateZoningPlans1764283000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE zoning_plans (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        zone_id         uuid NOT NULL REFERENCES zones(id),
        version         integer NOT NULL CHECK (version > 0),
        state           text NOT NULL DEFAULT 'draft'
                        CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'issued', 'superseded')),
        based_on        uuid REFERENCES zoning_plans(id),
        assessment_id   uuid REFERENCES assessments(id),
        row_version     integer NOT NULL DEFAULT 1,
        submitted_at    timestamptz,
        submitted_by    uuid REFERENCES users(id),
        justifications  jsonb,
        approved_at     timestamptz,
        approved_by     uuid REFERENCES users(id),
        returned_at     timestamptz,
        returned_by     uuid REFERENCES users(id),
        return_reason   text,
        issued_at       timestamptz,
        issued_by       uuid REFERENCES users(id),
        document_number text UNIQUE,
        opinion_file_id uuid REFERENCES stored_files(id),
        superseded_at   timestamptz,
        superseded_by   uuid REFERENCES zoning_plans(id),
        created_by      uuid REFERENCES users(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (zone_id, version),
        CHECK (state <> 'issued' OR (document_number IS NOT NULL AND opinion_file_id IS NOT NULL))
      )`);
    // a zone's effective zoning is its one issued plan
    await q.query(`CREATE UNIQUE INDEX zoning_plans_one_issued_per_zone ON zoning_plans (zone_id) WHERE state = 'issued'`);
    await q.query(`CREATE INDEX zoning_plans_state_idx ON zoning_plans (state, zone_id)`);

    await q.query(`
      CREATE TABLE zoning_areas (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id    uuid NOT NULL REFERENCES zoning_plans(id) ON DELETE CASCADE,
        category   text NOT NULL CHECK (category IN ('avoidance', 'exploration', 'release')),
        geom       geometry(Polygon, 4490) NOT NULL,
        rationale  text,
        label      text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX zoning_areas_geom_gix ON zoning_areas USING gist (geom)`);
    await q.query(`CREATE INDEX zoning_areas_plan_idx ON zoning_areas (plan_id, category)`);

    await q.query(`
      CREATE TABLE zoning_area_evidence (
        area_id       uuid NOT NULL REFERENCES zoning_areas(id) ON DELETE CASCADE,
        evidence_type text NOT NULL CHECK (evidence_type IN ('relic', 'core', 'observation')),
        evidence_id   uuid NOT NULL,
        PRIMARY KEY (area_id, evidence_type, evidence_id)
      )`);

    await q.query(`
      CREATE TABLE zoning_comments (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id     uuid NOT NULL REFERENCES zoning_plans(id) ON DELETE CASCADE,
        author_id   uuid NOT NULL REFERENCES users(id),
        body        text NOT NULL CHECK (length(body) > 0),
        location    geometry(Point, 4490) CHECK (location IS NULL OR ST_IsValid(location)),
        created_at  timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz
      )`);
    await q.query(`CREATE INDEX zoning_comments_plan_idx ON zoning_comments (plan_id, created_at)`);
    await q.query(`CREATE INDEX zoning_comments_location_gix ON zoning_comments USING gist (location)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE zoning_comments`);
    await q.query(`DROP TABLE zoning_area_evidence`);
    await q.query(`DROP TABLE zoning_areas`);
    await q.query(`DROP TABLE zoning_plans`);
  }
}
