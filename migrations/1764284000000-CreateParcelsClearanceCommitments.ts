import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The committee's side of the chain (DOMAIN.md §4.3–4.4): commitment letters (承诺书) that release the
 * release areas of an issued zoning plan, land parcels and their transfer, individual exploration
 * applications (勘探) with the avoidance records they may create, construction projects, and the
 * clearance holds the discovery workflow will place (a find blocks the land around it).
 */
export class CreateParcelsClearanceCommitments1764284000000 implements MigrationInterface {
  name = 'CreateParcelsClearanceCommitments1764284000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE commitments (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id         uuid NOT NULL REFERENCES zoning_plans(id),
        zone_id         uuid NOT NULL REFERENCES zones(id),
        state           text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'accepted', 'rejected')),
        signatory_name  text NOT NULL CHECK (length(signatory_name) > 0),
        signatory_title text NOT NULL CHECK (length(signatory_title) > 0),
        extra_clauses   jsonb NOT NULL DEFAULT '[]'::jsonb,
        -- frozen at submit: the letter as signed, the release land it covers, and its PDF
        letter_text     text,
        covered_geom    geometry(MultiPolygon, 4490) CHECK (covered_geom IS NULL OR ST_IsValid(covered_geom)),
        pdf_file_id     uuid REFERENCES stored_files(id),
        pdf_sha256      char(64) CHECK (pdf_sha256 IS NULL OR pdf_sha256 ~ '^[0-9a-f]{64}$'),
        signed_at       timestamptz,
        submitted_by    uuid REFERENCES users(id),
        decided_at      timestamptz,
        decided_by      uuid REFERENCES users(id),
        reject_reason   text,
        created_by      uuid REFERENCES users(id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CHECK (state = 'draft' OR (letter_text IS NOT NULL AND pdf_file_id IS NOT NULL AND pdf_sha256 IS NOT NULL AND signed_at IS NOT NULL)),
        CHECK (state <> 'rejected' OR reject_reason IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX commitments_zone_state_idx ON commitments (zone_id, state)`);
    await q.query(`CREATE INDEX commitments_plan_idx ON commitments (plan_id)`);
    await q.query(`CREATE INDEX commitments_covered_gix ON commitments USING gist (covered_geom) WHERE state = 'accepted'`);
    // a submitted letter is a record: nothing it says can change afterwards, whatever code path tries
    await q.query(`
      CREATE FUNCTION commitments_refuse_frozen_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.state <> 'draft' AND (
             NEW.plan_id IS DISTINCT FROM OLD.plan_id OR NEW.zone_id IS DISTINCT FROM OLD.zone_id
          OR NEW.signatory_name IS DISTINCT FROM OLD.signatory_name OR NEW.signatory_title IS DISTINCT FROM OLD.signatory_title
          OR NEW.extra_clauses IS DISTINCT FROM OLD.extra_clauses OR NEW.letter_text IS DISTINCT FROM OLD.letter_text
          OR NOT coalesce(ST_Equals(NEW.covered_geom, OLD.covered_geom), NEW.covered_geom IS NULL AND OLD.covered_geom IS NULL) OR NEW.pdf_file_id IS DISTINCT FROM OLD.pdf_file_id
          OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256 OR NEW.signed_at IS DISTINCT FROM OLD.signed_at) THEN
          RAISE EXCEPTION 'commitment % is frozen since submission', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER commitments_frozen BEFORE UPDATE ON commitments
      FOR EACH ROW EXECUTE FUNCTION commitments_refuse_frozen_change()`);

    await q.query(`
      CREATE TABLE parcels (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        zone_id        uuid NOT NULL REFERENCES zones(id),
        code           text NOT NULL CHECK (length(code) > 0),
        name           text NOT NULL,
        planned_use    text NOT NULL,
        geom           geometry(MultiPolygon, 4490) NOT NULL CHECK (ST_IsValid(geom)),
        area_m2        double precision NOT NULL,
        transferred_at timestamptz,
        transferred_by uuid REFERENCES users(id),
        created_by     uuid REFERENCES users(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (zone_id, code)
      )`);
    await q.query(`CREATE INDEX parcels_geom_gix ON parcels USING gist (geom)`);

    await q.query(`
      CREATE TABLE explorations (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        zone_id          uuid NOT NULL REFERENCES zones(id),
        parcel_id        uuid REFERENCES parcels(id),
        geom             geometry(MultiPolygon, 4490) NOT NULL CHECK (ST_IsValid(geom)),
        area_m2          double precision NOT NULL,
        state            text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'in_progress', 'completed')),
        result           text CHECK (result IN ('no_relics', 'relics_found')),
        result_notes     text,
        revision_plan_id uuid REFERENCES zoning_plans(id),
        requested_by     uuid REFERENCES users(id),
        started_at       timestamptz,
        started_by       uuid REFERENCES users(id),
        completed_at     timestamptz,
        completed_by     uuid REFERENCES users(id),
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CHECK ((state = 'completed') = (result IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX explorations_zone_idx ON explorations (zone_id, state)`);
    // clearance subtracts land explored without finds: index exactly those rows
    await q.query(`CREATE INDEX explorations_cleared_gix ON explorations USING gist (geom) WHERE state = 'completed' AND result = 'no_relics'`);

    // relics found by an individual exploration in an agricultural or tourism zone: the polygon is avoided
    await q.query(`
      CREATE TABLE individual_avoidance (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        zone_id        uuid NOT NULL REFERENCES zones(id),
        exploration_id uuid NOT NULL UNIQUE REFERENCES explorations(id),
        geom           geometry(MultiPolygon, 4490) NOT NULL CHECK (ST_IsValid(geom)),
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX individual_avoidance_geom_gix ON individual_avoidance USING gist (geom)`);

    // Extension point for the discovery workflow: an active hold blocks clearance of any land it touches
    // (e.g. the surroundings of a new find until the authority lifts it). Empty until discoveries land.
    await q.query(`
      CREATE TABLE clearance_holds (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        geom        geometry(MultiPolygon, 4490) NOT NULL CHECK (ST_IsValid(geom)),
        reason      text NOT NULL,
        source_type text NOT NULL,
        source_id   uuid,
        active      boolean NOT NULL DEFAULT true,
        created_at  timestamptz NOT NULL DEFAULT now(),
        lifted_at   timestamptz
      )`);
    await q.query(`CREATE INDEX clearance_holds_active_gix ON clearance_holds USING gist (geom) WHERE active`);

    await q.query(`
      CREATE TABLE projects (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        parcel_id         uuid NOT NULL REFERENCES parcels(id),
        zone_id           uuid NOT NULL REFERENCES zones(id),
        name              text NOT NULL CHECK (length(name) > 0),
        contractor_org_id uuid NOT NULL REFERENCES organizations(id),
        state             text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'stopped', 'completed')),
        created_by        uuid REFERENCES users(id),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX projects_contractor_idx ON projects (contractor_org_id)`);
    await q.query(`CREATE INDEX projects_zone_idx ON projects (zone_id)`);
    await q.query(`CREATE INDEX projects_parcel_idx ON projects (parcel_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projects`);
    await q.query(`DROP TABLE clearance_holds`);
    await q.query(`DROP TABLE individual_avoidance`);
    await q.query(`DROP TABLE explorations`);
    await q.query(`DROP TABLE parcels`);
    await q.query(`DROP TRIGGER commitments_frozen ON commitments`);
    await q.query(`DROP TABLE commitments`);
    await q.query(`DROP FUNCTION commitments_refuse_frozen_change()`);
  }
}
