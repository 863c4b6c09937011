import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppException, forbiddenRole, notFound } from '../../infra/http/app-exception';
import { Language } from '../../infra/i18n/language';
import { registerMessages, translate } from '../../infra/i18n/messages';
import { hasRole, Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { committeeScope, maySeeZoning, ParcelVisibility } from '../parcels/parcel-visibility';
import { areaFigures, GeoJsonGeometry, M2_PER_MU, round } from '../spatial/geojson';
import { BUCKETS, ClearanceDecision, decideClearance, percentShares, TOUCH_TOLERANCE_M2 } from './clearance-verdict';
import { ClearanceAreasDto, ClearanceRequestDto, ClearanceResponseDto } from './clearance.dto';
import { ClearanceMeasurement, ClearanceRepository, ClearanceSubject } from './clearance.repository';

registerMessages({
  clearance_subject_required: {
    'zh-CN': '请提供且只提供以下之一：geometry；parcelId；zoneCode 与 parcelCode',
    en: 'Give exactly one of: geometry; parcelId; zoneCode with parcelCode',
  },
  clearance_shape_forbidden: {
    'zh-CN': '施工单位只能查询本单位项目所在地块，不能查询任意图形',
    en: 'Contractors may ask only about the parcels of their own projects, not about drawn shapes',
  },
  clearance_outside_own_zone: {
    'zh-CN': '所查询的图形超出本管委会管理的开发区范围',
    en: 'The shape reaches beyond the zone(s) your committee manages',
  },
  clearance_geometry_empty: { 'zh-CN': '图形面积为零，无法判定', en: 'The shape has no area' },
  parcel_not_found: { 'zh-CN': '地块不存在', en: 'No such parcel' },
  invalid_geometry: {
    'zh-CN': '几何图形无效：{reason}（位置 {where}）',
    en: 'Invalid geometry: {reason} (at {where})',
  },
  clearance_reason_outside_every_zone: {
    'zh-CN': '该范围不在任何开发区内（{mu} 亩），须按单个建设项目申请考古调查勘探',
    en: 'The land lies in no development zone ({mu} mu); the project must apply individually for archaeological survey and exploration',
  },
  clearance_reason_touches_avoidance: {
    'zh-CN': '涉及避让区 {mu} 亩，避让区内不得进行建设',
    en: 'It touches avoidance land ({mu} mu); no construction is allowed there',
  },
  clearance_reason_discovery_hold: {
    'zh-CN': '涉及因新发现文物遗存而暂停出让的范围 {mu} 亩，待文物部门处理完毕',
    en: 'It touches land on hold after a new find ({mu} mu), until the cultural-relics authority has dealt with it',
  },
  clearance_reason_exploration_not_done: {
    'zh-CN': '涉及勘探区 {mu} 亩，须完成考古勘探（未发现文物遗存）后方可出让',
    en: 'It touches exploration land ({mu} mu); archaeological exploration must find no relics before transfer',
  },
  clearance_reason_individual_survey_not_done: {
    'zh-CN': '{mu} 亩未经区域评估划定，须单独申请考古调查勘探',
    en: '{mu} mu have not been zoned by a regional assessment; an individual archaeological survey is required',
  },
  clearance_reason_commitment_not_accepted: {
    'zh-CN': '涉及尚未承诺释放的释放区 {mu} 亩，须管委会提交承诺书并经省文物局接受',
    en: 'It touches release land not yet released ({mu} mu); the committee’s commitment letter must be accepted by the provincial bureau',
  },
  clearance_reason_all_clear: {
    'zh-CN': '全部位于已释放或已勘探无文物遗存的范围内，可以办理土地出让',
    en: 'All of it is released or explored without finds; the land may be transferred',
  },
  obligation_stop_work_on_discovery: {
    'zh-CN': '建设中如新发现地下文物遗存，必须立即停止施工，保护现场，及时上报文物主管部门，待采取文物保护措施后再进行施工建设。',
    en: 'If underground relics are found during construction, work must stop at once, the site must be protected and the find reported to the cultural-relics authority; work resumes only after protection measures are taken.',
  },
  obligation_statutory_response: {
    'zh-CN': '依照《中华人民共和国文物保护法》第四十六条，文物主管部门接报后24小时内赶赴现场，7日内提出处理意见。',
    en: 'Under Art. 46 of the Cultural Relics Protection Law the authority arrives on site within 24 hours of the report and gives a handling opinion within 7 days.',
  },
  obligation_inform_transferee: {
    'zh-CN': '土地出让时须将管委会承诺书中的文物保护义务告知土地受让人及施工单位。',
    en: 'On transfer, the cultural-relics duties of the committee’s commitment letter must be passed on to the transferee and the contractor.',
  },
  obligation_no_construction_in_avoidance: {
    'zh-CN': '避让区范围内不得安排建设项目，地块应调整避让。',
    en: 'No construction may be placed in avoidance land; the parcel must be redrawn to avoid it.',
  },
  obligation_apply_exploration: {
    'zh-CN': '须向文物部门申请考古勘探，勘探完成并确认无文物遗存前不得出让。',
    en: 'Apply for archaeological exploration; no transfer before it is completed without finds.',
  },
  obligation_apply_individual_survey: {
    'zh-CN': '须按单个建设项目申请考古调查勘探，完成前不得出让。',
    en: 'Apply individually for archaeological survey and exploration; no transfer before it is completed.',
  },
  obligation_submit_commitment: {
    'zh-CN': '管委会须就现行分区方案提交书面承诺书，经省文物局接受后方可出让释放区土地。',
    en: 'The committee must submit a written commitment letter for the issued zoning plan; release land may be transferred once the bureau accepts it.',
  },
});

/** Roles that may ask about any drawn shape (committees only inside their own zones). */
const SHAPE_ANYWHERE = ['admin', 'assessor', 'reviewer', 'integrator'] as const;

export interface ClearanceEvaluation {
  decision: ClearanceDecision;
  measurement: ClearanceMeasurement;
}

function decided(measurement: ClearanceMeasurement): ClearanceEvaluation {
  if (measurement.figures.totalM2 <= TOUCH_TOLERANCE_M2) throw new AppException('clearance_geometry_empty', 422);
  return { decision: decideClearance(measurement.figures), measurement };
}

@Injectable()
export class ClearanceService {
  private readonly parcels: ParcelVisibility;

  constructor(
    private readonly repo: ClearanceRepository,
    scope: ScopeService,
  ) {
    this.parcels = new ParcelVisibility(scope);
  }

  /** Measures and decides, with no access check: callers (parcels, transfer, seed) have checked already. */
  async evaluate(subject: ClearanceSubject, withGeometry: boolean, m?: EntityManager): Promise<ClearanceEvaluation> {
    const measurement = await this.repo.measure(subject, withGeometry, m);
    if (!measurement) throw notFound('parcel_not_found');
    if (!measurement.valid) {
      if ('geometry' in subject) await this.throwInvalid(subject.geometry);
      throw notFound('parcel_not_found');
    }
    return decided(measurement);
  }

  /** `evaluate` for many stored parcels in one statement (a zone's parcel list); same answers, same refusals. */
  async evaluateParcels(parcelIds: string[], withGeometry: boolean, m?: EntityManager): Promise<Map<string, ClearanceEvaluation>> {
    const measured = await this.repo.measureParcels(parcelIds, withGeometry, m);
    return new Map(
      parcelIds.map((id) => {
        const measurement = measured.get(id);
        if (!measurement?.valid) throw notFound('parcel_not_found');
        return [id, decided(measurement)];
      }),
    );
  }

  private async throwInvalid(g: GeoJsonGeometry): Promise<never> {
    const d = await this.repo.validityDetail(g);
    const where = d.location && d.location.type === 'Point' ? (d.location.coordinates as number[]).map((n) => n.toFixed(6)).join(', ') : '—';
    throw new AppException('invalid_geometry', 422, { reason: d.reason, where }, { reason: d.reason, location: d.location });
  }

  /** `POST /api/clearance` (API.md): who may ask what, then the answer shaped for the caller. */
  async check(p: Principal, body: ClearanceRequestDto, lang: Language): Promise<ClearanceResponseDto> {
    const forms = [body.geometry !== undefined, body.parcelId !== undefined, body.zoneCode !== undefined || body.parcelCode !== undefined];
    if (forms.filter(Boolean).length !== 1 || ((body.zoneCode === undefined) !== (body.parcelCode === undefined))) {
      throw new AppException('clearance_subject_required', 400);
    }
    const withGeometry = maySeeZoning(p);
    let subject: ClearanceSubject;
    let parcel: ClearanceResponseDto['parcel'];
    if (body.geometry) {
      await this.assertMayAskShape(p, body.geometry);
      subject = { geometry: body.geometry };
    } else {
      const params = new SqlParams();
      const scopeSql = this.parcels.readable(p, 'pc', 'z', params, { forClearance: true });
      const by = body.parcelId ? { id: body.parcelId } : { zoneCode: body.zoneCode!, parcelCode: body.parcelCode! };
      const found = await this.repo.findParcel(by, scopeSql, params);
      // outside the caller's scope looks exactly like absent
      if (!found) throw notFound('parcel_not_found');
      parcel = { id: found.id, code: found.code, name: found.name };
      subject = { parcelId: found.id };
    }
    const result = await this.evaluate(subject, withGeometry);
    return this.present(result, lang, { withGeometry, parcel });
  }

  private async assertMayAskShape(p: Principal, g: GeoJsonGeometry): Promise<void> {
    if (hasRole(p, ...SHAPE_ANYWHERE)) return;
    if (hasRole(p, 'committee_officer')) {
      const { orgIds, zoneIds } = committeeScope(p);
      const outside = await this.repo.areaOutsideCommitteeZones(g, orgIds, zoneIds);
      if (outside > TOUCH_TOLERANCE_M2) throw new AppException('clearance_outside_own_zone', 403);
      return;
    }
    // contractors: probing shape after shape would map the avoidance areas
    if (hasRole(p, 'contractor')) throw new AppException('clearance_shape_forbidden', 403);
    throw forbiddenRole();
  }

  /** The API answer: buckets with shares summing to 100, translated reasons and obligations, geometry only if allowed. */
  present(result: ClearanceEvaluation, lang: Language, opts: { withGeometry: boolean; parcel?: ClearanceResponseDto['parcel'] }): ClearanceResponseDto {
    const { decision, measurement } = result;
    const m2s = BUCKETS.map((b) => measurement.buckets[b]);
    const shares = percentShares(m2s);
    const areas = Object.fromEntries(
      BUCKETS.map((b, i) => [b, { m2: round(m2s[i]!, 1), mu: round(m2s[i]! / M2_PER_MU, 2), share: shares[i]! }]),
    ) as unknown as ClearanceAreasDto;
    const total = areaFigures(measurement.figures.totalM2);
    const out: ClearanceResponseDto = {
      verdict: decision.verdict,
      reasons: decision.reasons.map((r) => ({
        code: r.code,
        message: translate(`clearance_reason_${r.code}`, lang, { mu: (r.m2 / M2_PER_MU).toFixed(2) }),
      })),
      zone: measurement.zone,
      areas,
      obligations: decision.obligations.map((code) => ({ code, text: translate(`obligation_${code}`, lang) })),
      total: { m2: total.areaM2, mu: total.areaMu, ha: total.areaHa },
      exploredClear: { m2: round(measurement.exploredClearM2, 1), mu: round(measurement.exploredClearM2 / M2_PER_MU, 2) },
    };
    if (opts.parcel) out.parcel = opts.parcel;
    if (opts.withGeometry && measurement.blockingAreas) out.blockingAreas = measurement.blockingAreas;
    return out;
  }
}
