import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { shanghaiYear, toIsoOffset } from '../../infra/clock/time';
import { AppConfig, APP_CONFIG } from '../../infra/config/config';
import { AppException, forbiddenRole, notFound } from '../../infra/http/app-exception';
import { Language } from '../../infra/i18n/language';
import { registerMessages } from '../../infra/i18n/messages';
import { QUEUES, ZoningJobPayloads } from '../../infra/queue/jobs';
import { StoragePort } from '../../infra/storage/storage.port';
import { Actor, AuditService } from '../audit/audit.service';
import { Principal, hasRole } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { nextDocumentNumber } from '../documents/document-number.repository';
import { gkCoordinateTables } from '../documents/gk-coordinates';
import { CATEGORY_ZH, DEFAULT_RELEASE_CONDITIONS, renderOpinionPdf } from '../documents/opinion-pdf.renderer';
import type { MultiPolygonGeometry, PolygonGeometry } from '../documents/pdf-kit';
import { LayerCache } from '../layers/layer-cache.service';
import { GeoJsonGeometry } from '../spatial/geojson';
import { allowedActions, checkTransition, compareAndSetState } from '../workflow/transitions';
import {
  AddAreaDto, CommentDto, CreateCommentDto, CreatePlanDto, EvidenceRefDto, PlanDetailDto, PlanDiffDto, PlanListQuery, PlanSummaryDto,
  SplitResultDto, UpdateAreaDto, ValidationJobDto, ValidationResultDto,
} from './zoning.dto';
import { PlanRow, ZoningRepository, mapSummary } from './zoning.repository';
import { ZoningCategory, ZoningPlanAction, ZONING_PLAN_TRANSITIONS } from './zoning-plan.transitions';
import { RawProblem, missingJustifications, presentProblems } from './zoning-problems';
import { ValidationOptions, ZoningValidationRepository } from './zoning-validation.repository';
import { ZoningVisibility } from './zoning-visibility';

registerMessages({
  zoning_plan_not_found: { 'zh-CN': '分区方案不存在', en: 'No such zoning plan' },
  zoning_area_not_found: { 'zh-CN': '分区不存在', en: 'No such area in this plan' },
  zoning_zone_not_industrial: {
    'zh-CN': '只有工业类开发区进行区域评估和分区；农业类、文旅类开发区的项目单独申请考古调查勘探',
    en: 'Only industrial zones are assessed and zoned; projects in agricultural and cultural-tourism zones apply individually',
  },
  zoning_based_on_invalid: { 'zh-CN': '作为基础的方案必须属于同一开发区', en: 'The plan to start from must belong to the same zone' },
  zoning_no_issued_plan: { 'zh-CN': '该开发区还没有已出具的分区方案', en: 'The zone has no issued zoning plan yet' },
  zoning_not_editable: {
    'zh-CN': '方案当前状态为“{state}”，只有草稿可以修改',
    en: 'The plan is "{state}"; only drafts can be edited',
  },
  zoning_not_on_team: { 'zh-CN': '您不在该开发区评估工作组中，不能修改其分区方案', en: 'You are not on this zone’s assessment team' },
  zoning_not_polygon: { 'zh-CN': '分区必须是面（Polygon），且不能为空', en: 'An area must be a non-empty Polygon' },
  zoning_evidence_not_found: { 'zh-CN': '所引用的证据不存在：{refs}', en: 'Evidence not found: {refs}' },
  zoning_split_missed: { 'zh-CN': '分割线没有把该分区分成两部分以上', en: 'The line does not cut the area into two or more pieces' },
  zoning_split_invalid_area: { 'zh-CN': '图形无效的分区不能分割，请先修正', en: 'An invalid area cannot be split; fix it first' },
  zoning_validation_failed: {
    'zh-CN': '方案校验未通过：{errors} 个错误，必须先修正',
    en: 'The plan has {errors} validation error(s) that must be fixed first',
  },
  zoning_justification_required: {
    'zh-CN': '以下 {count} 个警告需要填写说明理由：{keys}',
    en: '{count} warning(s) need a written justification: {keys}',
  },
  zoning_validation_job_not_found: { 'zh-CN': '校验任务不存在或已过期', en: 'No such validation job (or it has expired)' },
  zoning_opinion_not_issued: { 'zh-CN': '该方案尚未出具意见书', en: 'No opinion has been issued for this plan' },
  zoning_no_diff_base: { 'zh-CN': '没有可比较的方案（既无基础方案也无已出具方案）', en: 'Nothing to compare with: no base plan and no issued plan' },
  zoning_import_no_polygon: {
    'zh-CN': '第 {numbers} 个要素没有可用的面（吸附到存储精度后为空），请取消选择',
    en: 'Feature(s) {numbers} hold no usable polygon (empty on the storage grid); leave them out',
  },
});

