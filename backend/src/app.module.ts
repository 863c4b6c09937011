import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock } from './infra/clock/clock';
import { AppConfig } from './infra/config/config';
import { ConfigModule } from './infra/config/config.module';
import { DatabaseModule } from './infra/database/database.module';
import { QueueModule } from './infra/queue/queue.module';
import { RedisModule } from './infra/redis/redis.module';
import { AuditController } from './modules/audit/audit.controller';
import { AccessGuard } from './modules/auth/access.guard';
import { CoreModule } from './modules/core.module';
import { API_FEATURE_MODULES } from './modules/feature-modules';
import { HealthController } from './modules/health/health.controller';
import { PublicConfigController } from './modules/health/public-config.controller';
import { LayersController } from './modules/layers/layers.controller';

/** The API process. The generic history route is registered last so specific routes win. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config, clock), DatabaseModule, RedisModule, QueueModule, CoreModule, ...API_FEATURE_MODULES],
      controllers: [HealthController, PublicConfigController, LayersController, AuditController],
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}
