import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { AppException, forbiddenRole, forbiddenScope, notFound } from '../../infra/http/app-exception';
import { registerMessages, translate } from '../../infra/i18n/messages';
import { StoragePort } from '../../infra/storage/storage.port';
import { Actor, AuditService } from '../audit/audit.service';
import { canonicalJson } from '../audit/canonical';
import { hasRole, Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { contractorOrgIds } from '../parcels/parcel-visibility';
import { allowedActions, checkTransition, compareAndSetState } from '../workflow/transitions';
import {
  AuthorizeResumptionDto, CompleteMeasuresDto, CreateDiscoveryDto, DiscoveryAction, DiscoveryCreatedDto, DiscoveryDto, DiscoveryListQuery,
  DiscoveryPhotoDto, DiscoveryState, DiscoveryWarningDto, IssueOpinionDto, NotificationChannelsDto, UpdateNotificationChannelsDto, NotificationDto, RecordArrivalDto, RecordNationalAnswerDto, StopWorkOrderDto,
} from './discoveries.dto';
import { DiscoveriesRepository, PhotoInsert } from './discoveries.repository';
import { PhotoUpload } from './discovery-photos';
import { NotificationOutbox } from './notification-outbox';
import { CarvedArea, ZoningRepository } from '../zoning/zoning.repository';
import { DEFAULT_TOLERANCE_M2 } from '../zoning/zoning.service';
import { DiscoverySettings } from './discovery.settings';
import { DeadlineEngine } from './discovery-deadlines';
import { deadlineTimes, DISCOVERY_TRANSITIONS } from './discovery.transitions';

registerMessages({
  discovery_not_found: { 'zh-CN': '新发现报告不存在', en: 'No such discovery report' },
  discovery_project_not_found: { 'zh-CN': '施工项目不存在', en: 'No such construction project' },
  discovery_project_completed: { 'zh-CN': '项目已竣工，不能再报告新发现', en: 'The project is completed; no find can be reported on it' },
  idempotency_key_required: {
    'zh-CN': '请求头 Idempotency-Key 必须是客户端生成的 UUID',
    en: 'The Idempotency-Key header must be a client-generated UUID',
  },
  idempotency_key_reused: {
    'zh-CN': '该 Idempotency-Key 已用于另一份不同的报告，请为新报告生成新的键',
    en: 'This Idempotency-Key was already used for a different report; generate a new key for a new report',
  },
  discovery_arrival_in_future: { 'zh-CN': '到场时间不能晚于当前时间', en: 'The arrival time cannot be in the future' },
  discovery_national_answer_not_expected: {
    'zh-CN': '该报告的处理意见未标记为重要发现，无须登记国家文物局答复',
    en: 'The handling opinion did not mark this find as important; no national answer is expected',
  },
  discovery_national_answer_recorded: {
    'zh-CN': '已登记国家文物局答复（{reference}），不能重复登记',
    en: 'The national answer ({reference}) is already recorded; it cannot be recorded twice',
  },
  discovery_national_answer_in_future: { 'zh-CN': '答复时间不能晚于当前时间', en: 'The answer time cannot be in the future' },
  discovery_national_answer_before_report: {
    'zh-CN': '答复时间不能早于报告时间（{reportedAt}）',
    en: 'The answer time cannot be before the report was made ({reportedAt})',
  },
  stop_work_order_not_found: { 'zh-CN': '停工通知不存在', en: 'No such stop-work order' },
  notification_not_found: { 'zh-CN': '通知不存在', en: 'No such notification' },
  organization_not_found: { 'zh-CN': '单位不存在', en: 'No such organisation' },
  photo_far_from_report: {
    'zh-CN': '照片“{name}”的拍摄位置距报告位置约 {distance} 米，请核实照片是否拍自本处发现',
    en: 'The photo "{name}" was taken about {distance} m from the reported point; check that it shows this find',
  },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CreateResult {
  replayed: boolean;
  response: DiscoveryCreatedDto;
}

@Injectable()
export class DiscoveriesService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: DiscoveriesRepository,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: DiscoverySettings,
    private readonly deadlines: DeadlineEngine,
    private readonly storage: StoragePort,
    private readonly outbox: NotificationOutbox,
    private readonly zoning: ZoningRepository,
  ) {}

  /** The bytes go to storage (key + SHA-256); the rows that make them reachable are written in the caller's transaction. */
  private async storePhotos(m: EntityManager, reportId: string, step: 'report' | 'arrival', photos: PhotoUpload[], userId: string, now: Date): Promise<DiscoveryPhotoDto[]> {
    if (!photos.length) return [];
    const rows: PhotoInsert[] = [];
    for (const ph of photos) {
      const stored = await this.storage.put(`discovery-photos/${reportId}`, ph.bytes, ph.contentType);
      if (stored.sha256 !== ph.sha256) throw new Error(`storage changed the bytes of ${ph.filename ?? 'a photo'}`);
      rows.push({
        storageKey: stored.key, sha256: stored.sha256, bytes: stored.bytes, contentType: ph.contentType, originalName: ph.filename,
        takenAt: ph.exif.takenAt, lon: ph.exif.lon, lat: ph.exif.lat,
      });
    }
    return this.repo.insertPhotos(m, reportId, step, rows, userId, this.settings.photoFarM, now);
  }

  /** Photo checks the reporter should see (zh-CN; stored with the idempotent answer). */
  private photoWarnings(photos: DiscoveryPhotoDto[]): DiscoveryWarningDto[] {
    return photos.filter((ph) => ph.farFromReport).map((ph) => ({
      code: 'photo_far_from_report', photoId: ph.id, distanceM: ph.distanceM ?? undefined,
      message: translate('photo_far_from_report', 'zh-CN', { name: ph.originalName ?? ph.id, distance: ph.distanceM }),
    }));
  }

  private photoAudit(photos: DiscoveryPhotoDto[]): Array<Record<string, unknown>> {
    return photos.map((ph) => ({
      id: ph.id, fileId: ph.fileId, sha256: ph.sha256, bytes: ph.bytes, contentType: ph.contentType, originalName: ph.originalName,
      exifTakenAt: ph.exifTakenAt, distanceM: ph.distanceM, farFromReport: ph.farFromReport,
    }));
  }

  /** `GET /api/files/{id}` for a discovery photo: only when the caller may read the report (null otherwise). */
  async readPhoto(p: Principal, fileId: string): Promise<{ bytes: Buffer; sha256: string; contentType: string; originalName: string | null } | null> {
    const params = new SqlParams();
    const scopeSql = this.readable(p, params);
    if (scopeSql === 'FALSE') return null;
    const f = await this.repo.photoFile(fileId, scopeSql, params);
    if (!f) return null;
    return { bytes: await this.storage.get(f.storageKey), sha256: f.sha256, contentType: f.contentType, originalName: f.originalName };
  }

  /** Who reads which reports: contractors their org's; authority officers their division tree; reviewers, assessors, admin all. */
  private readable(p: Principal, params: SqlParams): string {
    if (hasRole(p, 'admin')) return 'TRUE';
    const parts: string[] = [];
    if (hasRole(p, 'assessor', 'reviewer')) parts.push(this.scope.divisionPredicate(p, ['assessor', 'reviewer'], 'r.division_code', params));
    if (hasRole(p, 'authority_officer')) parts.push(this.scope.divisionPredicate(p, ['authority_officer'], 'r.division_code', params));
    if (hasRole(p, 'contractor')) {
      const orgs = contractorOrgIds(p);
      if (orgs.length) parts.push(`r.contractor_org_id = ANY(${params.add(orgs)}::uuid[])`);
    }
    return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
  }

  /**
   * API.md `POST /api/discoveries`. One transaction: the report, the stop-work order, the deadlines, the
   * clearance hold, the audit events, the notification outbox and the idempotency record. Requests with
   * the same key queue on an advisory lock, so concurrent retries see the first one's committed answer.
   * The photos (already checked by content) are part of the request: their SHA-256s, in order, enter the
   * request hash, and they are stored only by the request that creates the report.
   */
  async create(actor: Actor, idempotencyKey: string | undefined, dto: CreateDiscoveryDto, photos: PhotoUpload[] = []): Promise<CreateResult> {
    const p = actor.principal!;
    if (!idempotencyKey || !UUID.test(idempotencyKey)) throw new AppException('idempotency_key_required', 400);
    const key = idempotencyKey.toLowerCase();
    const requestHash = createHash('sha256')
      .update(canonicalJson({ body: JSON.parse(JSON.stringify(dto)) as unknown, files: photos.length ? photos.map((ph) => ph.sha256) : null }))
      .digest('hex');
    const toSchedule: Array<{ id: string; dueAt: Date; remindAt: Date }> = [];
    const toDeliver: string[] = [];
    const result = await this.db.transaction(async (m): Promise<CreateResult> => {
      await this.repo.lockKey(m, key);
      const seen = await this.repo.findKey(m, key);
      if (seen) {
        if (seen.userId !== p.userId || seen.requestHash !== requestHash) throw new AppException('idempotency_key_reused', 422, {}, { idempotencyKey: key });
        return { replayed: true, response: seen.response };
      }
      const project = await this.repo.projectForUpdate(m, dto.projectId);
      if (!project) throw notFound('discovery_project_not_found');
      if (!contractorOrgIds(p).includes(project.contractorOrgId)) throw forbiddenScope();
      if (project.state === 'completed') throw new AppException('discovery_project_completed', 409, {}, { projectId: project.id, state: project.state });

      const now = this.clock.now();
      const reportId = await this.repo.insertReport(m, {
        project, location: dto.location, accuracyM: dto.accuracyM ?? null, foundAt: dto.foundAt, reportedAt: now, depthM: dto.depthM ?? null,
        description: dto.description.trim(), suspectedType: dto.suspectedType.trim(), reportedBy: p.userId,
      });
      const projectStopped = await this.repo.stopProject(m, project.id, now);
      const stopWorkOrderId = await this.repo.insertStopWorkOrder(m, reportId, project.id, now);
      const scale = this.settings.timeScale;
      const deadlines = await this.repo.insertDeadlines(m, reportId, [
        { kind: 'on_site', ...deadlineTimes('on_site', now, scale) },
        { kind: 'opinion', ...deadlineTimes('opinion', now, scale) },
      ], now);
      const holdId = await this.repo.insertHold(m, reportId, this.settings.holdRadiusM, now);
      const storedPhotos = await this.storePhotos(m, reportId, 'report', photos, p.userId, now);
      const warnings = this.photoWarnings(storedPhotos);
      const onSiteDue = deadlines.find((d) => d.kind === 'on_site')!.dueAt;
      const opinionDue = deadlines.find((d) => d.kind === 'opinion')!.dueAt;
      const { orgIds: recipients, notificationIds } = await this.repo.notifyReported(m, reportId, {
        projectId: project.id, projectName: project.name, suspectedType: dto.suspectedType, reportedAt: toIsoOffset(now),
        onSiteDue: toIsoOffset(onSiteDue), opinionDue: toIsoOffset(opinionDue),
      }, now);
      toDeliver.push(...(await this.outbox.addFor(m, notificationIds, now)));
      await this.audit.record(m, actor, {
        action: 'discovery.report', entityType: 'discovery_report', entityId: reportId,
        after: {
          projectId: project.id, location: dto.location, accuracyM: dto.accuracyM ?? null, foundAt: dto.foundAt, reportedAt: toIsoOffset(now),
          depthM: dto.depthM ?? null, description: dto.description, suspectedType: dto.suspectedType, stopWorkOrderId, holdId,
          holdRadiusM: this.settings.holdRadiusM, notified: recipients, idempotencyKey: key, photos: this.photoAudit(storedPhotos),
        },
      });
      await this.audit.record(m, actor, {
        action: 'project.stop', entityType: 'project', entityId: project.id, reason: 'discovery_reported',
        before: { state: project.state }, after: { state: 'stopped', stopWorkOrderId, reportId, changed: projectStopped },
      });
      const response: DiscoveryCreatedDto = {
        id: reportId, state: 'reported', reportedAt: toIsoOffset(now)!, stopWorkOrderId,
        deadlines: { onSiteDue: toIsoOffset(onSiteDue)!, opinionDue: toIsoOffset(opinionDue)! },
        ...(storedPhotos.length ? { photos: storedPhotos } : {}),
        ...(warnings.length ? { warnings } : {}),
      };
      await this.repo.saveKey(m, key, p.userId, requestHash, response, now);
      toSchedule.push(...deadlines);
      return { replayed: false, response };
    });
    // triggers only after the rows are committed (a job must never find its deadline missing)
    if (toSchedule.length) await this.deadlines.schedule(toSchedule);
    await this.outbox.enqueue(toDeliver);
    return result;
  }

  async list(p: Principal, q: DiscoveryListQuery): Promise<DiscoveryDto[]> {
    const params = new SqlParams();
    const rows = await this.repo.list(this.readable(p, params), params, q);
    return rows.map((r) => ({ ...r, allowedActions: allowedActions(DISCOVERY_TRANSITIONS, r.state) }));
  }

  async get(p: Principal, id: string, m: EntityManager = this.db.manager): Promise<DiscoveryDto> {
    const params = new SqlParams();
    const r = await this.repo.find(m, id, this.readable(p, params), params);
    if (!r) throw notFound('discovery_not_found');
    return { ...r, allowedActions: allowedActions(DISCOVERY_TRANSITIONS, r.state) };
  }

  async assertCanRead(p: Principal, id: string): Promise<void> {
    await this.get(p, id);
  }

  /** One authority step: scope (404), role (403), state (409), the change and its audit row in one transaction. */
  private async step(actor: Actor, id: string, action: DiscoveryAction, apply: (m: EntityManager, from: DiscoveryState, reportedAt: Date, now: Date) => Promise<{ set: string; params: unknown[]; after: Record<string, unknown>; reason?: string | null }>): Promise<DiscoveryDto> {
    const p = actor.principal!;
    return this.db.transaction(async (m) => {
      const visible = await this.get(p, id, m);
      const core = (await this.repo.core(m, visible.id, true))!;
      const rule = checkTransition(DISCOVERY_TRANSITIONS, action, core.state, p);
      const now = this.clock.now();
      const change = await apply(m, core.state, core.reportedAt, now);
      await compareAndSetState(m, {
        table: 'discovery_reports', id, from: core.state, to: rule.to, action, transitions: DISCOVERY_TRANSITIONS,
        extraSet: change.set, extraParams: change.params,
      });
      await this.audit.record(m, actor, {
        action: `discovery.${action}`, entityType: 'discovery_report', entityId: id, reason: change.reason ?? null,
        before: { state: core.state }, after: { state: rule.to, ...change.after },
      });
      return this.get(p, id, m);
    });
  }

  recordArrival(actor: Actor, id: string, dto: RecordArrivalDto, photos: PhotoUpload[] = []): Promise<DiscoveryDto> {
    return this.step(actor, id, 'record-arrival', async (m, _from, _reportedAt, now) => {
      const arrivedAt = new Date(dto.arrivedAt);
      if (arrivedAt.getTime() > now.getTime()) throw new AppException('discovery_arrival_in_future', 422, {}, { arrivedAt: dto.arrivedAt, now: toIsoOffset(now) });
      await this.repo.meetDeadline(m, id, 'on_site', arrivedAt);
      const stored = await this.storePhotos(m, id, 'arrival', photos, actor.principal!.userId, now);
      return {
        set: 'arrived_at = $4, arrival_people = $5, arrival_notes = $6, arrival_recorded_by = $7',
        params: [arrivedAt, dto.people, dto.notes ?? null, actor.principal!.userId],
        after: { arrivedAt: toIsoOffset(arrivedAt), people: dto.people, notes: dto.notes ?? null, photos: this.photoAudit(stored) },
      };
    });
  }

  /**
   * `preserve_in_situ`: a new draft of the zone's zoning — a copy of the issued plan (when there is one)
   * with an avoidance area of DISCOVERY_AVOIDANCE_BUFFER_M around the find, clipped to the zone (its largest
   * part) and carved out of the copied areas it overlaps (ZoningRepository.insertAreaCarved): each keeps what
   * lies outside it, an area split in two becomes two areas, one covered entirely is removed. The new area
   * and its neighbours share their new edges vertex for vertex, so the draft of a clean plan validates with
   * no overlap and no gap; the assessors review it and submit. What was cut is returned for the opinion's
   * audit (and `carveError` when PostGIS could not carve: the area then goes in uncarved and validation
   * shows the overlaps — the opinion itself must not fail on odd drawings). Only industrial zones have
   * zoning plans; elsewhere (and for a find outside its zone) no draft is opened and the hold stays until
   * the report closes.
   */
  private async openRevision(m: EntityManager, actor: Actor, reportId: string): Promise<{ planId: string | null; reason?: string; areaId?: string; basedOn?: string | null; avoidanceM2?: number; cut?: CarvedArea[]; carveError?: string }> {
    const bufferM = this.settings.avoidanceBufferM;
    const around = await this.repo.avoidanceAround(m, reportId, bufferM);
    if (!around) return { planId: null, reason: 'find_outside_zone' };
    const zone = await this.zoning.zoneForNewPlan(m, around.zoneId);
    if (!zone || zone.category !== 'industrial') return { planId: null, reason: 'zone_not_industrial' };
    const basedOn = await this.zoning.findIssuedPlanIdForZone(m, around.zoneId);
    const planId = await this.zoning.insertPlan(m, { zoneId: around.zoneId, basedOn, assessmentId: zone.assessment_id, createdBy: actor.principal!.userId });
    if (basedOn) await this.zoning.copyAreas(m, basedOn, planId);
    const carved = await this.zoning.insertAreaCarved(m, planId, around.zoneId, {
      category: 'avoidance', region: around.disc, label: '新发现原址保护避让区',
      rationale: `新发现文物遗存原址保护（处理意见：preserve_in_situ），发现点周边 ${bufferM} 米划为避让区；请核对后提交审核。发现情况：${around.description}`.slice(0, 4000),
    }, DEFAULT_TOLERANCE_M2);
    // avoidanceAround found the disc reaching into the zone, so the carve has an area to insert
    if (!carved) throw new Error(`avoidance area of report ${reportId} is empty in zone ${around.zoneId}`);
    const { areaId, m2: avoidanceM2, cut, carveError } = carved;
    const outcome = { avoidanceM2, cut, ...(carveError ? { carveError } : {}) };
    await this.audit.record(m, actor, {
      action: 'zoning_plan.create', entityType: 'zoning_plan', entityId: planId, reason: 'discovery_preserve_in_situ',
      after: { zoneId: around.zoneId, basedOn, discoveryReportId: reportId, avoidanceAreaId: areaId, bufferM, ...outcome },
    });
    return { planId, areaId, basedOn, ...outcome };
  }

  async issueOpinion(actor: Actor, id: string, dto: IssueOpinionDto): Promise<DiscoveryDto> {
    const scheduled: Array<{ id: string; dueAt: Date; remindAt: Date }> = [];
    const out = await this.step(actor, id, 'issue-opinion', async (m, _from, reportedAt, now) => {
      await this.repo.meetDeadline(m, id, 'opinion', now);
      if (dto.important) {
        scheduled.push(...(await this.repo.insertDeadlines(m, id, [{ kind: 'national', ...deadlineTimes('national', reportedAt, this.settings.timeScale) }], now)));
      }
      const revision = dto.measures === 'preserve_in_situ' ? await this.openRevision(m, actor, id) : null;
      return {
        set: 'opinion_measures = $4, opinion_important = $5, opinion_text = $6, opinion_at = $7, opinion_by = $8, revision_plan_id = $9',
        params: [dto.measures, dto.important, dto.text, now, actor.principal!.userId, revision?.planId ?? null],
        after: { measures: dto.measures, important: dto.important, text: dto.text, ...(revision ? { revision } : {}) },
      };
    });
    if (scheduled.length) await this.deadlines.schedule(scheduled);
    return out;
  }

  /**
   * DOMAIN.md §4.5: the national administration's answer on an important find, recorded by the authority.
   * Not a state change (it may arrive while the measures run or after the report is closed), so it has its
   * own checks: scope (404), the authority role (403), an expected and not yet recorded answer (409), a
   * plausible time (422). The report row is locked, so of two concurrent recordings only the first counts;
   * the national deadline is met at the answer's time, which stops its reminder and escalation.
   */
  async recordNationalAnswer(actor: Actor, id: string, dto: RecordNationalAnswerDto): Promise<DiscoveryDto> {
    const p = actor.principal!;
    return this.db.transaction(async (m) => {
      await this.get(p, id, m);
      if (!hasRole(p, ...DISCOVERY_TRANSITIONS['issue-opinion'].roles)) throw forbiddenRole();
      const r = (await this.repo.nationalAnswerForUpdate(m, id))!;
      if (!r.important || !r.deadlineId) throw new AppException('discovery_national_answer_not_expected', 409, {}, { important: r.important });
      if (r.answeredAt) {
        throw new AppException('discovery_national_answer_recorded', 409, { reference: r.reference }, { answeredAt: toIsoOffset(r.answeredAt), reference: r.reference });
      }
      const now = this.clock.now();
      const answeredAt = new Date(dto.answeredAt);
      if (answeredAt.getTime() > now.getTime()) {
        throw new AppException('discovery_national_answer_in_future', 422, {}, { answeredAt: dto.answeredAt, now: toIsoOffset(now) });
      }
      if (answeredAt.getTime() < r.reportedAt.getTime()) {
        const reportedAt = toIsoOffset(r.reportedAt);
        throw new AppException('discovery_national_answer_before_report', 422, { reportedAt }, { answeredAt: dto.answeredAt, reportedAt });
      }
      const reference = dto.reference.trim();
      const text = dto.text?.trim() || null;
      if (!(await this.repo.saveNationalAnswer(m, id, { answeredAt, reference, text, userId: p.userId, now }))) {
        throw new AppException('discovery_national_answer_recorded', 409, { reference: r.reference }, {});
      }
      await this.repo.meetDeadline(m, id, 'national', answeredAt);
      await this.audit.record(m, actor, {
        action: 'discovery.record-national-answer', entityType: 'discovery_report', entityId: id,
        before: { nationalAnswer: null, nationalDeadline: { id: r.deadlineId, metAt: null } },
        after: {
          nationalAnswer: { answeredAt: toIsoOffset(answeredAt), reference, text, recordedAt: toIsoOffset(now) },
          nationalDeadline: { id: r.deadlineId, metAt: toIsoOffset(answeredAt) },
        },
      });
      return this.get(p, id, m);
    });
  }

  completeMeasures(actor: Actor, id: string, dto: CompleteMeasuresDto): Promise<DiscoveryDto> {
    return this.step(actor, id, 'complete-measures', async (_m, _from, _reportedAt, now) => ({
      set: 'measures_done_at = $4, measures_notes = $5, measures_by = $6',
      params: [now, dto.notes ?? null, actor.principal!.userId],
      after: { measuresDoneAt: toIsoOffset(now), notes: dto.notes ?? null },
    }));
  }

  async authorizeResumption(actor: Actor, id: string, dto: AuthorizeResumptionDto): Promise<DiscoveryDto> {
    const toDeliver: string[] = [];
    const out = await this.step(actor, id, 'authorize-resumption', async (m, _from, _reportedAt, now) => {
      const lifted = await this.repo.liftStopWork(m, id, actor.principal!.userId, now);
      const holdsLifted = await this.repo.liftHolds(m, id, now);
      const core = (await this.repo.core(m, id, false))!;
      const notified = await this.repo.notifyOrgs(m, [core.contractorOrgId], 'stop_work_lifted', id, { projectId: lifted.projectId, stopWorkOrderId: lifted.orderId, projectResumed: lifted.projectResumed }, now);
      toDeliver.push(...(await this.outbox.addFor(m, notified, now)));
      if (lifted.projectResumed) {
        await this.audit.record(m, actor, {
          action: 'project.resume', entityType: 'project', entityId: lifted.projectId, reason: 'discovery_closed',
          before: { state: 'stopped' }, after: { state: 'active', stopWorkOrderId: lifted.orderId, reportId: id },
        });
      }
      return {
        set: 'closed_at = $4, closed_by = $5', params: [now, actor.principal!.userId], reason: dto.reason ?? null,
        after: { stopWorkOrderId: lifted.orderId, projectResumed: lifted.projectResumed, holdsLifted },
      };
    });
    await this.outbox.enqueue(toDeliver);
    return out;
  }

  // ---- stop-work orders ---------------------------------------------------------------------------------

  /** The contractor acknowledges the order (the first acknowledgement's time is kept). */
  async acknowledge(actor: Actor, id: string): Promise<StopWorkOrderDto> {
    const p = actor.principal!;
    return this.db.transaction(async (m) => {
      const order = await this.repo.stopWorkOrder(m, id, true);
      if (!order || !contractorOrgIds(p).includes(order.contractorOrgId)) throw notFound('stop_work_order_not_found');
      const now = this.clock.now();
      if (await this.repo.acknowledgeStopWork(m, id, p.userId, now)) {
        await this.audit.record(m, actor, {
          action: 'stop_work_order.acknowledge', entityType: 'stop_work_order', entityId: id,
          before: { acknowledgedAt: null }, after: { acknowledgedAt: toIsoOffset(now), reportId: order.reportId },
        });
      }
      const { contractorOrgId: _org, ...dto } = (await this.repo.stopWorkOrder(m, id))!;
      return dto;
    });
  }

  // ---- inbox --------------------------------------------------------------------------------------------

  inbox(p: Principal, unreadOnly: boolean): Promise<NotificationDto[]> {
    return this.repo.inbox([p.org.id], unreadOnly);
  }

  // ---- delivery channels (admin) -------------------------------------------------------------------

  async getChannels(orgId: string): Promise<NotificationChannelsDto> {
    if (!(await this.repo.orgExists(this.db.manager, orgId))) throw notFound('organization_not_found');
    const c = await this.repo.channels(orgId);
    return { orgId, email: c?.email ?? null, webhookUrl: c?.webhookUrl ?? null, hasWebhookSecret: !!c?.webhookSecret };
  }

  /** Sets an organisation's e-mail address and webhook; a new webhook without a given secret gets a generated one, shown once. */
  async setChannels(actor: Actor, orgId: string, dto: UpdateNotificationChannelsDto): Promise<NotificationChannelsDto> {
    return this.db.transaction(async (m) => {
      if (!(await this.repo.orgExists(m, orgId))) throw notFound('organization_not_found');
      const before = (await this.repo.channels(orgId)) ?? { email: null, webhookUrl: null, webhookSecret: null };
      const email = dto.email === undefined ? before.email : dto.email;
      const webhookUrl = dto.webhookUrl === undefined ? before.webhookUrl : dto.webhookUrl;
      let secret = dto.webhookSecret ?? (dto.rotateSecret ? null : before.webhookSecret);
      let shown: string | undefined = dto.webhookSecret;
      if (webhookUrl && !secret) {
        secret = randomBytes(32).toString('base64url');
        shown = secret;
      }
      if (!webhookUrl) secret = null;
      await this.repo.saveChannels(m, orgId, { email, webhookUrl, webhookSecret: secret }, this.clock.now());
      await this.audit.record(m, actor, {
        action: 'notification_channels.update', entityType: 'organization', entityId: orgId,
        before: { email: before.email, webhookUrl: before.webhookUrl },
        after: { email, webhookUrl, secretChanged: secret !== before.webhookSecret },
      });
      return { orgId, email, webhookUrl, hasWebhookSecret: !!secret, ...(shown && webhookUrl ? { webhookSecret: shown } : {}) };
    });
  }

  async markRead(p: Principal, id: string): Promise<NotificationDto> {
    const n = await this.repo.markRead(id, [p.org.id], p.userId, this.clock.now());
    if (!n) throw notFound('notification_not_found');
    return n;
  }
}