export const DEFAULT_TOLERANCE_M2 = 0.5;
export const DEFAULT_SLIVER_M2 = 10;
/** Plans with more areas than this validate as a background job (202 + status). */
export const ASYNC_VALIDATION_AREAS = 300;
const EMPTY_PARAMS: unknown[] = [];

type ActionBody = { reason?: string; justifications?: Record<string, string> };

@Injectable()
export class ZoningService {
  private readonly visibility: ZoningVisibility;

  constructor(
    private readonly db: DataSource,
    private readonly repo: ZoningRepository,
    private readonly validation: ZoningValidationRepository,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    private readonly storage: StoragePort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    // optional so the seed can build the service without Redis; Nest injects both in the API
    @Optional() private readonly layerCache?: LayerCache,
    @Optional() @InjectQueue(QUEUES.zoning) private readonly queue?: Queue,
  ) {
    this.visibility = new ZoningVisibility(scope);
  }

  // ---------------------------------------------------------------- reads

  private async plan(m: EntityManager, p: Principal, id: string, forUpdate = false): Promise<PlanRow> {
    const params = new SqlParams();
    const read = this.visibility.readable(p, 'zp', 'z', params);
    const detail = this.visibility.detailed(p, 'zp', 'z', params);
    const row = await this.repo.findPlan(m, id, read, detail, params, forUpdate);
    // outside the caller's sight looks the same as absent
    if (!row) throw notFound('zoning_plan_not_found');
    return row;
  }

  private async detail(m: EntityManager, row: PlanRow): Promise<PlanDetailDto> {
    const [areas, totals] = await Promise.all([this.repo.areas(m, row.id, row.detailed), this.repo.totals(m, row.id)]);
    return {
      ...mapSummary(row),
      basedOn: row.based_on,
      assessmentId: row.assessment_id,
      rowVersion: row.row_version,
      approvedAt: toIsoOffset(row.approved_at),
      returnedAt: toIsoOffset(row.returned_at),
      returnReason: row.return_reason,
      supersededAt: toIsoOffset(row.superseded_at),
      justifications: row.detailed ? row.justifications : null,
      opinion: row.document_number && row.opinion_sha256
        ? { documentNumber: row.document_number, sha256: row.opinion_sha256, bytes: row.opinion_bytes ?? 0, url: `/api/zoning-plans/${row.id}/opinion.pdf` }
        : null,
      allowedActions: allowedActions(ZONING_PLAN_TRANSITIONS, row.state),
      areas,
      totals,
    };
  }

  async list(p: Principal, q: PlanListQuery): Promise<PlanSummaryDto[]> {
    const params = new SqlParams();
    const rows = await this.repo.listPlans(this.db.manager, this.visibility.readable(p, 'zp', 'z', params), params, q);
    return rows.map(mapSummary);
  }

  async get(p: Principal, id: string): Promise<PlanDetailDto> {
    const m = this.db.manager;
    return this.detail(m, await this.plan(m, p, id));
  }

  /** For the history route and other modules: throws 404 unless the principal may read the plan. */
  async assertCanRead(p: Principal, id: string): Promise<void> {
    await this.plan(this.db.manager, p, id);
  }

  // ---------------------------------------------------------------- drafts

  private async assertWriter(m: EntityManager, p: Principal, zoneId: string): Promise<void> {
    if (!hasRole(p, 'assessor')) throw forbiddenRole();
    const team = await this.repo.openTeam(m, zoneId);
    if (team.length > 0 && !team.includes(p.userId)) throw new AppException('zoning_not_on_team', 403);
  }

  private invalidateLayer(): void {
    void this.layerCache?.invalidate('zoning-areas');
  }

