import { loadConfig } from '../config/config';
import { ensureTemplate, revertLastMigration, runMigrations } from './migrator';

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
    case 'template': {
      // the template the tests and browser journeys clone, named by the hash of the migrations
      const name = await ensureTemplate(config.databaseAdminUrl, config.databaseUrl);
      log(`test template database ${name} is ready`);
      break;
    }
    default:
      throw new Error(`unknown command "${command}" (use up, down or template)`);
  }
}

main().catch((err: unknown) => {
  console.error('[migrate] failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
