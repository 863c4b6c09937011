import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { AppException, forbiddenScope, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { hasRole, Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { TOUCH_TOLERANCE_M2 } from '../clearance/clearance-verdict';
import { LayerCache } from '../layers/layer-cache.service';
import { committeeZonePredicate } from '../parcels/parcel-visibility';
import { mayManageZone, ParcelsService } from '../parcels/parcels.service';
import { areaFigures, GeoJsonGeometry } from '../spatial/geojson';
import { allowedActions, checkTransition, compareAndSetState } from '../workflow/transitions';
import { ZoningRepository } from '../zoning/zoning.repository';
import { ZonesService } from '../zones/zones.service';
import { EXPLORATION_TRANSITIONS, ExplorationAction } from './exploration.transitions';
import { CreateExplorationDto, ExplorationActionDto, ExplorationDto, ExplorationListQuery } from './explorations.dto';
import { ExplorationRow, ExplorationsRepository } from './explorations.repository';

registerMessages({
  exploration_not_found: { 'zh-CN': '勘探申请不存在', en: 'No such exploration application' },
  exploration_subject_required: {
    'zh-CN': '请提供 parcelId，或同时提供 zoneId 与 geometry',
    en: 'Give either parcelId, or zoneId with geometry',
  },
  exploration_not_applicable: {
    'zh-CN': '工业类开发区只能就勘探区内的土地申请考古勘探；该范围不涉及现行分区方案的勘探区',
    en: 'In an industrial zone exploration applies to exploration areas only; this land touches none of the issued plan’s exploration areas',
  },
  exploration_outside_zone: { 'zh-CN': '申请范围不在该开发区内', en: 'The land is not inside the zone' },
  exploration_result_required: { 'zh-CN': '完成勘探须填写结果：no_relics 或 relics_found', en: 'Completing needs a result: no_relics or relics_found' },
});

/** Readers: admin, assessors and reviewers (division scope), authority officers (division tree), the zone's committee. */
function readable(scope: ScopeService, p: Principal, params: SqlParams): string {
  if (hasRole(p, 'admin')) return 'TRUE';
  const parts: string[] = [];
  if (hasRole(p, 'assessor', 'reviewer')) parts.push(scope.divisionPredicate(p, ['assessor', 'reviewer'], 'z.division_code', params));
  if (hasRole(p, 'authority_officer')) parts.push(scope.divisionPredicate(p, ['authority_officer'], 'z.division_code', params));
  if (hasRole(p, 'committee_officer')) parts.push(committeeZonePredicate(p, 'z', params));
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

@Injectable()
export class ExplorationsService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: ExplorationsRepository,
    private readonly zoning: ZoningRepository,
    private readonly parcels: ParcelsService,
    private readonly zones: ZonesService,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly layerCache: LayerCache,
  ) {}

  private map(p: Principal, r: ExplorationRow): ExplorationDto {
    return {
      id: r.id, zoneId: r.zone_id, zoneCode: r.zone_code, zoneName: r.zone_name, zoneCategory: r.zone_category, parcelId: r.parcel_id,
      state: r.state, result: r.result, resultNotes: r.result_notes, revisionPlanId: r.revision_plan_id, ...areaFigures(r.area_m2),
      geometry: JSON.parse(r.geometry) as GeoJsonGeometry, createdAt: toIsoOffset(r.created_at), startedAt: toIsoOffset(r.started_at),
      completedAt: toIsoOffset(r.completed_at),
      allowedActions: allowedActions(EXPLORATION_TRANSITIONS, r.state).filter((a) => EXPLORATION_TRANSITIONS[a].roles.some((x) => p.roles.includes(x))),
    };
  }

  private async row(p: Principal, id: string, m: EntityManager = this.db.manager, lock = false): Promise<ExplorationRow> {
    const params = new SqlParams();
    const r = await this.repo.findById(m, id, readable(this.scope, p, params), params, lock);
    if (!r) throw notFound('exploration_not_found');
    return r;
  }

  async list(p: Principal, q: ExplorationListQuery): Promise<ExplorationDto[]> {
    const params = new SqlParams();
    return (await this.repo.list(readable(this.scope, p, params), params, q)).map((r) => this.map(p, r));
  }

  async get(p: Principal, id: string): Promise<ExplorationDto> {
    return this.map(p, await this.row(p, id));
  }

  async assertCanRead(p: Principal, id: string): Promise<void> {
    await this.row(p, id);
  }

  /**
   * A committee applies for exploration of a parcel or a drawn polygon: in an industrial zone only where it
   * touches an exploration area of the issued plan; in an agricultural or cultural-tourism zone anywhere
   * (the individual route — those zones are not assessed as a whole).
   */
  async create(actor: Actor, dto: CreateExplorationDto): Promise<ExplorationDto> {
    const p = actor.principal!;
    if (!dto.parcelId === !(dto.zoneId && dto.geometry) || (dto.parcelId && (dto.zoneId || dto.geometry))) throw new AppException('exploration_subject_required', 400);
    return this.db.transaction(async (m) => {
      let zoneId: string;
      let source: { geometry: GeoJsonGeometry } | { parcelId: string };
      if (dto.parcelId) {
        const parcel = await this.parcels.find(p, dto.parcelId, m);
        zoneId = parcel.zoneId;
        source = { parcelId: parcel.id };
      } else {
        zoneId = dto.zoneId!;
        source = { geometry: dto.geometry! };
      }
      const zone = await this.zones.get(p, zoneId);
      if (!mayManageZone(p, { id: zone.id, committeeOrgId: zone.committeeOrg?.id ?? null })) throw forbiddenScope();
      if ('geometry' in source) await this.zones.assertValidGeometry(m, source.geometry);
      const where = await this.repo.eligibility(m, zoneId, source);
      if (where.inside_m2 <= TOUCH_TOLERANCE_M2) throw new AppException('exploration_outside_zone', 422);
      if (zone.category === 'industrial' && where.exploration_m2 <= TOUCH_TOLERANCE_M2) throw new AppException('exploration_not_applicable', 422);
      const id = await this.repo.insert(m, {
        zoneId, parcelId: dto.parcelId ?? null, geometry: 'geometry' in source ? source.geometry : null, requestedBy: p.userId,
      });
      const r = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, {
        action: 'exploration.request', entityType: 'exploration', entityId: id,
        after: { zoneId, parcelId: r.parcel_id, areaM2: r.area_m2, geometry: JSON.parse(r.geometry) as unknown },
      });
      return this.map(p, r);
    });
  }

  async act(actor: Actor, id: string, action: ExplorationAction, body: ExplorationActionDto): Promise<ExplorationDto> {
    const p = actor.principal!;
    const out = await this.db.transaction(async (m) => {
      const r = await this.row(p, id, m, true);
      const rule = checkTransition(EXPLORATION_TRANSITIONS, action, r.state, p);
      // authority officers act in their division tree only (assessors are province-wide)
      if (!hasRole(p, 'assessor') && !(await this.scope.coversDivision(p, ['authority_officer'], r.division_code))) throw forbiddenScope();
      const now = this.clock.now();
      let after: Record<string, unknown> = { state: rule.to };
      if (action === 'start') {
        await compareAndSetState(m, { table: 'explorations', id, from: r.state, to: rule.to, action, transitions: EXPLORATION_TRANSITIONS, extraSet: 'started_at = $4, started_by = $5', extraParams: [now, p.userId] });
      } else {
        if (!body.result) throw new AppException('exploration_result_required', 400);
        await compareAndSetState(m, {
          table: 'explorations', id, from: r.state, to: rule.to, action, transitions: EXPLORATION_TRANSITIONS,
          extraSet: 'completed_at = $4, completed_by = $5, result = $6, result_notes = $7', extraParams: [now, p.userId, body.result, body.notes ?? null],
        });
        after = { state: rule.to, result: body.result, notes: body.notes ?? null };
        if (body.result === 'relics_found') after = { ...after, ...(await this.onRelicsFound(m, actor, r)) };
      }
      await this.audit.record(m, actor, {
        action: `exploration.${action}`, entityType: 'exploration', entityId: id, reason: body.reason ?? null, before: { state: r.state }, after,
      });
      return this.map(p, (await this.repo.findById(m, id))!);
    });
    if (out.result === 'relics_found' && out.revisionPlanId) await this.layerCache.invalidate('zoning-areas');
    return out;
  }

  /**
   * Relics found: in an industrial zone the assessors get a draft revision of the issued zoning (or the
   * revision already open); in an agricultural or tourism zone the polygon becomes individual avoidance,
   * which the clearance check treats as avoidance from now on.
   */
  private async onRelicsFound(m: EntityManager, actor: Actor, r: ExplorationRow): Promise<Record<string, unknown>> {
    if (r.zone_category !== 'industrial') {
      const avoidanceId = await this.repo.insertIndividualAvoidance(m, r.id);
      return { individualAvoidanceId: avoidanceId };
    }
    let planId = await this.repo.openPlanForZone(m, r.zone_id);
    if (!planId) {
      const zone = await this.zoning.zoneForNewPlan(m, r.zone_id);
      const basedOn = await this.zoning.findIssuedPlanIdForZone(m, r.zone_id);
      planId = await this.zoning.insertPlan(m, { zoneId: r.zone_id, basedOn, assessmentId: zone?.assessment_id ?? null, createdBy: actor.principal?.userId ?? null });
      if (basedOn) await this.zoning.copyAreas(m, basedOn, planId);
      await this.audit.record(m, actor, {
        action: 'zoning_plan.create', entityType: 'zoning_plan', entityId: planId, reason: `exploration ${r.id}: relics_found`,
        after: { zoneId: r.zone_id, basedOn, explorationId: r.id },
      });
    }
    await m.query(`UPDATE explorations SET revision_plan_id = $2 WHERE id = $1`, [r.id, planId]);
    return { revisionPlanId: planId };
  }
}
