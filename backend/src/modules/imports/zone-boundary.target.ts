import { Injectable, OnModuleInit } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { EntityManager } from 'typeorm';
import { AppException, forbiddenRole, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { hasRole, Principal } from '../auth/roles';
import { GeoJsonGeometry, GeoJsonGeometryType } from '../spatial/geojson';
import { ZonesRepository } from '../zones/zones.repository';
import { ZonesService } from '../zones/zones.service';
import { ImportFeature, ImportTarget, ImportTargetRegistry } from './import-target.registry';

registerMessages({
  import_option_invalid: {
    'zh-CN': '导入到“{target}”需要选项 {option}（{expected}）。',
    en: 'Importing into "{target}" needs the option {option} ({expected}).',
  },
});

/**
 * `zone-boundary`: an admin replaces a zone's boundary from a file (the red line from the planning
 * bureau's CAD or Shapefile). Several polygons are unioned into one MultiPolygon in PostGIS.
 */
@Injectable()
export class ZoneBoundaryTarget implements ImportTarget, OnModuleInit {
  readonly name = 'zone-boundary';
  readonly geometryTypes: GeoJsonGeometryType[] = ['Polygon', 'MultiPolygon'];
  readonly layers = ['zones'];

  constructor(
    private readonly registry: ImportTargetRegistry,
    private readonly zones: ZonesService,
    private readonly zonesRepo: ZonesRepository,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private zoneId(options: Record<string, unknown>): string {
    const id = options.zoneId;
    if (typeof id !== 'string' || !isUUID(id)) {
      throw new AppException('import_option_invalid', 400, { target: this.name, option: 'zoneId', expected: 'UUID' });
    }
    return id;
  }

  async assertCanWrite(p: Principal, options: Record<string, unknown>): Promise<void> {
    if (!hasRole(p, 'admin')) throw forbiddenRole();
    this.zoneId(options);
  }

  async commit(m: EntityManager, actor: Actor, features: ImportFeature[], options: Record<string, unknown>): Promise<{ written: number; ids: string[] }> {
    const id = this.zoneId(options);
    await m.query(`SELECT 1 FROM zones WHERE id = $1 FOR UPDATE`, [id]);
    const before = await this.zonesRepo.findById(m, id);
    if (!before) throw notFound('zone_not_found');
    const rows: Array<{ boundary: string }> = await m.query(
      `SELECT ST_AsGeoJSON(ST_Multi(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(g.value), 4490))), 9, 0) AS boundary
         FROM jsonb_array_elements($1::jsonb) AS g(value)`,
      [JSON.stringify(features.map((f) => f.geometry))],
    );
    const boundary = JSON.parse(rows[0]!.boundary) as GeoJsonGeometry;
    // the union of valid polygons is valid; this guards the CHECK constraint with a 422 that says where
    await this.zones.assertValidGeometry(m, boundary);
    await this.zonesRepo.update(m, id, {
      code: before.code, name: before.name, nameEn: before.nameEn, category: before.category, level: before.level,
      divisionCode: before.division.code, committeeOrgId: before.committeeOrg?.id ?? null, boundary,
    });
    const after = (await this.zonesRepo.findById(m, id))!;
    await this.audit.record(m, actor, {
      action: 'zone.boundary-import', entityType: 'zone', entityId: id,
      before: { boundary: before.boundary, areaM2: before.areaM2 },
      after: { boundary: after.boundary, areaM2: after.areaM2, featureIndexes: features.map((f) => f.index) },
    });
    return { written: 1, ids: [id] };
  }
}
