import { Pool } from 'pg';
import { AppConfig, loadConfig } from '../src/infra/config/config';
import { withDatabase } from '../src/infra/database/data-source';
import { createDatabaseFromTemplate, dropDatabase, ensureTemplate } from '../src/infra/database/migrator';

export interface BenchDatabase {
  /** the test configuration pointed at the bench's own database, with its own queue prefix */
  config: AppConfig;
  /** superuser pool on that database, for building the bench's data */
  admin: Pool;
  /** closes the pool and drops the database */
  drop(): Promise<void>;
}

/** A private database cloned from the migrated template, so a bench never touches the demo data. */
export async function benchDatabase(tag: string, overrides: Partial<AppConfig> = {}): Promise<BenchDatabase> {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const template = await ensureTemplate(base.databaseAdminUrl, base.databaseUrl);
  const name = `qz_bench_${tag}_${process.pid}`;
  await createDatabaseFromTemplate(base.databaseAdminUrl, name, template);
  const config: AppConfig = {
    ...base, databaseUrl: withDatabase(base.databaseUrl, name), databaseAdminUrl: withDatabase(base.databaseAdminUrl, name),
    queuePrefix: `qz_bench_${name}`, logLevel: 'error', ...overrides,
  };
  const admin = new Pool({ connectionString: config.databaseAdminUrl, max: 2 });
  return {
    config,
    admin,
    async drop() {
      await admin.end().catch(() => undefined);
      await dropDatabase(base.databaseAdminUrl, name);
    },
  };
}
