import { Module } from '@nestjs/common';
import { ClearanceModule } from '../clearance/clearance.module';
import { ZonesModule } from '../zones/zones.module';
import { ParcelsController } from './parcels.controller';
import { ParcelsImportTarget } from './parcels.import-target';
import { ParcelsLayer } from './parcels.layer';
import { ParcelsRepository } from './parcels.repository';
import { ParcelsService } from './parcels.service';

@Module({
  imports: [ClearanceModule, ZonesModule],
  controllers: [ParcelsController],
  providers: [ParcelsRepository, ParcelsService, ParcelsImportTarget, ParcelsLayer],
  exports: [ParcelsService, ParcelsRepository],
})
export class ParcelsModule {}
