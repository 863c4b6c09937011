import { Module } from '@nestjs/common';
import { AssessmentsModule } from '../assessments/assessments.module';
import { ZonesModule } from '../zones/zones.module';
import { SurveyController } from './survey.controller';
import { SurveyImportTargets } from './survey.import-targets';
import { ObservationsLayer, SurveyTracksLayer } from './survey.layers';
import { SurveyRepository } from './survey.repository';
import { SurveyService } from './survey.service';

@Module({
  imports: [AssessmentsModule, ZonesModule],
  controllers: [SurveyController],
  providers: [SurveyRepository, SurveyService, ObservationsLayer, SurveyTracksLayer, SurveyImportTargets],
  exports: [SurveyService],
})
export class SurveyModule {}