  async create(actor: Actor, dto: CreatePlanDto): Promise<PlanDetailDto> {
    const p = actor.principal!;
    const result = await this.db.transaction(async (m) => {
      await this.assertZoneVisible(m, p, dto.zoneId);
      const zone = await this.repo.zoneForNewPlan(m, dto.zoneId);
      if (!zone) throw notFound('zone_not_found');
      if (zone.category !== 'industrial') throw new AppException('zoning_zone_not_industrial', 409);
      await this.assertWriter(m, p, dto.zoneId);
      let basedOn: string | null = null;
      if (dto.basedOn) {
        const base = await this.plan(m, p, dto.basedOn);
        if (base.zone_id !== dto.zoneId) throw new AppException('zoning_based_on_invalid', 422);
        basedOn = base.id;
      } else if (dto.fromIssued) {
        basedOn = await this.repo.findIssuedPlanIdForZone(m, dto.zoneId);
        if (!basedOn) throw new AppException('zoning_no_issued_plan', 409);
      }
      const id = await this.repo.insertPlan(m, { zoneId: dto.zoneId, basedOn, assessmentId: zone.assessment_id, createdBy: p.userId });
      if (basedOn) await this.repo.copyAreas(m, basedOn, id);
      const row = await this.plan(m, p, id);
      await this.audit.record(m, actor, {
        action: 'zoning_plan.create', entityType: 'zoning_plan', entityId: id,
        after: { zoneId: dto.zoneId, version: row.version, basedOn, areas: await this.repo.areaCount(m, id) },
      });
      return this.detail(m, row);
    });
    return result;
  }

  private async assertZoneVisible(m: EntityManager, p: Principal, zoneId: string): Promise<void> {
    const params = new SqlParams([zoneId]);
    const rows: unknown[] = await m.query(`SELECT 1 FROM zones z WHERE z.id = $1 AND ${this.scope.zonePredicate(p, 'z', params)}`, params.values);
    if (!rows.length) throw notFound('zone_not_found');
  }

  /**
   * Every area edit: the plan must be readable, the caller a writer, the plan a draft, and If-Match the
   * current row revision — bumped in the same statement (compare-and-set), so two editors never both win.
   */
  private async editDraft<T>(actor: Actor, planId: string, ifMatch: number | null, action: string, fn: (m: EntityManager, plan: PlanRow) => Promise<{ result: T; audit: unknown }>): Promise<T> {
    const p = actor.principal!;
    const out = await this.db.transaction(async (m) => {
      const plan = await this.plan(m, p, planId);
      await this.assertWriter(m, p, plan.zone_id);
      if (plan.state !== 'draft') throw new AppException('zoning_not_editable', 409, { state: plan.state }, { state: plan.state, allowedActions: allowedActions(ZONING_PLAN_TRANSITIONS, plan.state) });
      if (ifMatch === null) throw new AppException('precondition_required', 428);
      const cas = await this.repo.bumpDraftRevision(m, planId, ifMatch);
      if (!cas) throw notFound('zoning_plan_not_found');
      if (!cas.ok) {
        if (cas.state !== 'draft') throw new AppException('zoning_not_editable', 409, { state: cas.state });
        throw new AppException('conflict_stale', 412, {}, { currentETag: `"${cas.rowVersion}"` }, { ETag: `"${cas.rowVersion}"` });
      }
      const { result, audit } = await fn(m, plan);
      await this.audit.record(m, actor, { action, entityType: 'zoning_plan', entityId: planId, after: audit });
      return result;
    });
    this.invalidateLayer();
    return out;
  }

  private async assertPolygon(m: EntityManager, g: GeoJsonGeometry): Promise<void> {
    const r = await this.repo.inspectPolygon(m, g);
    if (r.empty || r.type !== 'POLYGON') throw new AppException('zoning_not_polygon', 422);
  }

  private async assertEvidence(m: EntityManager, refs: EvidenceRefDto[] | undefined): Promise<void> {
    if (!refs?.length) return;
    const missing = await this.repo.missingEvidence(m, refs);
    if (missing.length) throw new AppException('zoning_evidence_not_found', 422, { refs: missing.map((r) => `${r.type}:${r.id}`) }, missing);
  }

