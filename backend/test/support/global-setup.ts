import { loadConfig } from '../../src/infra/config/config';
import { recreateTemplate } from '../../src/infra/database/migrator';

/** Migrates the template database once; every test file clones it (see test-app.ts). */
export default async function globalSetup(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  await recreateTemplate(config.databaseAdminUrl, config.databaseUrl);
}
