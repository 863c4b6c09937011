import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppException, forbiddenScope, notFound } from '../../infra/http/app-exception';
import { Language } from '../../infra/i18n/language';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { hasRole, Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { TOUCH_TOLERANCE_M2 } from '../clearance/clearance-verdict';
import { ClearanceEvaluation, ClearanceService } from '../clearance/clearance.service';
import { LayerCache } from '../layers/layer-cache.service';
import { ZonesService } from '../zones/zones.service';
import { CreateParcelDto, ParcelDetailDto, ParcelDto, ParcelListQuery, TransferParcelDto } from './parcels.dto';
import { ParcelRecord, ParcelsRepository } from './parcels.repository';
import { committeeScope, maySeeZoning, ParcelVisibility } from './parcel-visibility';

registerMessages({
  parcel_not_found: { 'zh-CN': '地块不存在', en: 'No such parcel' },
  zone_not_found: { 'zh-CN': '开发区不存在', en: 'No such development zone' },
  parcel_code_taken: { 'zh-CN': '本开发区已有编号为“{code}”的地块', en: 'The zone already has a parcel with code "{code}"' },
  parcel_outside_zone: { 'zh-CN': '地块与所选开发区没有重叠', en: 'The parcel does not overlap the chosen zone' },
  parcel_already_transferred: { 'zh-CN': '该地块已于 {at} 办理土地出让', en: 'The parcel was already transferred on {at}' },
  parcel_not_cleared: {
    'zh-CN': '地块考古前置判定为“{verdict}”，不能办理土地出让',
    en: 'The parcel’s clearance verdict is "{verdict}"; land transfer is not possible',
  },
});

/** Who may register parcels and record transfers in a zone: its committee, or an admin. */
export function mayManageZone(p: Principal, zone: { id: string; committeeOrgId: string | null }): boolean {
  if (hasRole(p, 'admin')) return true;
  if (!hasRole(p, 'committee_officer')) return false;
  const { orgIds, zoneIds } = committeeScope(p);
  return zoneIds.includes(zone.id) || (zone.committeeOrgId !== null && orgIds.includes(zone.committeeOrgId));
}

@Injectable()
export class ParcelsService {
  private readonly visibility: ParcelVisibility;

  constructor(
    private readonly db: DataSource,
    private readonly repo: ParcelsRepository,
    private readonly clearance: ClearanceService,
    private readonly zones: ZonesService,
    private readonly audit: AuditService,
    private readonly layerCache: LayerCache,
    scope: ScopeService,
  ) {
    this.visibility = new ParcelVisibility(scope);
  }

  private async withClearance(p: Principal, r: ParcelRecord, lang: Language, withGeometry: boolean, m?: EntityManager): Promise<ParcelDto> {
    return this.presented(r, await this.clearance.evaluate({ parcelId: r.id }, withGeometry, m), lang, withGeometry);
  }

  private presented(r: ParcelRecord, result: ClearanceEvaluation, lang: Language, withGeometry: boolean): ParcelDto {
    const { committeeOrgId: _c, geometry: _g, ...rest } = r;
    return { ...rest, clearance: this.clearance.present(result, lang, { withGeometry, parcel: { id: r.id, code: r.code, name: r.name } }) };
  }

  async list(p: Principal, q: ParcelListQuery, lang: Language): Promise<ParcelDto[]> {
    const params = new SqlParams();
    const rows = await this.repo.list(this.visibility.readable(p, 'pc', 'z', params), params, q);
    // every parcel's verdict in one clearance statement
    const results = await this.clearance.evaluateParcels(rows.map((r) => r.id), false);
    return rows.map((r) => this.presented(r, results.get(r.id)!, lang, false));
  }

  /** Single read in the caller's scope; outside it looks like absent (404). */
  async find(p: Principal, id: string, m: EntityManager = this.db.manager, opts: { lock?: boolean } = {}): Promise<ParcelRecord> {
    const params = new SqlParams();
    const r = await this.repo.findById(m, id, this.visibility.readable(p, 'pc', 'z', params), params, opts);
    if (!r) throw notFound('parcel_not_found');
    return r;
  }

  async get(p: Principal, id: string, lang: Language): Promise<ParcelDetailDto> {
    const r = await this.find(p, id);
    const dto = await this.withClearance(p, r, lang, maySeeZoning(p));
    return { ...dto, geometry: r.geometry! };
  }

  async create(actor: Actor, dto: CreateParcelDto, lang: Language): Promise<ParcelDetailDto> {
    const p = actor.principal!;
    const zone = await this.zones.get(p, dto.zoneId);
    if (!mayManageZone(p, { id: zone.id, committeeOrgId: zone.committeeOrg?.id ?? null })) throw forbiddenScope();
    const id = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('parcel-code:' || $1))`, [dto.zoneId]);
      if (await this.repo.codeTaken(m, dto.zoneId, dto.code)) throw new AppException('parcel_code_taken', 409, { code: dto.code });
      await this.zones.assertValidGeometry(m, dto.geometry);
      if ((await this.repo.areaInsideZone(m, dto.zoneId, dto.geometry)) <= TOUCH_TOLERANCE_M2) throw new AppException('parcel_outside_zone', 422);
      const id = await this.repo.insert(m, { ...dto, createdBy: p.userId });
      const created = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, {
        action: 'parcel.create', entityType: 'parcel', entityId: id,
        after: { zoneId: created.zoneId, code: created.code, name: created.name, plannedUse: created.plannedUse, areaM2: created.areaM2, geometry: created.geometry },
      });
      return id;
    });
    await this.layerCache.invalidate('parcels');
    return this.get(p, id, lang);
  }

  /**
   * Land transfer (土地出让) is recorded only on a `cleared` verdict, decided inside the same transaction
   * with the parcel row locked; otherwise 409 with the verdict and what stands in the way.
   */
  async transfer(actor: Actor, id: string, dto: TransferParcelDto, lang: Language): Promise<ParcelDetailDto> {
    const p = actor.principal!;
    await this.db.transaction(async (m) => {
      const parcel = await this.find(p, id, m, { lock: true });
      if (!mayManageZone(p, { id: parcel.zoneId, committeeOrgId: parcel.committeeOrgId })) throw forbiddenScope();
      if (parcel.transferredAt) throw new AppException('parcel_already_transferred', 409, { at: parcel.transferredAt }, { transferredAt: parcel.transferredAt });
      const withGeometry = maySeeZoning(p);
      const result = await this.clearance.evaluate({ parcelId: id }, withGeometry, m);
      if (result.decision.verdict !== 'cleared') {
        const answer = this.clearance.present(result, lang, { withGeometry });
        throw new AppException('parcel_not_cleared', 409, { verdict: answer.verdict }, {
          verdict: answer.verdict, reasons: answer.reasons, areas: answer.areas,
          ...(answer.blockingAreas ? { blockingAreas: answer.blockingAreas } : {}),
        });
      }
      const at = new Date(dto.transferredAt).toISOString();
      await this.repo.markTransferred(m, id, at, p.userId);
      await this.audit.record(m, actor, {
        action: 'parcel.transfer', entityType: 'parcel', entityId: id,
        before: { transferredAt: null }, after: { transferredAt: dto.transferredAt, verdict: result.decision.verdict },
      });
    });
    await this.layerCache.invalidate('parcels');
    return this.get(p, id, lang);
  }

  /** For the history route: the same read check as GET. */
  async assertCanRead(p: Principal, id: string): Promise<void> {
    await this.find(p, id);
  }
}
