import { Module } from '@nestjs/common';
import { ZonesModule } from '../zones/zones.module';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsRepository } from './assessments.repository';
import { AssessmentsService } from './assessments.service';

@Module({
  imports: [ZonesModule],
  controllers: [AssessmentsController],
  providers: [AssessmentsRepository, AssessmentsService],
  exports: [AssessmentsService, AssessmentsRepository],
})
export class AssessmentsModule {}
