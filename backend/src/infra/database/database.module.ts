import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, APP_CONFIG } from '../config/config';
import { dataSourceOptions } from './data-source';

/** The application's DataSource, connected as its own non-superuser role. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.databaseUrl, { extra: { max: 20, application_name: 'qianzhi-api' } }),
        migrations: [],
        // TypeORM retries 9 times by default; fail fast so a missing database is reported at once
        retryAttempts: 2,
        retryDelay: 500,
      }),
    }),
  ],
})
export class DatabaseModule {}
