import { Injectable, OnModuleInit } from '@nestjs/common';
import { ImportTargetRegistry } from '../imports/import-target.registry';
import { SurveyService } from './survey.service';

/** Files imported into an assessment's survey: `survey-tracks` (GPX, KML, DXF …) and `observations`. */
@Injectable()
export class SurveyImportTargets implements OnModuleInit {
  constructor(
    private readonly registry: ImportTargetRegistry,
    private readonly survey: SurveyService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'survey-tracks',
      geometryTypes: ['LineString', 'MultiLineString'],
      layers: ['survey-tracks'],
      assertCanWrite: (p, options) => this.survey.assertCanImport(p, options),
      commit: (m, actor, features, options) => this.survey.importTracks(m, actor, features, options),
    });
    this.registry.register({
      name: 'observations',
      geometryTypes: ['Point'],
      layers: ['observations'],
      assertCanWrite: (p, options) => this.survey.assertCanImport(p, options),
      commit: (m, actor, features, options) => this.survey.importObservations(m, actor, features, options),
    });
  }
}
