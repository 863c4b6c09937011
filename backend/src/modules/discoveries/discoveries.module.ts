import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DeadlineEngine, DISCOVERY_QUEUE } from './discovery-deadlines';
import { DiscoveryDeadlineProcessor, DiscoveryReconciler } from './discovery-deadlines.processor';
import { DiscoveriesController } from './discoveries.controller';
import { DiscoveriesRepository } from './discoveries.repository';
import { DiscoveriesService } from './discoveries.service';
import { DiscoverySettings } from './discovery.settings';

const settings = { provide: DiscoverySettings, useFactory: () => DiscoverySettings.fromEnv() };

/** Discovery reports, stop-work orders, the authority's steps and the in-app inbox (API process). */
@Module({
  imports: [BullModule.registerQueue({ name: DISCOVERY_QUEUE })],
  controllers: [DiscoveriesController],
  providers: [DiscoveriesRepository, DiscoveriesService, DeadlineEngine, settings],
  exports: [DiscoveriesService],
})
export class DiscoveriesModule {}

/** The worker side: deadline triggers from the `discoveries` queue and the reconciler on the worker's own timer. */
@Module({
  imports: [BullModule.registerQueue({ name: DISCOVERY_QUEUE })],
  providers: [DeadlineEngine, DiscoveryDeadlineProcessor, DiscoveryReconciler, settings],
  exports: [DeadlineEngine],
})
export class DiscoveriesWorkerModule {}
