import { loadConfig } from '../../src/infra/config/config';
import { ensureTemplate } from '../../src/infra/database/migrator';

/** Migrates the template database once per set of migrations; every test file clones it (see test-db.ts). */
export default async function globalSetup(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  process.env.QZ_TEMPLATE_DB = await ensureTemplate(config.databaseAdminUrl, config.databaseUrl);
}
