import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gapless document numbers (晋文物函〔2026〕12号): one counter row per series and Asia/Shanghai year. The
 * number is taken with an upsert inside the issuing transaction, so the row lock serialises concurrent
 * issues and a rolled-back issue gives its number back.
 */
export class CreateDocumentNumbers1764283500000 implements MigrationInterface {
  name = 'CreateDocumentNumbers1764283500000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document_number_counters (
        series   text    NOT NULL CHECK (length(series) BETWEEN 1 AND 40),
        year     integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        last_seq integer NOT NULL CHECK (last_seq >= 1),
        PRIMARY KEY (series, year)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document_number_counters`);
  }
}
