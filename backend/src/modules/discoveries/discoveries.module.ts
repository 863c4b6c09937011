import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { DeadlineEngine, DISCOVERY_QUEUE } from './discovery-deadlines';
import { DiscoveryDeadlineProcessor, DiscoveryReconciler, NotificationDeliveryProcessor } from './discovery-deadlines.processor';
import { EmailChannel, WebhookChannel } from './delivery-channels';
import { NOTIFICATION_QUEUE, NotificationOutbox } from './notification-outbox';
import { DeliverySettings } from './notification-delivery.settings';
import { DiscoveriesController } from './discoveries.controller';
import { DiscoveriesRepository } from './discoveries.repository';
import { DiscoveriesService } from './discoveries.service';
import { DiscoverySettings } from './discovery.settings';
import { ZoningModule } from '../zoning/zoning.module';

const settings = { provide: DiscoverySettings, useFactory: () => DiscoverySettings.fromEnv() };
const delivery = [{ provide: DeliverySettings, useFactory: () => DeliverySettings.fromEnv() }, EmailChannel, WebhookChannel, NotificationOutbox];
const queues = BullModule.registerQueue({ name: DISCOVERY_QUEUE }, { name: NOTIFICATION_QUEUE });

/** Discovery reports, stop-work orders, the authority's steps and the in-app inbox (API process). */
@Module({
  imports: [queues, ZoningModule],
  controllers: [DiscoveriesController],
  providers: [DiscoveriesRepository, DiscoveriesService, DeadlineEngine, settings, ...delivery],
  exports: [DiscoveriesService],
})
export class DiscoveriesModule {}

/** The worker side: deadline triggers (`discoveries` queue), e-mail / webhook deliveries (`notifications` queue) and the reconciler on the worker's own timer. */
@Module({
  imports: [queues],
  providers: [DeadlineEngine, DiscoveryDeadlineProcessor, DiscoveryReconciler, NotificationDeliveryProcessor, settings, ...delivery],
  exports: [DeadlineEngine],
})
export class DiscoveriesWorkerModule {}
