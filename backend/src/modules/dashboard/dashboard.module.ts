import { Module } from '@nestjs/common';
import { ZonesModule } from '../zones/zones.module';
import { DashboardController } from './dashboard.controller';
import { DashboardRepository } from './dashboard.repository';
import { DashboardService } from './dashboard.service';

/** Read-only figures for the province dashboard; every aggregate is computed in SQL within the caller's scope. */
@Module({
  imports: [ZonesModule],
  controllers: [DashboardController],
  providers: [DashboardRepository, DashboardService],
})
export class DashboardModule {}
