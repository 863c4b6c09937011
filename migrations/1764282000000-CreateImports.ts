import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Previewed spatial imports: the uploaded file parsed and reprojected to CGCS2000 once, kept for 24 h so
 * the commit step writes the chosen features without a second upload.
 */
export class CreateImports1764282000000 implements MigrationInterface {
  name = 'CreateImports1764282000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_by        uuid NOT NULL REFERENCES users(id),
        filename          text NOT NULL,
        format            text NOT NULL CHECK (format IN ('geojson', 'kml', 'kmz', 'shapefile_zip', 'csv', 'gpx', 'dxf')),
        crs_epsg          integer NOT NULL,
        crs_detected_from text,
        repaired          boolean NOT NULL DEFAULT false,
        -- the transformed FeatureCollection (EPSG:4490 lon/lat); emptied once a committed import expires
        features          jsonb,
        warnings          jsonb NOT NULL DEFAULT '[]'::jsonb,
        feature_count     integer NOT NULL CHECK (feature_count >= 0),
        created_at        timestamptz NOT NULL,
        expires_at        timestamptz NOT NULL,
        committed_at      timestamptz,
        committed_target  text,
        committed_count   integer,
        CHECK ((committed_at IS NULL) = (committed_target IS NULL))
      )`);
    await q.query(`CREATE INDEX imports_created_by_idx ON imports (created_by, created_at DESC)`);
    await q.query(`CREATE INDEX imports_expires_at_idx ON imports (expires_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE imports`);
  }
}