  async addArea(actor: Actor, planId: string, ifMatch: number | null, dto: AddAreaDto): Promise<PlanDetailDto> {
    return this.editDraft(actor, planId, ifMatch, 'zoning_plan.area_add', async (m) => {
      await this.assertPolygon(m, dto.geometry);
      await this.assertEvidence(m, dto.evidence);
      const id = await this.repo.insertArea(m, planId, { category: dto.category, geometry: dto.geometry, rationale: dto.rationale ?? null, label: dto.label ?? null });
      if (dto.evidence?.length) await this.repo.replaceEvidence(m, id, dto.evidence);
      const area = (await this.repo.areas(m, planId, true, [id]))[0]!;
      return { result: await this.detail(m, (await this.plan(m, actor.principal!, planId))), audit: { areaId: id, category: area.category, areaM2: area.areaM2, evidence: dto.evidence ?? [] } };
    });
  }

  /** The `zoning-areas` import target's early check (before the file's features are read): a writer on a draft. */
  async assertMayImport(p: Principal, planId: string): Promise<void> {
    const m = this.db.manager;
    const plan = await this.plan(m, p, planId);
    await this.assertWriter(m, p, plan.zone_id);
    if (plan.state !== 'draft') throw new AppException('zoning_not_editable', 409, { state: plan.state }, { state: plan.state, allowedActions: allowedActions(ZONING_PLAN_TRANSITIONS, plan.state) });
  }

  /**
   * Imported areas, inside the import's transaction: the same checks as an edit (draft, writer, and the row
   * revision when the caller names the one it saw), one INSERT for all, the revision bumped, one audit event.
   */
  async importAreas(
    m: EntityManager,
    actor: Actor,
    planId: string,
    rowVersion: number | null,
    items: Array<{ index: number; category: ZoningCategory; geometry: GeoJsonGeometry; rationale: string | null; label: string | null }>,
  ): Promise<string[]> {
    const p = actor.principal!;
    const plan = await this.plan(m, p, planId, true);
    await this.assertWriter(m, p, plan.zone_id);
    if (plan.state !== 'draft') throw new AppException('zoning_not_editable', 409, { state: plan.state }, { state: plan.state, allowedActions: allowedActions(ZONING_PLAN_TRANSITIONS, plan.state) });
    const cas = await this.repo.bumpDraftRevision(m, planId, rowVersion ?? plan.row_version);
    if (!cas) throw notFound('zoning_plan_not_found');
    if (!cas.ok) throw new AppException('conflict_stale', 412, {}, { currentETag: `"${cas.rowVersion}"` });
    const rows = await this.repo.insertImportedAreas(m, planId, items);
    const written = new Set(rows.map((r) => r.index));
    const none = items.filter((i) => !written.has(i.index)).map((i) => i.index);
    if (none.length) throw new AppException('zoning_import_no_polygon', 422, { numbers: none.slice(0, 20).map((n) => n + 1).join(', ') }, { featureIndexes: none });
    await this.audit.record(m, actor, {
      action: 'zoning_plan.area_import', entityType: 'zoning_plan', entityId: planId,
      after: { areas: rows.map((r) => ({ areaId: r.id, category: r.category, featureIndex: r.index })) },
    });
    return rows.map((r) => r.id);
  }

  async updateArea(actor: Actor, planId: string, areaId: string, ifMatch: number | null, dto: UpdateAreaDto): Promise<PlanDetailDto> {
    return this.editDraft(actor, planId, ifMatch, 'zoning_plan.area_update', async (m) => {
      const before = (await this.repo.areas(m, planId, true, [areaId]))[0];
      if (!before) throw notFound('zoning_area_not_found');
      if (dto.geometry) await this.assertPolygon(m, dto.geometry);
      await this.assertEvidence(m, dto.evidence);
      await this.repo.updateArea(m, planId, areaId, dto);
      if (dto.evidence) await this.repo.replaceEvidence(m, areaId, dto.evidence);
      const after = (await this.repo.areas(m, planId, true, [areaId]))[0]!;
      return {
        result: await this.detail(m, await this.plan(m, actor.principal!, planId)),
        audit: { areaId, before: { category: before.category, areaM2: before.areaM2 }, after: { category: after.category, areaM2: after.areaM2 }, reshaped: !!dto.geometry },
      };
    });
  }

