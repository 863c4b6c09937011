import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Discovery photos: which step they document (the contractor's report or the authority's arrival), the
 * EXIF position kept beside the distance to the reported point, and whether that distance is large
 * enough to be flagged (the photo may not show this find).
 */
export class AddDiscoveryPhotoChecks1764288000000 implements MigrationInterface {
  name = 'AddDiscoveryPhotoChecks1764288000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE discovery_photos
        ADD COLUMN step text NOT NULL DEFAULT 'report' CHECK (step IN ('report', 'arrival')),
        ADD COLUMN far_from_report boolean NOT NULL DEFAULT false,
        ADD COLUMN position int NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX discovery_photos_file_idx ON discovery_photos (file_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX discovery_photos_file_idx`);
    await q.query(`ALTER TABLE discovery_photos DROP COLUMN position, DROP COLUMN far_from_report, DROP COLUMN step`);
  }
}
