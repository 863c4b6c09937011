import { Client } from 'pg';
import { loadConfig } from '../../src/infra/config/config';
import { withDatabase } from '../../src/infra/database/data-source';
import { dropDatabase, revertLastMigration, runMigrations } from '../../src/infra/database/migrator';

describe('migrations', () => {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const name = `qz_t_migr_${process.pid}`;
  const adminUrl = withDatabase(base.databaseAdminUrl, name);
  const appUrl = withDatabase(base.databaseUrl, name);
  afterAll(() => dropDatabase(base.databaseAdminUrl, name));

  async function tables(): Promise<string[]> {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      const r = await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys' ORDER BY 1`);
      return r.rows.map((x) => x.tablename as string);
    } finally {
      await c.end();
    }
  }

  it('apply on an empty database, run concurrently without conflict, and every down() really reverts', async () => {
    await dropDatabase(base.databaseAdminUrl, name);
    // two migrators at once: the advisory lock makes the second find nothing to do
    const [a, b] = await Promise.all([runMigrations(adminUrl, appUrl), runMigrations(adminUrl, appUrl)]);
    expect(a.length + b.length).toBeGreaterThan(0);
    expect(Math.min(a.length, b.length)).toBe(0);
    const applied = a.length + b.length;
    expect(await tables()).toEqual(expect.arrayContaining(['audit_events', 'divisions', 'organizations', 'users', 'zones', 'schema_migrations']));
    for (let i = 0; i < applied; i++) await revertLastMigration(adminUrl);
    expect(await tables()).toEqual(['schema_migrations']);
    expect(await runMigrations(adminUrl, appUrl)).toHaveLength(applied);
  });
});