  async deleteArea(actor: Actor, planId: string, areaId: string, ifMatch: number | null): Promise<PlanDetailDto> {
    return this.editDraft(actor, planId, ifMatch, 'zoning_plan.area_delete', async (m) => {
      const before = (await this.repo.areas(m, planId, true, [areaId]))[0];
      if (!before || !(await this.repo.deleteArea(m, planId, areaId))) throw notFound('zoning_area_not_found');
      return { result: await this.detail(m, await this.plan(m, actor.principal!, planId)), audit: { areaId, category: before.category, areaM2: before.areaM2 } };
    });
  }

  async splitArea(actor: Actor, planId: string, areaId: string, ifMatch: number | null, line: GeoJsonGeometry): Promise<SplitResultDto> {
    return this.editDraft(actor, planId, ifMatch, 'zoning_plan.area_split', async (m) => {
      const before = (await this.repo.areas(m, planId, true, [areaId]))[0];
      if (!before) throw notFound('zoning_area_not_found');
      const ids = await this.repo.splitArea(m, planId, areaId, line);
      if (ids === null) throw new AppException('zoning_split_invalid_area', 422);
      if (ids.length < 2) throw new AppException('zoning_split_missed', 422);
      const pieces = await this.repo.areas(m, planId, true, ids);
      return {
        result: { pieces, plan: await this.detail(m, await this.plan(m, actor.principal!, planId)) },
        audit: { areaId, pieces: pieces.map((x) => ({ id: x.id, areaM2: x.areaM2 })) },
      };
    });
  }

  // ---------------------------------------------------------------- validation

  private options(q: { toleranceM2?: number; sliverM2?: number }): ValidationOptions {
    return { toleranceM2: q.toleranceM2 ?? DEFAULT_TOLERANCE_M2, sliverM2: q.sliverM2 ?? DEFAULT_SLIVER_M2 };
  }

  /** Runs the PostGIS checks (used by the API, the submit action and the background job). */
  runValidation(m: EntityManager, planId: string, zoneId: string, o: ValidationOptions, progress?: (pct: number) => Promise<void>): Promise<RawProblem[]> {
    return this.validation.validate(m, planId, zoneId, o, progress);
  }

  private assertValidator(p: Principal): void {
    if (!hasRole(p, 'admin', 'assessor', 'reviewer')) throw forbiddenRole();
  }

