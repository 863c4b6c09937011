import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DOMAIN.md §4.5: for an important find the national administration (国家文物局) answers within 15 days.
 * The authority records that answer on the report (its date, document number and text); recording it meets
 * the report's `national` deadline, so reminders and escalation stop.
 */
export class AddDiscoveryNationalAnswer1764288300000 implements MigrationInterface {
  name = 'AddDiscoveryNationalAnswer1764288300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE discovery_reports
        ADD COLUMN national_answer_at          timestamptz,
        ADD COLUMN national_answer_ref         text,
        ADD COLUMN national_answer_text        text,
        ADD COLUMN national_answer_by          uuid REFERENCES users(id),
        ADD COLUMN national_answer_recorded_at timestamptz,
        ADD CONSTRAINT discovery_reports_national_answer_complete CHECK (
          (national_answer_at IS NULL AND national_answer_ref IS NULL AND national_answer_text IS NULL
             AND national_answer_by IS NULL AND national_answer_recorded_at IS NULL)
          OR (national_answer_at IS NOT NULL AND length(national_answer_ref) > 0 AND national_answer_by IS NOT NULL
             AND national_answer_recorded_at IS NOT NULL AND opinion_important IS TRUE
             AND national_answer_at >= reported_at))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE discovery_reports
        DROP CONSTRAINT discovery_reports_national_answer_complete,
        DROP COLUMN national_answer_recorded_at,
        DROP COLUMN national_answer_by,
        DROP COLUMN national_answer_text,
        DROP COLUMN national_answer_ref,
        DROP COLUMN national_answer_at`);
  }
}
