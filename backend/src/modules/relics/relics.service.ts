import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { AppException, forbiddenRole, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { evidencePredicate } from '../assessments/evidence-scope';
import { Actor, AuditService } from '../audit/audit.service';
import { Principal, hasRole } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { ImportFeature } from '../imports/import-target.registry';
import { LayerCache } from '../layers/layer-cache.service';
import { BBox } from '../spatial/bbox';
import { GeoJsonGeometry } from '../spatial/geojson';
import { parseProtectionLevel } from './relic-level';
import { CreateRelicDto, RelicDto, UpdateRelicDto } from './relics.dto';
import { PlacementProblem, RelicWrite, RelicsRepository } from './relics.repository';

registerMessages({
  relic_not_found: { 'zh-CN': '不可移动文物不存在', en: 'No such immovable relic' },
  relic_invalid_geometry: {
    'zh-CN': '文物几何图形无效（{part}：{reason}）',
    en: 'Invalid relic geometry ({part}: {reason})',
  },
  relic_division_required: {
    'zh-CN': '文物不在任何开发区内，请填写所在行政区划代码',
    en: 'The relic lies in no development zone; give its administrative division code',
  },
  relic_out_of_scope: { 'zh-CN': '该文物所在行政区划不在您的管辖范围内', en: 'The relic’s division is outside your scope' },
  relic_code_taken: { 'zh-CN': '文物编号“{code}”已存在', en: 'The relic code "{code}" is already in use' },
  relic_range_not_covering: { 'zh-CN': '保护范围必须覆盖文物本体', en: 'The protection range must cover the relic itself' },
  relic_control_not_covering: {
    'zh-CN': '建设控制地带必须覆盖保护范围（无保护范围时覆盖文物本体）',
    en: 'The construction-control zone must cover the protection range (or the relic when it has none)',
  },
  relic_import_problems: {
    'zh-CN': '有 {count} 条文物记录不能导入（第一条：第 {first} 个要素，{what}）',
    en: '{count} relic records cannot be imported (first: feature #{first}, {what})',
  },
  relic_name_missing: { 'zh-CN': '文物名称缺失（要素 {indexes}），请在属性 name 或“名称”中提供', en: 'Relic name missing (features {indexes}); provide name or 名称' },
  relic_level_unknown: { 'zh-CN': '保护级别无法识别（要素 {indexes}）', en: 'Unknown protection level (features {indexes})' },
  relic_division_invalid: { 'zh-CN': '行政区划 {code} 不存在', en: 'Administrative division {code} does not exist' },
});

/** Who may edit the register: the evidence readers, each within their own scope (admin everywhere). */
const RELIC_WRITERS = ['admin', 'assessor', 'reviewer', 'authority_officer'] as const;

function text(v: unknown, max: number): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v).trim();
  return s ? s.slice(0, max) : null;
}

function describeProblem(p: PlacementProblem): string {
  if (p.noDivision) return 'relic_division_required';
  if (p.outOfScope) return 'relic_out_of_scope';
  if (p.codeTaken) return 'relic_code_taken';
  if (p.rangeNotCovering) return 'relic_range_not_covering';
  return 'relic_control_not_covering';
}

