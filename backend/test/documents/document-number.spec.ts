import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/infra/config/config';
import { shanghaiYear } from '../../src/infra/clock/time';
import { dataSourceOptions } from '../../src/infra/database/data-source';
import { nextDocumentNumber } from '../../src/modules/documents/document-number.repository';
import { TestDatabase, createTestDatabase } from '../support/test-db';

/** Opinion numbers against real PostgreSQL, through the application's own (non-superuser) role. */
describe('document numbers (晋文物函〔2026〕12号)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.config.databaseUrl, { extra: { max: 12 } }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('ten reviewers issuing at the same moment get ten distinct consecutive numbers', async () => {
    const series = '晋文物函';
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        ds.transaction(async (m) => {
          const n = await nextDocumentNumber(m, series, 2026);
          await sleep(15); // hold the row lock while the rest of the issue would run
          return n;
        }),
      ),
    );
    const seqs = results.map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(results.map((r) => r.number)).size).toBe(10);
    expect(results.map((r) => r.number)).toContain('晋文物函〔2026〕10号');
    for (const r of results) expect(r.number).toBe(`晋文物函〔2026〕${r.seq}号`);
  });

  it('a rolled-back issue gives its number back, even while another reviewer waits for it', async () => {
    const series = '晋文物许';
    await ds.transaction((m) => nextDocumentNumber(m, series, 2026)); // 1

    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    let firstTook!: (n: number) => void;
    const firstNumber = new Promise<number>((r) => (firstTook = r));
    const failing = ds
      .transaction(async (m) => {
        const n = await nextDocumentNumber(m, series, 2026);
        firstTook(n.seq);
        await firstHolds;
        throw new Error('PDF rendering failed');
      })
      .catch((e: Error) => e.message);
    expect(await firstNumber).toBe(2);
    // the second issuer blocks on the counter row until the first one rolls back
    const waiting = ds.transaction((m) => nextDocumentNumber(m, series, 2026));
    await sleep(100);
    releaseFirst();
    expect(await failing).toBe('PDF rendering failed');
    expect((await waiting).number).toBe('晋文物许〔2026〕2号');
    expect((await ds.transaction((m) => nextDocumentNumber(m, series, 2026))).seq).toBe(3);

    const rows = await db.admin.query(`SELECT last_seq FROM document_number_counters WHERE series = $1 AND year = 2026`, [series]);
    expect(rows.rows).toEqual([{ last_seq: 3 }]);
  });

  it('numbers restart at 1 in a new Asia/Shanghai year: 2026-12-31T17:00Z is already 2027', async () => {
    const series = '晋文物函（年）';
    expect((await ds.transaction((m) => nextDocumentNumber(m, series, shanghaiYear(new Date('2026-12-31T15:59:59Z'))))).number).toBe('晋文物函（年）〔2026〕1号');
    const newYear = shanghaiYear(new Date('2026-12-31T17:00:00Z'));
    expect(newYear).toBe(2027);
    expect((await ds.transaction((m) => nextDocumentNumber(m, series, newYear))).number).toBe('晋文物函（年）〔2027〕1号');
    expect((await ds.transaction((m) => nextDocumentNumber(m, series, 2026))).number).toBe('晋文物函（年）〔2026〕2号');
  });

  it('the series comes from OPINION_NUMBER_PREFIX, 晋文物函 by default', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).opinionNumberPrefix).toBe('晋文物函');
    expect(loadConfig({ NODE_ENV: 'test', OPINION_NUMBER_PREFIX: ' 晋文物保函 ' }).opinionNumberPrefix).toBe('晋文物保函');
  });

  it('refuses an empty series or a year that is not a calendar year, without touching the counters', async () => {
    await expect(ds.transaction((m) => nextDocumentNumber(m, '  ', 2026))).rejects.toThrow(RangeError);
    await expect(ds.transaction((m) => nextDocumentNumber(m, '晋文物函', 26))).rejects.toThrow(RangeError);
    const rows = await db.admin.query(`SELECT count(*)::int AS n FROM document_number_counters WHERE year = 26 OR series = '  '`);
    expect(rows.rows[0].n).toBe(0);
  });
});
