import { Module } from '@nestjs/common';
import { ZonesModule } from '../zones/zones.module';
import { ImportController } from './import.controller';
import { ImportRepository } from './import.repository';
import { ImportService } from './import.service';
import { ZoneBoundaryTarget } from './zone-boundary.target';

/** Spatial file import over HTTP: preview (parse, reproject, validate, store) and commit into a target. */
@Module({
  imports: [ZonesModule],
  controllers: [ImportController],
  providers: [ImportRepository, ImportService, ZoneBoundaryTarget],
  exports: [ImportService],
})
export class ImportsModule {}
