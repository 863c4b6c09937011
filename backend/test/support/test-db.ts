import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { AppConfig, loadConfig } from '../../src/infra/config/config';
import { withDatabase } from '../../src/infra/database/data-source';
import { createDatabaseFromTemplate, dropDatabase, ensureTemplate } from '../../src/infra/database/migrator';

export interface TestDatabase {
  name: string;
  config: AppConfig;
  /** superuser pool on the test database, for set-up and for attacks the app role must not be able to make */
  admin: Pool;
  drop(): Promise<void>;
}

/** The migrated (unseeded) template for the current migrations. */
export async function migratedTemplate(): Promise<string> {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
  return process.env.QZ_TEMPLATE_DB ?? (await ensureTemplate(base.databaseAdminUrl, base.databaseUrl));
}

/** A private database cloned from a template (default: the migrated one), and a private queue prefix. */
export async function createTestDatabase(env: Record<string, string | undefined> = {}, template?: string): Promise<TestDatabase> {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test', ...env });
  const name = `qz_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await createDatabaseFromTemplate(base.databaseAdminUrl, name, template ?? (await migratedTemplate()));
  const config: AppConfig = {
    ...base,
    databaseUrl: withDatabase(base.databaseUrl, name),
    databaseAdminUrl: withDatabase(base.databaseAdminUrl, name),
    queuePrefix: `qz_t_${name}`,
  };
  const admin = new Pool({ connectionString: config.databaseAdminUrl, max: 3 });
  // dropping the database at teardown terminates idle pooled connections (57P01): expected, not a failure
  admin.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') console.error('test database pool error:', err);
  });
  return {
    name,
    config,
    admin,
    async drop() {
      await admin.end();
      await dropDatabase(base.databaseAdminUrl, name);
    },
  };
}
