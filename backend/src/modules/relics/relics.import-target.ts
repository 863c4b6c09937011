import { Injectable, OnModuleInit } from '@nestjs/common';
import { ImportTargetRegistry } from '../imports/import-target.registry';
import { RelicsService } from './relics.service';

/** Import target `relics`: points or polygons with name/名称, code, level/保护级别, period/时代 (options: divisionCode?). */
@Injectable()
export class RelicsImportTarget implements OnModuleInit {
  constructor(
    private readonly registry: ImportTargetRegistry,
    private readonly relics: RelicsService,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'relics',
      geometryTypes: ['Point', 'Polygon', 'MultiPolygon'],
      layers: ['relics'],
      assertCanWrite: (p, options) => this.relics.assertCanImport(p, options),
      commit: (m, actor, features, options) => this.relics.importRelics(m, actor, features, options),
    });
  }
}
