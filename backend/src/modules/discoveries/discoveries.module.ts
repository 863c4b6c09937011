import { Module } from '@nestjs/common';
import { DiscoveriesController } from './discoveries.controller';
import { DiscoveriesRepository } from './discoveries.repository';
import { DiscoveriesService } from './discoveries.service';
import { DiscoverySettings } from './discovery.settings';

/** Discovery reports, stop-work orders, the authority's steps and the in-app inbox (API process). */
@Module({
  controllers: [DiscoveriesController],
  providers: [DiscoveriesRepository, DiscoveriesService, { provide: DiscoverySettings, useFactory: () => DiscoverySettings.fromEnv() }],
  exports: [DiscoveriesService],
})
export class DiscoveriesModule {}
