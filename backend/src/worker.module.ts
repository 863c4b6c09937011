import { DynamicModule, Module } from '@nestjs/common';
import { Clock } from './infra/clock/clock';
import { AppConfig } from './infra/config/config';
import { ConfigModule } from './infra/config/config.module';
import { DatabaseModule } from './infra/database/database.module';
import { QueueModule } from './infra/queue/queue.module';
import { RedisModule } from './infra/redis/redis.module';
import { CoreModule } from './modules/core.module';
import { WORKER_FEATURE_MODULES } from './modules/feature-modules';
import { MaintenanceProcessor } from './modules/maintenance/maintenance.processor';

/** The worker process: same code, no HTTP; BullMQ processors and the worker's own timers. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config, clock), DatabaseModule, RedisModule, QueueModule, CoreModule, ...WORKER_FEATURE_MODULES],
      providers: [MaintenanceProcessor],
    };
  }
}
