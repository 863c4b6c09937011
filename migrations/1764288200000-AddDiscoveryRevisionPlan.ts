import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A `preserve_in_situ` opinion opens a draft zoning revision with an avoidance area around the find; the
 * report keeps a link to it. DOMAIN.md §4.5: a discovery's clearance hold ends when the report is closed
 * (the authority's resumption lifts it) or when a revised plan of its zone is issued. The second is a
 * trigger on the plan's move to `issued`, so the hold ends in the very transaction that issues the plan,
 * whichever code path issues it.
 */
export class AddDiscoveryRevisionPlan1764288200000 implements MigrationInterface {
  name = 'AddDiscoveryRevisionPlan1764288200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE discovery_reports ADD COLUMN revision_plan_id uuid REFERENCES zoning_plans(id)`);
    await q.query(`ALTER TABLE clearance_holds ADD COLUMN lifted_reason text`);
    await q.query(`
      CREATE FUNCTION lift_discovery_holds_on_issue() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE clearance_holds h
           SET active = false, lifted_at = coalesce(NEW.issued_at, now()), lifted_reason = 'revised_plan_issued:' || NEW.id
          FROM discovery_reports r
         WHERE h.active AND h.source_type = 'discovery_report' AND h.source_id = r.id
           AND r.zone_id = NEW.zone_id AND r.reported_at <= coalesce(NEW.issued_at, now());
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER zoning_plans_issued_lift_discovery_holds
        AFTER UPDATE OF state ON zoning_plans
        FOR EACH ROW WHEN (NEW.state = 'issued' AND OLD.state IS DISTINCT FROM 'issued')
        EXECUTE FUNCTION lift_discovery_holds_on_issue()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER zoning_plans_issued_lift_discovery_holds ON zoning_plans`);
    await q.query(`DROP FUNCTION lift_discovery_holds_on_issue()`);
    await q.query(`ALTER TABLE clearance_holds DROP COLUMN lifted_reason`);
    await q.query(`ALTER TABLE discovery_reports DROP COLUMN revision_plan_id`);
  }
}
