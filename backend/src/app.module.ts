import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock } from './infra/clock/clock';
import { AppConfig } from './infra/config/config';
import { ConfigModule } from './infra/config/config.module';
import { DatabaseModule } from './infra/database/database.module';
import { QueueModule } from './infra/queue/queue.module';
import { RedisModule } from './infra/redis/redis.module';
import { AccountsController } from './modules/accounts/accounts.controller';
import { AccountsRepository } from './modules/accounts/accounts.repository';
import { AccountsService } from './modules/accounts/accounts.service';
import { AuditController } from './modules/audit/audit.controller';
import { AccessGuard } from './modules/auth/access.guard';
import { AuthController } from './modules/auth/auth.controller';
import { CoreModule } from './modules/core.module';
import { HealthController } from './modules/health/health.controller';
import { PublicConfigController } from './modules/health/public-config.controller';
import { LayersController } from './modules/layers/layers.controller';
import { ZonesController } from './modules/zones/zones.controller';
import { ZonesLayer } from './modules/zones/zones.layer';
import { ZonesRepository } from './modules/zones/zones.repository';
import { ZonesService } from './modules/zones/zones.service';

@Module({
  controllers: [AuthController, AccountsController, ZonesController],
  providers: [AccountsRepository, AccountsService, ZonesRepository, ZonesService, ZonesLayer],
  exports: [ZonesService, ZonesRepository],
})
export class FeaturesModule {}

/** The API process. The history route is registered last so specific routes win. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config, clock), DatabaseModule, RedisModule, QueueModule, CoreModule, FeaturesModule],
      controllers: [HealthController, PublicConfigController, LayersController, AuditController],
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}
