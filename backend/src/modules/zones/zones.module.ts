import { Module } from '@nestjs/common';
import { ZonesController } from './zones.controller';
import { ZonesLayer } from './zones.layer';
import { ZonesRepository } from './zones.repository';
import { ZonesService } from './zones.service';

@Module({
  controllers: [ZonesController],
  providers: [ZonesRepository, ZonesService, ZonesLayer],
  exports: [ZonesService, ZonesRepository],
})
export class ZonesModule {}
