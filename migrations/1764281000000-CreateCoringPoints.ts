import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wide-spacing coring (大孔距实探): one row per core (探孔), planned on a grid or imported, then recorded
 * with depth, result and stratigraphy. Positive results (DOMAIN.md §4.2) are cultural_layer, tomb and
 * feature; the zoning validator reads (zone_id, result) through its own index.
 */
export class CreateCoringPoints1764281000000 implements MigrationInterface {
  name = 'CreateCoringPoints1764281000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE coring_points (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assessment_id uuid NOT NULL REFERENCES assessments(id),
        zone_id       uuid NOT NULL REFERENCES zones(id),
        code          text,
        geom          geometry(Point, 4490) NOT NULL,
        status        text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cored')),
        depth_m       numeric(6, 2) CHECK (depth_m IS NULL OR depth_m >= 0),
        result        text CHECK (result IN ('negative', 'cultural_layer', 'tomb', 'feature', 'disturbed')),
        stratigraphy  text,
        cored_at      timestamptz,
        -- users.id of who recorded the result; no FK: checked row by row it slows bulk imports, and users are deactivated, never deleted
        recorded_by   uuid,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        row_version   integer NOT NULL DEFAULT 1,
        -- a core is cored exactly when it has a result: no half-recorded rows
        CONSTRAINT coring_points_status_result_ck CHECK ((status = 'cored') = (result IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX coring_points_geom_gix ON coring_points USING gist (geom)`);
    await q.query(`CREATE INDEX coring_points_assessment_idx ON coring_points (assessment_id)`);
    await q.query(`CREATE INDEX coring_points_zone_result_idx ON coring_points (zone_id, result)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS coring_points`);
  }
}
