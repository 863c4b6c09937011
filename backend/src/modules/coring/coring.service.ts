import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { AppException, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { Principal } from '../auth/roles';
import { AssessmentsService } from '../assessments/assessments.service';
import { etagOf, evidencePredicate } from '../assessments/evidence-scope';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { parseBbox } from '../spatial/bbox';
import { ZonesService } from '../zones/zones.service';
import { CORE_RESULTS, CoreResult, CORE_STATUSES, gaussKrugerSrid, POSITIVE_RESULTS } from './core-result';
import { CorePageDto, CoreDto, CoreListQuery, CoreSummaryDto, GenerateGridDto, GridResultDto, MAX_GRID_POINTS, RecordCoreDto } from './coring.dto';
import { AssessmentRef, CoreRow, CoringRepository } from './coring.repository';
import { LayerCache } from '../layers/layer-cache.service';

registerMessages({
  core_not_found: { 'zh-CN': '勘探孔不存在', en: 'No such core' },
  grid_too_many_points: {
    'zh-CN': '按 {spacingM} 米间距将生成约 {points} 个勘探孔，超过单次上限 {max} 个；请加大间距或缩小范围',
    en: 'A {spacingM} m grid would create about {points} cores, more than the limit of {max} per request; use a wider spacing or a smaller polygon',
  },
  grid_empty_area: { 'zh-CN': '所选范围与开发区边界没有重叠，无法布孔', en: 'The polygon does not overlap the zone boundary; no cores can be placed' },
  core_cored_at_without_result: { 'zh-CN': '未填写勘探结果时不能填写钻探时间', en: 'coredAt needs a result' },
  cores_outside_zone: {
    'zh-CN': '有 {count} 个勘探孔距开发区边界超过 {distanceM} 米（第 {indexes} 个要素），请检查坐标系；未导入任何数据',
    en: '{count} cores lie more than {distanceM} m outside the zone boundary (features {indexes}); check the coordinate system. Nothing was imported',
  },
  cores_bad_value: {
    'zh-CN': '第 {index} 个要素的“{field}”无法识别：{value}（结果可填 阴性、文化层、墓葬、遗迹、扰乱）',
    en: 'Feature {index}: the {field} "{value}" is not recognised (results: negative, cultural_layer, tomb, feature, disturbed)',
  },
});

/** The map layer of cores (vector tiles cached by LayerCache). */
export const CORING_LAYER = 'coring-points';
/** A file in the wrong CRS lands kilometres away; cores this far outside the zone refuse an import. */
export const IMPORT_NEAR_ZONE_M = 1000;

@Injectable()
export class CoringService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: CoringRepository,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    private readonly zones: ZonesService,
    private readonly clock: Clock,
    private readonly assessments: AssessmentsService,
    private readonly layerCache: LayerCache,
  ) {}

  /** SQL predicate on a zones alias: the zones whose cores the principal may read. */
  readScope(p: Principal, zoneAlias: string, params: SqlParams): string {
    return evidencePredicate(this.scope, p, `${zoneAlias}.division_code`, params);
  }

  /** The assessment, when it exists and the principal may read its cores (else 404: outside looks absent). */
  private async readableAssessment(m: EntityManager, p: Principal, id: string): Promise<AssessmentRef> {
    const a = await this.repo.findAssessment(m, id);
    if (!a) throw notFound('assessment_not_found');
    const params = new SqlParams([a.divisionCode]);
    const pred = evidencePredicate(this.scope, p, '$1', params);
    const ok: Array<{ ok: boolean }> = await m.query(`SELECT (${pred}) AS ok`, params.values);
    if (ok[0]?.ok !== true) throw notFound('assessment_not_found');
    return a;
  }

  /**
   * Writers are assessors on the assessment's team while it is surveying, coring or zoning (the
   * assessments module's rule, shared by every evidence writer): 403 otherwise, 404 when not even readable.
   * Locks the assessment row, so writes are ordered against its state changes.
   */
  async assertCanWrite(m: EntityManager, p: Principal, assessmentId: string): Promise<AssessmentRef> {
    await this.assessments.assertCanRecord(m, p, assessmentId);
    const a = await this.repo.findAssessment(m, assessmentId);
    if (!a) throw notFound('assessment_not_found');
    return a;
  }

  async generateGrid(actor: Actor, assessmentId: string, dto: GenerateGridDto): Promise<GridResultDto> {
    const p = actor.principal!;
    const result = await this.db.transaction(async (m) => {
      const a = await this.assertCanWrite(m, p, assessmentId);
      await this.repo.disableJit(m);
      if (dto.polygon) await this.zones.assertValidGeometry(m, dto.polygon);
      const srid = gaussKrugerSrid(a.centroidLon);
      const polygon = dto.polygon ?? null;
      const frame = await this.repo.gridFrame(m, a.zoneId, polygon, srid);
      if (frame.areaM2 <= 0) throw new AppException('grid_empty_area', 422);
      // cheap refusal first: the area divided by the cell is the count to within the edge rows
      const estimate = Math.round(frame.areaM2 / (dto.spacingM * dto.spacingM));
      if (estimate > MAX_GRID_POINTS * 1.1) {
        throw new AppException('grid_too_many_points', 422, { spacingM: dto.spacingM, points: estimate, max: MAX_GRID_POINTS }, { estimated: estimate, max: MAX_GRID_POINTS });
      }
      await this.repo.lockZoneCodes(m, a.zoneId);
      const removed = dto.replacePlanned ? await this.repo.deletePlannedInside(m, a.id, a.zoneId, polygon, srid) : 0;
      const { candidates, created } = await this.repo.insertGrid(m, {
        assessmentId: a.id, zoneId: a.zoneId, zoneCode: a.zoneCode, polygon, srid, spacingM: dto.spacingM, pattern: dto.pattern,
        xmin: frame.xmin, ymin: frame.ymin, xmax: frame.xmax, ymax: frame.ymax, maxPoints: MAX_GRID_POINTS,
      });
      if (candidates > MAX_GRID_POINTS) {
        throw new AppException('grid_too_many_points', 422, { spacingM: dto.spacingM, points: candidates, max: MAX_GRID_POINTS }, { points: candidates, max: MAX_GRID_POINTS });
      }
      const out: GridResultDto = { created, removed, spacingM: dto.spacingM, pattern: dto.pattern, epsg: srid };
      await this.audit.record(m, actor, {
        action: 'cores.grid', entityType: 'assessment', entityId: a.id,
        after: { ...out, polygon: dto.polygon ?? 'zone boundary' },
      });
      return out;
    });
    await this.invalidateTiles();
    return result;
  }

  /**
   * The fast path for many cores (import, bench, seed): one multi-row INSERT in the caller's transaction.
   * Cores without a code are numbered on from the zone's highest code.
   */
  async bulkInsert(m: EntityManager, assessmentId: string, rows: CoreRow[], opts: { recordedBy?: string | null; nearZoneM?: number | null } = {}): Promise<number> {
    const a = await this.repo.findAssessment(m, assessmentId);
    if (!a) throw notFound('assessment_not_found');
    if (rows.length === 0) return 0;
    await this.repo.lockZoneCodes(m, a.zoneId);
    await this.repo.disableJit(m);
    const res = await this.repo.bulkInsert(m, { assessmentId: a.id, zoneId: a.zoneId, zoneCode: a.zoneCode, srid: gaussKrugerSrid(a.centroidLon) }, rows, {
      recordedBy: opts.recordedBy ?? null, now: this.clock.now(), nearZoneM: opts.nearZoneM ?? null,
    });
    if (res.outsideCount > 0) {
      throw new AppException('cores_outside_zone', 422, {
        count: res.outsideCount, distanceM: opts.nearZoneM, indexes: res.outside.map((i) => i + 1).join(', ') + (res.outsideCount > res.outside.length ? ' …' : ''),
      }, { count: res.outsideCount, featureIndexes: res.outside });
    }
    return res.inserted;
  }

  /**
   * Makes cached coring-points tiles stale; called after the writing transaction commits. Imports commit in
   * the import service's transaction, which invalidates the target's `layers` itself.
   */
  async invalidateTiles(): Promise<void> {
    await this.layerCache.invalidate(CORING_LAYER);
  }

  async get(p: Principal, id: string): Promise<CoreDto> {
    const params = new SqlParams();
    const core = await this.repo.findCore(this.db.manager, id, this.readScope(p, 'z', params), params);
    if (!core) throw notFound('core_not_found');
    return core;
  }

  async list(p: Principal, q: CoreListQuery): Promise<CorePageDto> {
    const params = new SqlParams();
    const scopeSql = this.readScope(p, 'z', params);
    const limit = q.limit ?? 1000;
    const offset = q.offset ?? 0;
    const { items, total } = await this.repo.list(this.db.manager, scopeSql, params, {
      assessmentId: q.assessmentId, bbox: parseBbox(q.bbox), result: q.result, status: q.status,
    }, limit, offset);
    return { items, total, limit, offset };
  }

  async summary(p: Principal, assessmentId: string): Promise<CoreSummaryDto> {
    const a = await this.readableAssessment(this.db.manager, p, assessmentId);
    const rows = await this.repo.summary(this.db.manager, a.id);
    const byStatus = Object.fromEntries(CORE_STATUSES.map((s) => [s, 0])) as CoreSummaryDto['byStatus'];
    const byResult = Object.fromEntries(CORE_RESULTS.map((r) => [r, 0])) as CoreSummaryDto['byResult'];
    for (const r of rows) {
      byStatus[r.status] += r.n;
      if (r.result) byResult[r.result] += r.n;
    }
    return {
      assessmentId: a.id,
      total: rows.reduce((s, r) => s + r.n, 0),
      byStatus,
      byResult,
      positive: POSITIVE_RESULTS.reduce((s, r) => s + byResult[r], 0),
    };
  }

  /** Records (or corrects) a core's result. `expectedVersion` comes from If-Match; a stale one is a 412. */
  async record(actor: Actor, id: string, expectedVersion: number | null, dto: RecordCoreDto): Promise<CoreDto> {
    const p = actor.principal!;
    if (expectedVersion === null) throw new AppException('precondition_required', 428);
    const after = await this.db.transaction(async (m) => {
      const params = new SqlParams();
      const before = await this.repo.findCore(m, id, this.readScope(p, 'z', params), params, true);
      if (!before) throw notFound('core_not_found');
      await this.assertCanWrite(m, p, before.assessmentId);
      if (Number.isNaN(expectedVersion) || expectedVersion !== before.rowVersion) {
        throw new AppException('conflict_stale', 412, {}, { currentVersion: before.rowVersion }, { etag: etagOf(before.rowVersion) });
      }
      const result: CoreResult | null = dto.result === undefined ? before.result : dto.result;
      if (result === null && dto.coredAt !== undefined) throw new AppException('core_cored_at_without_result', 422);
      const now = this.clock.now();
      const coredAt = result === null ? null : dto.coredAt ?? before.coredAt ?? now;
      const ok = await this.repo.recordResult(m, id, before.rowVersion, {
        depthM: dto.depthM === undefined ? before.depthM : dto.depthM,
        result,
        stratigraphy: dto.stratigraphy === undefined ? before.stratigraphy : dto.stratigraphy,
        coredAt,
        recordedBy: result === null ? null : p.userId,
        now,
      });
      if (!ok) throw new AppException('conflict_stale', 412);
      const updated = (await this.repo.findCore(m, id))!;
      await this.audit.record(m, actor, {
        action: 'core.record', entityType: 'coring_point', entityId: id,
        before: pickRecord(before), after: pickRecord(updated),
      });
      return updated;
    });
    await this.invalidateTiles();
    return after;
  }
}

function pickRecord(c: CoreDto): Record<string, unknown> {
  return { code: c.code, status: c.status, depthM: c.depthM, result: c.result, stratigraphy: c.stratigraphy, coredAt: c.coredAt, rowVersion: c.rowVersion };
}
