import { Module } from '@nestjs/common';
import { RelicsController } from './relics.controller';
import { RelicsImportTarget } from './relics.import-target';
import { RelicsLayer } from './relics.layer';
import { RelicsRepository } from './relics.repository';
import { RelicsService } from './relics.service';

@Module({
  controllers: [RelicsController],
  providers: [RelicsRepository, RelicsService, RelicsLayer, RelicsImportTarget],
  exports: [RelicsService],
})
export class RelicsModule {}
