import { Module } from '@nestjs/common';
import { QueueModule } from '../../infra/queue/queue.module';
import { ZoningAreasImportTarget } from './zoning-areas.import-target';
import { ZoningAreasLayer } from './zoning-areas.layer';
import { ZoningController } from './zoning.controller';
import { ZoningRepository } from './zoning.repository';
import { ZoningService } from './zoning.service';
import { ZoningValidationProcessor } from './zoning-validation.processor';
import { ZoningValidationRepository } from './zoning-validation.repository';

/** Zoning plans, areas, validation, review and issuing (API process). */
@Module({
  imports: [QueueModule],
  controllers: [ZoningController],
  providers: [ZoningRepository, ZoningValidationRepository, ZoningService, ZoningAreasLayer, ZoningAreasImportTarget],
  exports: [ZoningService, ZoningRepository],
})
export class ZoningModule {}

/** The worker side: large-plan validation jobs. */
@Module({
  providers: [ZoningValidationRepository, ZoningValidationProcessor],
})
export class ZoningWorkerModule {}