  /** Small plans answer at once; large ones become a job (`{ jobId, status }`, HTTP 202). */
  async validate(p: Principal, planId: string, q: { toleranceM2?: number; sliverM2?: number; async?: boolean }, lang: Language): Promise<{ sync: ValidationResultDto } | { job: ValidationJobDto }> {
    this.assertValidator(p);
    const m = this.db.manager;
    const plan = await this.plan(m, p, planId);
    const o = this.options(q);
    const count = await this.repo.areaCount(m, planId);
    if (this.queue && (q.async || count > ASYNC_VALIDATION_AREAS)) {
      const data: ZoningJobPayloads['zoning.validate'] = { planId, zoneId: plan.zone_id, rowVersion: plan.row_version, ...o };
      // deterministic id: the same revision and thresholds share one job (idempotent re-asks)
      const jobId = `zv_${planId}_${plan.row_version}_${o.toleranceM2}_${o.sliverM2}`.replace(/[^A-Za-z0-9_-]/g, '-');
      const job = await this.queue.add('zoning.validate', data, { jobId, attempts: 2, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } });
      return { job: { jobId: job.id!, status: (await job.getState()) as string } };
    }
    const raw = await this.runValidation(m, planId, plan.zone_id, o);
    return { sync: { problems: presentProblems(raw, lang), ...o } };
  }

  async validationJob(p: Principal, planId: string, jobId: string, lang: Language): Promise<ValidationJobDto> {
    this.assertValidator(p);
    await this.plan(this.db.manager, p, planId);
    const job = this.queue ? await this.queue.getJob(jobId) : undefined;
    if (!job || (job.data as { planId?: string }).planId !== planId) throw notFound('zoning_validation_job_not_found');
    const status = await job.getState();
    const data = job.data as ZoningJobPayloads['zoning.validate'];
    const out: ValidationJobDto = { jobId, status, progress: typeof job.progress === 'number' ? job.progress : 0 };
    if (status === 'completed') {
      out.result = { problems: presentProblems(job.returnvalue as RawProblem[], lang), toleranceM2: data.toleranceM2, sliverM2: data.sliverM2 };
      out.progress = 100;
    }
    if (status === 'failed') out.error = job.failedReason;
    return out;
  }

  // ---------------------------------------------------------------- workflow

  async act(actor: Actor, planId: string, action: ZoningPlanAction, body: ActionBody, lang: Language): Promise<PlanDetailDto> {
    const p = actor.principal!;
    const result = await this.db.transaction(async (m) => {
      const plan = await this.plan(m, p, planId, true);
      const rule = checkTransition(ZONING_PLAN_TRANSITIONS, action, plan.state, p);
      const now = this.clock.now();
      const cas = (extraSet: string, extraParams: unknown[]) =>
        compareAndSetState(m, {
          table: 'zoning_plans', id: planId, from: plan.state, to: rule.to, action, transitions: ZONING_PLAN_TRANSITIONS,
          extraSet: `row_version = row_version + 1${extraSet ? `, ${extraSet}` : ''}`, extraParams,
        });
      let auditAfter: Record<string, unknown> = { state: rule.to };
      switch (action) {
        case 'submit': {
          await this.assertWriter(m, p, plan.zone_id);
          const problems = presentProblems(await this.runValidation(m, planId, plan.zone_id, this.options({})), lang);
          const errors = problems.filter((x) => x.severity === 'error');
          if (errors.length) throw new AppException('zoning_validation_failed', 422, { errors: errors.length }, { problems });
          const given = body.justifications ?? {};
          const missing = missingJustifications(problems, given);
          if (missing.length) throw new AppException('zoning_justification_required', 422, { count: missing.length, keys: missing }, { missing, problems });
          // store exactly the justifications of this submission's warnings
          const stored = Object.fromEntries(problems.filter((x) => x.severity === 'warning').map((x) => [x.key, given[x.key]!.trim()]));
          await cas(`submitted_at = $4, submitted_by = $5, justifications = $6::jsonb`, [now, p.userId, JSON.stringify(stored)]);
          auditAfter = { ...auditAfter, warnings: problems.length, justifications: stored };
          break;
        }
        case 'approve':
          await cas(`approved_at = $4, approved_by = $5`, [now, p.userId]);
          break;
        case 'return': {
          const reason = body.reason?.trim();
          if (!reason) throw new AppException('validation_failed', 400, {}, [{ field: 'reason', constraint: 'isNotEmpty', fallback: 'reason must not be empty' }]);
          await cas(`returned_at = $4, returned_by = $5, return_reason = $6`, [now, p.userId, reason]);
          auditAfter = { ...auditAfter, reason };
          break;
        }
        case 'revise':
          await this.assertWriter(m, p, plan.zone_id);
          await cas('', EMPTY_PARAMS);
          break;
        case 'issue':
          auditAfter = { ...auditAfter, ...(await this.issue(m, actor, plan, now, cas)) };
          break;
      }
      await this.audit.record(m, actor, {
        action: `zoning_plan.${action}`, entityType: 'zoning_plan', entityId: planId, reason: body.reason ?? null,
        before: { state: plan.state }, after: auditAfter,
      });
      return this.detail(m, await this.plan(m, p, planId));
    });
    if (action === 'issue') this.invalidateLayer();
    return result;
  }

  /**
   * Issuing, in the caller's transaction: the document number first (its counter row lock serialises
   * issuers before anyone takes the audit chain lock, so concurrent issues queue instead of deadlocking),
   * then the previous issued plan is superseded, the PDF rendered and stored, and the plan set to issued.
   */
  private async issue(m: EntityManager, actor: Actor, plan: PlanRow, now: Date, cas: (set: string, params: unknown[]) => Promise<void>): Promise<Record<string, unknown>> {
    const p = actor.principal!;
    const { number } = await nextDocumentNumber(m, this.config.opinionNumberPrefix, shanghaiYear(now));
    const previous = await this.repo.supersedeIssued(m, plan.zone_id, plan.id, now);
    const [zone] = (await m.query(
      `SELECT z.name, z.code, z.category, d.name AS division_name, o.name AS committee_name, ST_AsGeoJSON(z.boundary, 9, 0) AS boundary
         FROM zones z JOIN divisions d ON d.code = z.division_code LEFT JOIN organizations o ON o.id = z.committee_org_id WHERE z.id = $1`,
      [plan.zone_id],
    )) as Array<{ name: string; code: string; category: string; division_name: string; committee_name: string | null; boundary: string }>;
    const areas = await this.repo.areas(m, plan.id, false);
    const counters: Record<string, number> = {};
    const labelled = areas.map((a) => {
      counters[a.category] = (counters[a.category] ?? 0) + 1;
      return { ...a, label: a.label || `${CATEGORY_ZH[a.category]}${counters[a.category]}` };
    });
    const gkTables = await gkCoordinateTables(m, labelled.filter((a) => a.category !== 'release').map((a) => a.id));
    for (const t of gkTables) t.label = t.label || labelled.find((a) => a.id === t.areaId)?.label || '';
    const pdf = await renderOpinionPdf({
      documentNumber: number,
      issuedAt: now,
      bureauName: p.org.type === 'bureau' ? p.org.name : '山西省文物局',
      committeeName: zone!.committee_name,
      zone: { name: zone!.name, code: zone!.code, divisionName: zone!.division_name, category: zone!.category, boundary: JSON.parse(zone!.boundary) as MultiPolygonGeometry },
      plan: { version: plan.version },
      areas: labelled.map((a) => ({ id: a.id, label: a.label, category: a.category, geometry: a.geometry as unknown as PolygonGeometry, areaM2: a.areaM2 })),
      gkTables,
      releaseConditions: [...DEFAULT_RELEASE_CONDITIONS],
    });
    const stored = await this.storage.put('opinions', pdf, 'application/pdf');
    const fileId = await this.repo.insertStoredFile(m, {
      key: stored.key, sha256: stored.sha256, bytes: stored.bytes, contentType: 'application/pdf',
      originalName: `${number}.pdf`, createdBy: p.userId,
    });
    await cas(`issued_at = $4, issued_by = $5, document_number = $6, opinion_file_id = $7`, [now, p.userId, number, fileId]);
    if (previous) {
      await this.audit.record(m, actor, {
        action: 'zoning_plan.supersede', entityType: 'zoning_plan', entityId: previous,
        before: { state: 'issued' }, after: { state: 'superseded', supersededBy: plan.id },
      });
    }
    return { documentNumber: number, opinionFileId: fileId, sha256: stored.sha256, supersededPlanId: previous };
  }

  async opinion(p: Principal, planId: string): Promise<{ bytes: Buffer; sha256: string; documentNumber: string }> {
    const plan = await this.plan(this.db.manager, p, planId);
    if (!plan.opinion_storage_key || !plan.document_number || !plan.opinion_sha256) throw notFound('zoning_opinion_not_issued');
    return { bytes: await this.storage.get(plan.opinion_storage_key), sha256: plan.opinion_sha256.trim(), documentNumber: plan.document_number };
  }

  // ---------------------------------------------------------------- review

  private assertReviewParty(p: Principal): void {
    if (!hasRole(p, 'admin', 'assessor', 'reviewer')) throw forbiddenRole();
  }

  async diff(p: Principal, planId: string, against?: string): Promise<PlanDiffDto> {
    this.assertReviewParty(p);
    const m = this.db.manager;
    const plan = await this.plan(m, p, planId);
    let otherId = against ?? plan.based_on ?? (await this.repo.findIssuedPlanIdForZone(m, plan.zone_id));
    if (otherId === plan.id && !against) otherId = null;
    if (otherId) await this.plan(m, p, otherId);
    else if (!against) {
      // no base: everything in the plan is new
      return { planId, againstPlanId: null, changes: await this.repo.diff(m, planId, null) };
    }
    return { planId, againstPlanId: otherId, changes: await this.repo.diff(m, planId, otherId) };
  }

  async comments(p: Principal, planId: string): Promise<CommentDto[]> {
    this.assertReviewParty(p);
    await this.plan(this.db.manager, p, planId);
    return this.repo.comments(this.db.manager, planId);
  }

  async addComment(actor: Actor, planId: string, dto: CreateCommentDto): Promise<CommentDto> {
    const p = actor.principal!;
    this.assertReviewParty(p);
    return this.db.transaction(async (m) => {
      await this.plan(m, p, planId);
      const id = await this.repo.insertComment(m, planId, p.userId, dto.body, dto.location ?? null);
      await this.audit.record(m, actor, { action: 'zoning_plan.comment', entityType: 'zoning_plan', entityId: planId, after: { commentId: id, body: dto.body, location: dto.location ?? null } });
      return (await this.repo.comments(m, planId, id))[0]!;
    });
  }
}
