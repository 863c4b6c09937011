import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { REPO_ROOT } from '../config/config';

/**
 * Migrations live in the top-level `migrations/` folder. Under ts-node we load the .ts sources; the
 * compiled build carries them at dist/migrations/*.js.
 */
export function migrationGlobs(): string[] {
  const compiled = __filename.endsWith('.js');
  return compiled
    ? [join(REPO_ROOT, 'backend', 'dist', 'migrations', '*.js')]
    : [join(REPO_ROOT, 'migrations', '*.ts')];
}

export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: migrationGlobs(),
    migrationsTableName: 'schema_migrations',
    entities: [],
    logging: ['error'],
    extra: { max: 10, application_name: 'qianzhi' },
    ...extra,
  } as DataSourceOptions;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}
