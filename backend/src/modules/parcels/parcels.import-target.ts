import { Injectable, OnModuleInit } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { EntityManager } from 'typeorm';
import { AppException, forbiddenRole, forbiddenScope } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { hasRole, Principal } from '../auth/roles';
import { ImportFeature, ImportTarget, ImportTargetRegistry } from '../imports/import-target.registry';
import { GeoJsonGeometryType } from '../spatial/geojson';
import { ZonesService } from '../zones/zones.service';
import { ParcelsRepository } from './parcels.repository';
import { mayManageZone } from './parcels.service';

registerMessages({
  import_option_invalid: {
    'zh-CN': '导入到“{target}”需要选项 {option}（{expected}）。',
    en: 'Importing into "{target}" needs the option {option} ({expected}).',
  },
  parcel_import_code_missing: {
    'zh-CN': '第 {numbers} 个要素缺少地块编号（属性 code 或“地块编号”）',
    en: 'Feature(s) {numbers} have no parcel code (property code or 地块编号)',
  },
  parcel_import_code_duplicate: {
    'zh-CN': '地块编号重复或已存在：{codes}',
    en: 'Parcel codes repeated or already in use: {codes}',
  },
  parcel_import_outside_zone: {
    'zh-CN': '第 {numbers} 个要素与所选开发区没有重叠',
    en: 'Feature(s) {numbers} do not overlap the chosen zone',
  },
});

const pick = (props: Record<string, unknown>, keys: string[]): string | null => {
  for (const k of keys) {
    const v = props[k];
    if (v !== undefined && v !== null && String(v).trim() !== '') return String(v).trim();
  }
  return null;
};

/**
 * `parcels` import target (options `{ zoneId }`): red-line parcels from CAD or Shapefile, one parcel per
 * feature; properties `code`/`地块编号`, `name`/`名称`, `use`/`用途`. All or nothing, one INSERT.
 */
@Injectable()
export class ParcelsImportTarget implements ImportTarget, OnModuleInit {
  readonly name = 'parcels';
  readonly geometryTypes: GeoJsonGeometryType[] = ['Polygon', 'MultiPolygon'];
  readonly layers = ['parcels'];

  constructor(
    private readonly registry: ImportTargetRegistry,
    private readonly zones: ZonesService,
    private readonly repo: ParcelsRepository,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private zoneId(options: Record<string, unknown>): string {
    const id = options.zoneId;
    if (typeof id !== 'string' || !isUUID(id)) throw new AppException('import_option_invalid', 400, { target: this.name, option: 'zoneId', expected: 'UUID' });
    return id;
  }

  async assertCanWrite(p: Principal, options: Record<string, unknown>): Promise<void> {
    if (!hasRole(p, 'admin', 'committee_officer')) throw forbiddenRole();
    const zone = await this.zones.get(p, this.zoneId(options));
    if (!mayManageZone(p, { id: zone.id, committeeOrgId: zone.committeeOrg?.id ?? null })) throw forbiddenScope();
  }

  async commit(m: EntityManager, actor: Actor, features: ImportFeature[], options: Record<string, unknown>): Promise<{ written: number; ids: string[] }> {
    const zoneId = this.zoneId(options);
    const items = features.map((f) => ({
      index: f.index,
      code: pick(f.properties, ['code', 'CODE', '地块编号', '编号']),
      name: pick(f.properties, ['name', 'NAME', '名称', '地块名称']),
      plannedUse: pick(f.properties, ['use', 'USE', '用途', '规划用途']) ?? '未注明',
      geometry: f.geometry,
    }));
    const noCode = items.filter((i) => !i.code).map((i) => i.index + 1);
    if (noCode.length) throw new AppException('parcel_import_code_missing', 422, { numbers: noCode.slice(0, 20).join(', ') }, { featureIndexes: noCode.map((n) => n - 1) });
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('parcel-code:' || $1))`, [zoneId]);
    const codes = items.map((i) => i.code!);
    const existing: Array<{ code: string }> = await m.query(`SELECT code FROM parcels WHERE zone_id = $1 AND code = ANY($2::text[])`, [zoneId, codes]);
    const repeated = codes.filter((c, i) => codes.indexOf(c) !== i);
    const clash = [...new Set([...existing.map((e) => e.code), ...repeated])];
    if (clash.length) throw new AppException('parcel_import_code_duplicate', 409, { codes: clash.slice(0, 20).join(', ') }, { codes: clash });
    const outside: Array<{ i: number }> = await m.query(
      `SELECT t.i FROM unnest($2::text[]) WITH ORDINALITY AS t(g, i), zones z
        WHERE z.id = $1 AND coalesce(ST_Area(ST_Intersection(z.boundary, ST_SetSRID(ST_GeomFromGeoJSON(t.g), 4490))::geography), 0) <= 0.5`,
      [zoneId, items.map((i) => JSON.stringify(i.geometry))],
    );
    if (outside.length) {
      const idx = outside.map((o) => items[Number(o.i) - 1]!.index);
      throw new AppException('parcel_import_outside_zone', 422, { numbers: idx.map((n) => n + 1).join(', ') }, { featureIndexes: idx });
    }
    const ids = await this.repo.insertMany(m, zoneId, actor.principal?.userId ?? null, items.map((i) => ({
      code: i.code!, name: i.name ?? i.code!, plannedUse: i.plannedUse, geometry: i.geometry,
    })));
    await this.audit.record(m, actor, {
      action: 'parcel.import', entityType: 'zone', entityId: zoneId,
      after: { parcels: ids.map((id, k) => ({ id, code: items[k]!.code, featureIndex: items[k]!.index })) },
    });
    return { written: ids.length, ids };
  }
}
