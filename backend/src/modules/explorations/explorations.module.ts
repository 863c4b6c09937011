import { Module } from '@nestjs/common';
import { ParcelsModule } from '../parcels/parcels.module';
import { ZoningModule } from '../zoning/zoning.module';
import { ZonesModule } from '../zones/zones.module';
import { ExplorationsController } from './explorations.controller';
import { ExplorationsRepository } from './explorations.repository';
import { ExplorationsService } from './explorations.service';

@Module({
  imports: [ParcelsModule, ZoningModule, ZonesModule],
  controllers: [ExplorationsController],
  providers: [ExplorationsRepository, ExplorationsService],
})
export class ExplorationsModule {}
