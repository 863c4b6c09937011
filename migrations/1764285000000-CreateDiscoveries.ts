import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Discoveries (DOMAIN.md §4.5): a contractor's report of a find, the stop-work order it places on the
 * project, the deadlines the authority must meet (counted from the server's `reported_at`), the
 * notification outbox / in-app inbox, photos, and the idempotency keys that make a retried field
 * submission return the original report instead of creating a second one.
 */
export class CreateDiscoveries1764285000000 implements MigrationInterface {
  name = 'CreateDiscoveries1764285000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE discovery_reports (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id         uuid NOT NULL REFERENCES projects(id),
        zone_id            uuid NOT NULL REFERENCES zones(id),
        contractor_org_id  uuid NOT NULL REFERENCES organizations(id),
        -- the division whose authority handles the report (the zone's division)
        division_code      varchar(6) NOT NULL REFERENCES divisions(code),
        location           geometry(Point, 4490) NOT NULL,
        accuracy_m         double precision CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
        found_at           timestamptz NOT NULL,
        reported_at        timestamptz NOT NULL,
        depth_m            double precision CHECK (depth_m IS NULL OR depth_m >= 0),
        description        text NOT NULL CHECK (length(description) > 0),
        suspected_type     text NOT NULL,
        state              text NOT NULL DEFAULT 'reported'
                           CHECK (state IN ('reported', 'on_site', 'opinion_issued', 'measures_done', 'closed')),
        overdue_at         timestamptz,
        arrived_at         timestamptz,
        arrival_people     text[],
        arrival_notes      text,
        arrival_recorded_by uuid REFERENCES users(id),
        opinion_measures   text CHECK (opinion_measures IN ('rescue_excavation', 'preserve_in_situ', 'no_cultural_value')),
        opinion_important  boolean,
        opinion_text       text,
        opinion_at         timestamptz,
        opinion_by         uuid REFERENCES users(id),
        measures_done_at   timestamptz,
        measures_notes     text,
        measures_by        uuid REFERENCES users(id),
        closed_at          timestamptz,
        closed_by          uuid REFERENCES users(id),
        reported_by        uuid NOT NULL REFERENCES users(id),
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CHECK (state = 'reported' OR arrived_at IS NOT NULL),
        CHECK (state IN ('reported', 'on_site') OR opinion_measures IS NOT NULL),
        CHECK (state <> 'closed' OR closed_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX discovery_reports_project_idx ON discovery_reports (project_id)`);
    await q.query(`CREATE INDEX discovery_reports_org_idx ON discovery_reports (contractor_org_id)`);
    await q.query(`CREATE INDEX discovery_reports_division_state_idx ON discovery_reports (division_code, state)`);
    await q.query(`CREATE INDEX discovery_reports_location_gix ON discovery_reports USING gist (location)`);

    await q.query(`
      CREATE TABLE stop_work_orders (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id        uuid NOT NULL UNIQUE REFERENCES discovery_reports(id),
        project_id       uuid NOT NULL REFERENCES projects(id),
        state            text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'lifted')),
        issued_at        timestamptz NOT NULL,
        acknowledged_at  timestamptz,
        acknowledged_by  uuid REFERENCES users(id),
        lifted_at        timestamptz,
        lifted_by        uuid REFERENCES users(id),
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CHECK ((state = 'lifted') = (lifted_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX stop_work_orders_project_idx ON stop_work_orders (project_id) WHERE state = 'active'`);

    await q.query(`
      CREATE TABLE discovery_deadlines (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id     uuid NOT NULL REFERENCES discovery_reports(id),
        kind          text NOT NULL CHECK (kind IN ('on_site', 'opinion', 'national')),
        due_at        timestamptz NOT NULL,
        remind_at     timestamptz NOT NULL,
        met_at        timestamptz,
        reminded_at   timestamptz,
        breached_at   timestamptz,
        -- the division whose authority (or the bureau) was alerted on the breach
        escalated_to  varchar(6) REFERENCES divisions(code),
        created_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (report_id, kind),
        CHECK (remind_at <= due_at)
      )`);
    // the reconciler's two questions, each an index range scan over the still-open deadlines
    await q.query(`CREATE INDEX discovery_deadlines_remind_idx ON discovery_deadlines (remind_at) WHERE met_at IS NULL AND reminded_at IS NULL`);
    await q.query(`CREATE INDEX discovery_deadlines_due_idx ON discovery_deadlines (due_at) WHERE met_at IS NULL AND breached_at IS NULL`);

    await q.query(`
      CREATE TABLE notifications (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient_org_id  uuid NOT NULL REFERENCES organizations(id),
        kind              text NOT NULL CHECK (kind IN ('discovery_reported', 'deadline_reminder', 'deadline_escalation', 'stop_work_lifted')),
        report_id         uuid REFERENCES discovery_reports(id),
        deadline_id       uuid REFERENCES discovery_deadlines(id),
        payload           jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at        timestamptz NOT NULL,
        read_at           timestamptz,
        read_by           uuid REFERENCES users(id)
      )`);
    await q.query(`CREATE INDEX notifications_recipient_idx ON notifications (recipient_org_id, created_at DESC)`);
    // one reminder / escalation per deadline and recipient, whatever retries happen
    await q.query(`CREATE UNIQUE INDEX notifications_deadline_once ON notifications (deadline_id, kind, recipient_org_id) WHERE deadline_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE discovery_photos (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id      uuid NOT NULL REFERENCES discovery_reports(id),
        file_id        uuid NOT NULL REFERENCES stored_files(id),
        sha256         char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        exif_taken_at  timestamptz,
        exif_location  geometry(Point, 4490),
        distance_m     double precision,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX discovery_photos_report_idx ON discovery_photos (report_id)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        key                uuid PRIMARY KEY,
        principal_user_id  uuid NOT NULL REFERENCES users(id),
        request_hash       char(64) NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
        response           jsonb NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX clearance_holds_source_idx ON clearance_holds (source_type, source_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX clearance_holds_source_idx`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE discovery_photos`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE discovery_deadlines`);
    await q.query(`DROP TABLE stop_work_orders`);
    await q.query(`DROP TABLE discovery_reports`);
  }
}
