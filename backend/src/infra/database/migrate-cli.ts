import { loadConfig } from '../config/config';
import { recreateTemplate, revertLastMigration, runMigrations } from './migrator';

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'up';
  const config = loadConfig();
  const log = (m: string): void => console.log(`[migrate] ${m}`);
  switch (command) {
    case 'up': {
      const done = await runMigrations(config.databaseAdminUrl, config.databaseUrl, log);
      log(done.length ? `applied ${done.join(', ')}` : 'schema is up to date');
      break;
    }
    case 'down':
      await revertLastMigration(config.databaseAdminUrl);
      log('reverted the last migration');
      break;
    case 'template':
      await recreateTemplate(config.databaseAdminUrl, config.databaseUrl, log);
      log('test template database qianzhi_test_template is ready');
      break;
    default:
      throw new Error(`unknown command "${command}" (use up, down or template)`);
  }
}

main().catch((err: unknown) => {
  console.error('[migrate] failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
