import { EntityManager } from 'typeorm';
import { formatDocumentNumber } from './document-number';

/**
 * Takes the next number of a series in a year, inside the caller's transaction.
 *
 * The upsert locks the counter row until the caller commits or rolls back: a second issuer waits on the
 * lock and then sees the committed value, so numbers are unique and consecutive; a rolled-back issue
 * rolls its increment back with it, so no gap is left. (A sequence would be unique but not gapless.)
 * `year` is the Asia/Shanghai year of the issue (see `shanghaiYear`).
 */
export async function nextDocumentNumber(m: EntityManager, series: string, year: number): Promise<{ number: string; seq: number }> {
  formatDocumentNumber(series, year, 1); // validates series and year before touching the table
  const rows = (await m.query(
    `INSERT INTO document_number_counters (series, year, last_seq)
     VALUES ($1, $2, 1)
     ON CONFLICT (series, year) DO UPDATE SET last_seq = document_number_counters.last_seq + 1
     RETURNING last_seq`,
    [series, year],
  )) as Array<{ last_seq: number }>;
  const seq = Number(rows[0]!.last_seq);
  return { number: formatDocumentNumber(series, year, seq), seq };
}
