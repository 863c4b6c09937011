import { Module } from '@nestjs/common';
import { ZonesModule } from '../zones/zones.module';
import { CommitmentsController, ReleaseStatusController } from './commitments.controller';
import { CommitmentsRepository } from './commitments.repository';
import { CommitmentsService } from './commitments.service';

@Module({
  imports: [ZonesModule],
  controllers: [CommitmentsController, ReleaseStatusController],
  providers: [CommitmentsRepository, CommitmentsService],
  exports: [CommitmentsService, CommitmentsRepository],
})
export class CommitmentsModule {}