@Injectable()
export class RelicsService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: RelicsRepository,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly layerCache: LayerCache,
  ) {}

  /** Cached `relics` tiles are stale once a write commits. */
  private async invalidateLayer(name: 'relics'): Promise<void> {
    await this.layerCache.invalidate(name);
  }

  private scopeOf(p: Principal): (column: string, params: SqlParams) => string {
    return (column, params) => evidencePredicate(this.scope, p, column, params);
  }

  async list(p: Principal, q: { zoneId?: string; bbox: BBox | null }): Promise<RelicDto[]> {
    const params = new SqlParams();
    const scopeSql = evidencePredicate(this.scope, p, 'r.division_code', params);
    if (scopeSql === 'FALSE') return [];
    return this.repo.list(scopeSql, params, q);
  }

  async get(p: Principal, id: string, m: EntityManager = this.db.manager): Promise<RelicDto> {
    const params = new SqlParams();
    const r = await this.repo.findById(m, id, evidencePredicate(this.scope, p, 'r.division_code', params), params);
    if (!r) throw notFound('relic_not_found');
    return r;
  }

  /** Refuses rows that cannot be written, naming the first problem (all of them in details). */
  private async assertWritable(m: EntityManager, p: Principal, rows: RelicWrite[], exceptId: string | null, indexes: number[]): Promise<void> {
    const divisions = [...new Set(rows.map((r) => r.divisionCode).filter((d): d is string => d !== null))];
    if (divisions.length) {
      const known: Array<{ code: string }> = await m.query(`SELECT code FROM divisions WHERE code = ANY($1::text[])`, [divisions]);
      const missing = divisions.find((d) => !known.some((k) => k.code === d));
      if (missing) throw new AppException('relic_division_invalid', 422, { code: missing });
    }
    const broken = await this.repo.invalidGeometries(m, rows);
    if (broken.length) {
      const b = broken[0]!;
      throw new AppException('relic_invalid_geometry', 422, { part: b.part, reason: b.reason }, { features: broken.map((x) => ({ ...x, index: indexes[x.index] })) });
    }
    const problems = await this.repo.placementProblems(m, rows, this.scopeOf(p), exceptId);
    if (!problems.length) return;
    const withIndex = problems.map((x) => ({ ...x, index: indexes[x.index]!, problem: describeProblem(x) }));
    const first = withIndex[0]!;
    if (rows.length === 1) {
      const status = first.problem === 'relic_out_of_scope' ? 403 : first.problem === 'relic_code_taken' ? 409 : 422;
      throw new AppException(first.problem, status, { code: rows[0]!.code }, { problems: withIndex });
    }
    throw new AppException('relic_import_problems', 422, { count: problems.length, first: first.index, what: first.problem }, { problems: withIndex });
  }

  async create(actor: Actor, dto: CreateRelicDto): Promise<RelicDto> {
    const p = actor.principal!;
    const row: RelicWrite = {
      code: dto.code ?? null, name: dto.name.trim(), protectionLevel: dto.protectionLevel, period: text(dto.period, 100),
      geometry: dto.geometry, protectionRange: dto.protectionRange ?? null, controlZone: dto.controlZone ?? null,
      divisionCode: dto.divisionCode ?? null, description: text(dto.description, 4000),
    };
    const relic = await this.db.transaction(async (m) => {
      await this.assertWritable(m, p, [row], null, [0]);
      const [id] = await this.repo.insertMany(m, [row], this.clock.now());
      const created = (await this.repo.findById(m, id!))!;
      await this.audit.record(m, actor, { action: 'relic.create', entityType: 'relic', entityId: id!, after: created });
      return created;
    });
    await this.invalidateLayer('relics');
    return relic;
  }

  async update(actor: Actor, id: string, ifMatch: number | null, dto: UpdateRelicDto): Promise<RelicDto> {
    const p = actor.principal!;
    await this.get(p, id);
    if (ifMatch === null) throw new AppException('precondition_required', 428);
    const relic = await this.db.transaction(async (m) => {
      const locked = await this.repo.lock(m, id);
      if (!locked) throw notFound('relic_not_found');
      if (Number.isNaN(ifMatch) || locked.rowVersion !== ifMatch) throw new AppException('conflict_stale', 412, {}, { rowVersion: locked.rowVersion });
      const before = (await this.repo.findById(m, id))!;
      const geometryChanged = dto.geometry !== undefined;
      const row: RelicWrite = {
        code: dto.code !== undefined ? dto.code : before.code,
        name: dto.name?.trim() ?? before.name,
        protectionLevel: dto.protectionLevel ?? before.protectionLevel,
        period: dto.period !== undefined ? text(dto.period, 100) : before.period,
        geometry: dto.geometry ?? before.geometry,
        protectionRange: dto.protectionRange !== undefined ? dto.protectionRange : before.protectionRange,
        controlZone: dto.controlZone !== undefined ? dto.controlZone : before.controlZone,
        // a moved relic takes the division of where it now lies unless one is given
        divisionCode: dto.divisionCode ?? (geometryChanged ? null : before.divisionCode),
        description: dto.description !== undefined ? text(dto.description, 4000) : before.description,
      };
      await this.assertWritable(m, p, [row], id, [0]);
      if (!(await this.repo.updateOne(m, id, ifMatch, row, this.clock.now()))) throw new AppException('conflict_stale', 412);
      const after = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, { action: 'relic.update', entityType: 'relic', entityId: id, before, after });
      return after;
    });
    await this.invalidateLayer('relics');
    return relic;
  }

  // ── import target `relics` ───────────────────────────────────────────────────────────────────────
  async assertCanImport(p: Principal, options: Record<string, unknown>): Promise<void> {
    if (!hasRole(p, ...RELIC_WRITERS)) throw forbiddenRole();
    const division = options.divisionCode;
    if (division !== undefined && division !== null && !(typeof division === 'string' && /^[0-9]{6}$/.test(division))) {
      throw new AppException('relic_division_invalid', 400, { code: String(division) });
    }
    if (typeof division === 'string' && !(await this.scope.coversDivision(p, ['admin', 'assessor', 'reviewer', 'authority_officer'], division)) && !p.roles.includes('admin')) {
      throw new AppException('relic_out_of_scope', 403);
    }
  }

  async importRelics(m: EntityManager, actor: Actor, features: ImportFeature[], options: Record<string, unknown>): Promise<{ written: number; ids: string[] }> {
    const p = actor.principal!;
    await this.assertCanImport(p, options);
    const division = typeof options.divisionCode === 'string' ? options.divisionCode : null;
    const noName: number[] = [];
    const badLevel: number[] = [];
    const rows: RelicWrite[] = features.map((f) => {
      const pr = f.properties;
      const name = text(pr.name ?? pr.名称 ?? pr.NAME ?? pr.Name, 200);
      if (!name) noName.push(f.index);
      const level = parseProtectionLevel(pr.level ?? pr.protectionLevel ?? pr.保护级别 ?? pr.级别);
      if (!level) badLevel.push(f.index);
      return {
        code: text(pr.code ?? pr.编号 ?? pr.CODE, 60), name: name ?? '', protectionLevel: level ?? 'unlisted',
        period: text(pr.period ?? pr.时代 ?? pr.年代, 100), geometry: f.geometry as GeoJsonGeometry,
        protectionRange: null, controlZone: null, divisionCode: division, description: text(pr.description ?? pr.描述 ?? pr.简介, 4000),
      };
    });
    if (noName.length) throw new AppException('relic_name_missing', 422, { indexes: noName.slice(0, 10).join(', ') }, { features: noName });
    if (badLevel.length) throw new AppException('relic_level_unknown', 422, { indexes: badLevel.slice(0, 10).join(', ') }, { features: badLevel });
    await this.assertWritable(m, p, rows, null, features.map((f) => f.index));
    const ids = await this.repo.insertMany(m, rows, this.clock.now());
    await this.audit.record(m, actor, {
      action: 'relic.import', entityType: 'relic_register', entityId: division ?? 'all',
      after: { target: 'relics', count: ids.length, ids },
    });
    return { written: ids.length, ids };
  }
}
