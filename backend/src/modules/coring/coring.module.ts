import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module';
import { ZonesModule } from '../zones/zones.module';
import { CoringImportTarget } from './coring-import.target';
import { CoringController } from './coring.controller';
import { CoringLayer } from './coring.layer';
import { CoringRepository } from './coring.repository';
import { CoringService } from './coring.service';

/** Wide-spacing coring (大孔距实探): grid planning, bulk import, recording results, the coring-points layer. */
@Module({
  imports: [ZonesModule, AssessmentsModule],
  controllers: [CoringController],
  providers: [CoringRepository, CoringService, CoringLayer, CoringImportTarget],
  exports: [CoringService],
})
export class CoringModule {}
