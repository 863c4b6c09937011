import { Injectable, OnModuleInit } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { EntityManager } from 'typeorm';
import { AppException, forbiddenRole } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor } from '../audit/audit.service';
import { hasRole, Principal } from '../auth/roles';
import { ImportFeature, ImportTarget, ImportTargetRegistry } from '../imports/import-target.registry';
import { GeoJsonGeometryType } from '../spatial/geojson';
import { ZONING_CATEGORIES, ZoningCategory } from './zoning-plan.transitions';
import { isZoningCategory, resolveImportedAreas, ZoningImportOptions } from './zoning-import';
import { ZoningService } from './zoning.service';

registerMessages({
  import_option_invalid: {
    'zh-CN': '导入到“{target}”需要选项 {option}（{expected}）。',
    en: 'Importing into "{target}" needs the option {option} ({expected}).',
  },
  zoning_import_category_unknown: {
    'zh-CN': '第 {numbers} 个要素的分区类别无法识别（值：{values}）。请选择类别所在的属性并对应到避让区、勘探区或释放区，或为全部要素指定一个类别。',
    en: 'Feature(s) {numbers} have no recognisable category (values: {values}). Choose the attribute holding it and map its values to avoidance, exploration or release, or give one category for all.',
  },
});

/**
 * `zoning-areas` import target (options: `planId`, and `category` or `categoryField` + `categoryMap`,
 * optional `rationaleField`, `labelField`, `rowVersion`): a file's polygons become areas of a draft plan, all
 * in the import's one transaction. Assessors only, drafts only (409 otherwise).
 */
@Injectable()
export class ZoningAreasImportTarget implements ImportTarget, OnModuleInit {
  readonly name = 'zoning-areas';
  readonly geometryTypes: GeoJsonGeometryType[] = ['Polygon', 'MultiPolygon'];
  readonly layers = ['zoning-areas'];

  constructor(
    private readonly registry: ImportTargetRegistry,
    private readonly zoning: ZoningService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private invalid(option: string, expected: string): AppException {
    return new AppException('import_option_invalid', 400, { target: this.name, option, expected });
  }

  /** The options, checked: a clear 400 naming the option rather than a surprise later. */
  options(raw: Record<string, unknown>): ZoningImportOptions {
    const { planId, rowVersion, category, categoryField, categoryMap, rationaleField, labelField } = raw;
    if (typeof planId !== 'string' || !isUUID(planId)) throw this.invalid('planId', 'UUID');
    if (rowVersion !== undefined && !(Number.isInteger(rowVersion) && (rowVersion as number) > 0)) throw this.invalid('rowVersion', 'integer ≥ 1');
    const categories = ZONING_CATEGORIES.join(' | ');
    if (category !== undefined && !isZoningCategory(category)) throw this.invalid('category', categories);
    for (const [name, value] of Object.entries({ categoryField, rationaleField, labelField })) {
      if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > 200)) throw this.invalid(name, 'attribute name');
    }
    if (categoryMap !== undefined) {
      const ok = typeof categoryMap === 'object' && categoryMap !== null && !Array.isArray(categoryMap) && Object.values(categoryMap).every(isZoningCategory);
      if (!ok) throw this.invalid('categoryMap', `{ value: ${categories} }`);
    }
    return {
      planId,
      ...(rowVersion !== undefined ? { rowVersion: rowVersion as number } : {}),
      ...(category !== undefined ? { category: category as ZoningCategory } : {}),
      ...(categoryField !== undefined ? { categoryField: categoryField as string } : {}),
      ...(categoryMap !== undefined ? { categoryMap: categoryMap as Record<string, ZoningCategory> } : {}),
      ...(rationaleField !== undefined ? { rationaleField: rationaleField as string } : {}),
      ...(labelField !== undefined ? { labelField: labelField as string } : {}),
    };
  }

  async assertCanWrite(p: Principal, raw: Record<string, unknown>): Promise<void> {
    if (!hasRole(p, 'assessor')) throw forbiddenRole();
    await this.zoning.assertMayImport(p, this.options(raw).planId);
  }

  async commit(m: EntityManager, actor: Actor, features: ImportFeature[], raw: Record<string, unknown>): Promise<{ written: number; ids: string[] }> {
    const options = this.options(raw);
    const { areas, unresolved } = resolveImportedAreas(features, options);
    if (unresolved.length) {
      const values = [...new Set(unresolved.map((u) => u.value ?? '—'))].slice(0, 10).join('、');
      throw new AppException(
        'zoning_import_category_unknown', 422,
        { numbers: unresolved.slice(0, 20).map((u) => u.index + 1).join(', '), values },
        { featureIndexes: unresolved.map((u) => u.index), values: unresolved.map((u) => u.value) },
      );
    }
    const geometry = new Map(features.map((f) => [f.index, f.geometry]));
    const ids = await this.zoning.importAreas(m, actor, options.planId, options.rowVersion ?? null, areas.map((a) => ({ ...a, geometry: geometry.get(a.index)! })));
    return { written: ids.length, ids };
  }
}
