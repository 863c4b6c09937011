import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { AppException, forbiddenRole, forbiddenScope, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { StoragePort } from '../../infra/storage/storage.port';
import { Actor, AuditService } from '../audit/audit.service';
import { hasRole, Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { committeeZonePredicate, maySeeZoning } from '../parcels/parcel-visibility';
import { mayManageZone } from '../parcels/parcels.service';
import { areaFigures, round } from '../spatial/geojson';
import { allowedActions, checkTransition, compareAndSetState } from '../workflow/transitions';
import { ZoningVisibility } from '../zoning/zoning-visibility';
import { ZonesService } from '../zones/zones.service';
import { composeLetter, LetterFacts, LetterText } from './commitment-letter';
import { renderCommitmentPdf, shanghaiDateZh } from './commitment-pdf.renderer';
import { COMMITMENT_TRANSITIONS, CommitmentAction } from './commitment.transitions';
import {
  CommitmentActionDto, CommitmentDetailDto, CommitmentDto, CommitmentListQuery, CommitmentPreviewDto, CreateCommitmentDto, PreviewCommitmentDto, ReleaseStatusDto, UpdateCommitmentDto, VerifyResultDto,
} from './commitments.dto';
import { CommitmentRow, CommitmentsRepository, parseGeometry, PlanForCommitment } from './commitments.repository';

registerMessages({
  commitment_not_found: { 'zh-CN': '承诺书不存在', en: 'No such commitment letter' },
  zoning_plan_not_found: { 'zh-CN': '分区方案不存在', en: 'No such zoning plan' },
  commitment_plan_not_issued: {
    'zh-CN': '只能就已印发的现行分区方案签署承诺书（该方案当前状态：{state}）',
    en: 'A commitment letter can be signed only for the zone’s issued plan (this plan is {state})',
  },
  commitment_no_release_land: { 'zh-CN': '该分区方案没有释放区，无需承诺', en: 'The plan has no release areas; there is nothing to commit' },
  commitment_frozen: {
    'zh-CN': '承诺书已提交（状态：{state}），内容不可再修改',
    en: 'The letter has been submitted (state {state}); it can no longer be changed',
  },
  commitment_reason_required: { 'zh-CN': '退回承诺书须填写理由', en: 'Rejecting a letter needs a reason' },
  commitment_pdf_missing: { 'zh-CN': '承诺书尚未提交，没有 PDF', en: 'The letter has not been submitted; there is no PDF yet' },
});

/** What the preview shows where the form is still empty (a line to be filled in, as on a paper form). */
const BLANK = '＿＿＿＿';

/** YYYY-MM-DD of the Asia/Shanghai calendar day (UTC+08:00, no daylight saving). */
const shanghaiIsoDate = (d: Date): string => new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);

/** Who reads letters: admin, assessors and reviewers (division scope), authority officers (division tree), the zone's committee. */
function readablePredicate(scope: ScopeService, p: Principal, zone: string, params: SqlParams): string {
  if (hasRole(p, 'admin')) return 'TRUE';
  const parts: string[] = [];
  if (hasRole(p, 'assessor', 'reviewer')) parts.push(scope.divisionPredicate(p, ['assessor', 'reviewer'], `${zone}.division_code`, params));
  if (hasRole(p, 'authority_officer')) parts.push(scope.divisionPredicate(p, ['authority_officer'], `${zone}.division_code`, params));
  if (hasRole(p, 'committee_officer')) parts.push(committeeZonePredicate(p, zone, params));
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

@Injectable()
export class CommitmentsService {
  private readonly zoningVisibility: ZoningVisibility;

  constructor(
    private readonly db: DataSource,
    private readonly repo: CommitmentsRepository,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    private readonly storage: StoragePort,
    private readonly clock: Clock,
    private readonly zones: ZonesService,
  ) {
    this.zoningVisibility = new ZoningVisibility(scope);
  }

  // ---------------------------------------------------------------- reads

  private async row(p: Principal, id: string, m: EntityManager = this.db.manager, lock = false): Promise<CommitmentRow> {
    const params = new SqlParams();
    const r = await this.repo.findById(m, id, readablePredicate(this.scope, p, 'z', params), params, { lock });
    if (!r) throw notFound('commitment_not_found');
    return r;
  }

  private actionsFor(p: Principal, r: CommitmentRow): string[] {
    return allowedActions(COMMITMENT_TRANSITIONS, r.state).filter((a) => {
      if (!COMMITMENT_TRANSITIONS[a].roles.some((role) => p.roles.includes(role))) return false;
      return a !== 'submit' || mayManageZone(p, { id: r.zone_id, committeeOrgId: r.zone_committee_org_id });
    });
  }

  private summary(p: Principal, r: CommitmentRow): CommitmentDto {
    return {
      id: r.id, planId: r.plan_id, state: r.state,
      ...(r.pdf_sha256 ? { pdfSha256: r.pdf_sha256 } : {}),
      zoneId: r.zone_id, zoneCode: r.zone_code, zoneName: r.zone_name, planVersion: r.plan_version, documentNumber: r.document_number,
      signatoryName: r.signatory_name, signatoryTitle: r.signatory_title, extraClauses: r.extra_clauses,
      signedAt: toIsoOffset(r.signed_at), decidedAt: toIsoOffset(r.decided_at), rejectReason: r.reject_reason, createdAt: toIsoOffset(r.created_at),
      allowedActions: this.actionsFor(p, r),
    };
  }

  private async facts(m: EntityManager, r: { plan: PlanForCommitment; signatoryName: string; signatoryTitle: string; extraClauses: string[]; at: Date }): Promise<LetterFacts> {
    return {
      bureauName: await this.repo.bureauName(m),
      committeeName: r.plan.committee_name ?? `${r.plan.zone_name}管理委员会`,
      zoneName: r.plan.zone_name,
      zoneCode: r.plan.zone_code,
      planVersion: r.plan.version,
      documentNumber: r.plan.document_number ?? '—',
      releaseAreas: await this.repo.releaseAreas(m, r.plan.id),
      signatoryName: r.signatoryName,
      signatoryTitle: r.signatoryTitle,
      dateZh: shanghaiDateZh(r.at),
      extraClauses: r.extraClauses,
    };
  }

  private async detail(p: Principal, m: EntityManager, r: CommitmentRow): Promise<CommitmentDetailDto> {
    const plan = (await this.repo.findPlan(m, r.plan_id))!;
    const facts = await this.facts(m, {
      plan, signatoryName: r.signatory_name, signatoryTitle: r.signatory_title, extraClauses: r.extra_clauses, at: r.signed_at ?? this.clock.now(),
    });
    // a submitted letter shows exactly what was frozen; a draft shows the live preview
    const letter = r.letter_text ? (JSON.parse(r.letter_text) as LetterText) : composeLetter(facts);
    const totalM2 = facts.releaseAreas.reduce((s, a) => s + a.m2, 0);
    return {
      ...this.summary(p, r),
      letter,
      releaseAreas: facts.releaseAreas.map((a) => ({ label: a.label, ...areaFigures(a.m2) })),
      releaseMu: round(totalM2 / (10000 / 15), 2),
    };
  }

  async list(p: Principal, q: CommitmentListQuery): Promise<CommitmentDto[]> {
    const params = new SqlParams();
    const rows = await this.repo.list(readablePredicate(this.scope, p, 'z', params), params, q);
    return rows.map((r) => this.summary(p, r));
  }

  async get(p: Principal, id: string): Promise<CommitmentDetailDto> {
    const r = await this.row(p, id);
    return this.detail(p, this.db.manager, r);
  }

  async assertCanRead(p: Principal, id: string): Promise<void> {
    await this.row(p, id);
  }

  async pdf(p: Principal, id: string): Promise<{ bytes: Buffer; sha256: string; name: string }> {
    const r = await this.row(p, id);
    if (!r.storage_key || !r.pdf_sha256) throw new AppException('commitment_pdf_missing', 409, {}, { state: r.state });
    return { bytes: await this.storage.get(r.storage_key), sha256: r.pdf_sha256, name: `${r.zone_name}承诺书-v${r.plan_version}.pdf` };
  }

  /** Re-reads the stored PDF and hashes it again: proof that the letter is the one submitted. */
  async verify(p: Principal, id: string): Promise<VerifyResultDto> {
    const f = await this.pdf(p, id);
    const actual = createHash('sha256').update(f.bytes).digest('hex');
    return { ok: actual === f.sha256, recordedSha256: f.sha256, actualSha256: actual, bytes: f.bytes.length };
  }

  /**
   * The letter exactly as `composeLetter` will freeze it if submitted today, for the form's live preview.
   * The same checks as drafting (own zone, issued plan with release land), but nothing is written.
   */
  async preview(p: Principal, dto: PreviewCommitmentDto): Promise<CommitmentPreviewDto> {
    const m = this.db.manager;
    const plan = await this.repo.findPlan(m, dto.planId);
    if (!plan || !mayManageZone(p, { id: plan.zone_id, committeeOrgId: plan.committee_org_id })) throw notFound('zoning_plan_not_found');
    if (plan.state !== 'issued') throw new AppException('commitment_plan_not_issued', 409, { state: plan.state }, { state: plan.state });
    const now = this.clock.now();
    const facts = await this.facts(m, {
      plan, signatoryName: dto.signatoryName?.trim() || BLANK, signatoryTitle: dto.signatoryTitle?.trim() || BLANK, extraClauses: dto.extraClauses ?? [], at: now,
    });
    if (facts.releaseAreas.length === 0) throw new AppException('commitment_no_release_land', 409);
    const totalM2 = facts.releaseAreas.reduce((s, a) => s + a.m2, 0);
    return {
      planId: plan.id, planVersion: plan.version, documentNumber: plan.document_number,
      letterDate: shanghaiIsoDate(now),
      letter: composeLetter(facts),
      releaseAreas: facts.releaseAreas.map((a) => ({ label: a.label, ...areaFigures(a.m2) })),
      releaseMu: round(totalM2 / (10000 / 15), 2),
    };
  }

  // ---------------------------------------------------------------- writes

  async create(actor: Actor, dto: CreateCommitmentDto): Promise<CommitmentDetailDto> {
    const p = actor.principal!;
    return this.db.transaction(async (m) => {
      const plan = await this.repo.findPlan(m, dto.planId, { lock: true });
      // a plan of another zone looks like no plan at all
      if (!plan || !mayManageZone(p, { id: plan.zone_id, committeeOrgId: plan.committee_org_id })) throw notFound('zoning_plan_not_found');
      if (plan.state !== 'issued') throw new AppException('commitment_plan_not_issued', 409, { state: plan.state }, { state: plan.state });
      if ((await this.repo.releaseAreas(m, plan.id)).length === 0) throw new AppException('commitment_no_release_land', 409);
      const id = await this.repo.insert(m, {
        planId: plan.id, zoneId: plan.zone_id, signatoryName: dto.signatoryName.trim(), signatoryTitle: dto.signatoryTitle.trim(),
        extraClauses: dto.extraClauses ?? [], createdBy: p.userId,
      });
      const r = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, {
        action: 'commitment.create', entityType: 'commitment', entityId: id,
        after: { planId: plan.id, planVersion: plan.version, zoneId: plan.zone_id, signatoryName: r.signatory_name, signatoryTitle: r.signatory_title, extraClauses: r.extra_clauses },
      });
      return this.detail(p, m, r);
    });
  }

  async update(actor: Actor, id: string, dto: UpdateCommitmentDto): Promise<CommitmentDetailDto> {
    const p = actor.principal!;
    return this.db.transaction(async (m) => {
      const before = await this.row(p, id, m, true);
      if (!mayManageZone(p, { id: before.zone_id, committeeOrgId: before.zone_committee_org_id })) throw forbiddenScope();
      if (before.state !== 'draft') {
        throw new AppException('commitment_frozen', 409, { state: before.state }, { state: before.state, allowedActions: allowedActions(COMMITMENT_TRANSITIONS, before.state) });
      }
      const next = {
        signatoryName: dto.signatoryName?.trim() ?? before.signatory_name,
        signatoryTitle: dto.signatoryTitle?.trim() ?? before.signatory_title,
        extraClauses: dto.extraClauses ?? before.extra_clauses,
      };
      if (!(await this.repo.updateDraft(m, id, next))) throw new AppException('commitment_frozen', 409, { state: 'submitted' });
      await this.audit.record(m, actor, {
        action: 'commitment.update', entityType: 'commitment', entityId: id,
        before: { signatoryName: before.signatory_name, signatoryTitle: before.signatory_title, extraClauses: before.extra_clauses },
        after: next,
      });
      return this.detail(p, m, (await this.repo.findById(m, id))!);
    });
  }

  async act(actor: Actor, id: string, action: CommitmentAction, body: CommitmentActionDto): Promise<CommitmentDetailDto> {
    const p = actor.principal!;
    return this.db.transaction(async (m) => {
      const r = await this.row(p, id, m, true);
      const rule = checkTransition(COMMITMENT_TRANSITIONS, action, r.state, p);
      const now = this.clock.now();
      const cas = (extraSet: string, extraParams: unknown[]): Promise<void> =>
        compareAndSetState(m, { table: 'commitments', id, from: r.state, to: rule.to, action, transitions: COMMITMENT_TRANSITIONS, extraSet, extraParams });
      let after: Record<string, unknown> = { state: rule.to };
      switch (action) {
        case 'submit': {
          if (!mayManageZone(p, { id: r.zone_id, committeeOrgId: r.zone_committee_org_id })) throw forbiddenScope();
          const plan = (await this.repo.findPlan(m, r.plan_id, { lock: true }))!;
          if (plan.state !== 'issued') throw new AppException('commitment_plan_not_issued', 409, { state: plan.state }, { state: plan.state });
          const facts = await this.facts(m, { plan, signatoryName: r.signatory_name, signatoryTitle: r.signatory_title, extraClauses: r.extra_clauses, at: now });
          const letter = composeLetter(facts);
          const pdf = await renderCommitmentPdf(facts, letter, { commitmentId: id, signedAt: now });
          // the file is written before the row commits; a rolled-back submit leaves an unreferenced file, never a row without its file
          const stored = await this.storage.put('commitments', pdf, 'application/pdf');
          const fileId = await this.repo.insertStoredFile(m, {
            key: stored.key, sha256: stored.sha256, bytes: stored.bytes, contentType: 'application/pdf',
            originalName: `${facts.zoneName}承诺书-v${facts.planVersion}.pdf`, createdBy: p.userId,
          });
          await cas(this.repo.freezeSet(4), [JSON.stringify(letter), fileId, stored.sha256, now, p.userId]);
          after = { state: rule.to, pdfSha256: stored.sha256, fileId, signedAt: toIsoOffset(now), releaseAreas: facts.releaseAreas };
          break;
        }
        case 'accept':
          await cas('decided_at = $4, decided_by = $5', [now, p.userId]);
          after = { state: rule.to, decidedAt: toIsoOffset(now) };
          break;
        case 'reject': {
          const reason = body.reason?.trim();
          if (!reason) throw new AppException('commitment_reason_required', 400);
          await cas('decided_at = $4, decided_by = $5, reject_reason = $6', [now, p.userId, reason]);
          after = { state: rule.to, decidedAt: toIsoOffset(now), reason };
          break;
        }
      }
      await this.audit.record(m, actor, {
        action: `commitment.${action}`, entityType: 'commitment', entityId: id, reason: body.reason ?? null,
        before: { state: r.state }, after,
      });
      return this.detail(p, m, (await this.repo.findById(m, id))!);
    });
  }

  // ---------------------------------------------------------------- released land per zone

  /**
   * DOMAIN.md §4.3: released = the issued plan's release areas ∩ the land covered by ACCEPTED letters of the
   * zone (any plan version, so land committed under v1 stays released under v2); the rest is pending.
   */
  async releaseStatus(p: Principal, zoneId: string): Promise<ReleaseStatusDto> {
    await this.zones.get(p, zoneId);
    if (!maySeeZoning(p)) throw forbiddenRole();
    const params = new SqlParams();
    const plan = await this.repo.issuedPlan(this.db.manager, zoneId, this.zoningVisibility.readable(p, 'zp', 'z', params), params);
    const zero = { m2: 0, mu: 0, ha: 0 };
    if (!plan) {
      return {
        zoneId, planId: null, planVersion: null, documentNumber: null, release: zero, released: zero, pendingCommitment: zero,
        releasedGeometry: null, pendingGeometry: null, acceptedCommitments: [],
      };
    }
    const s = await this.repo.releaseStatus(this.db.manager, zoneId, plan.id);
    const fig = (m2: number): { m2: number; mu: number; ha: number } => {
      const f = areaFigures(Number(m2));
      return { m2: f.areaM2, mu: f.areaMu, ha: f.areaHa };
    };
    return {
      zoneId, planId: plan.id, planVersion: plan.version, documentNumber: plan.document_number,
      release: fig(s.release_m2), released: fig(s.released_m2), pendingCommitment: fig(s.pending_m2),
      releasedGeometry: parseGeometry(s.released), pendingGeometry: parseGeometry(s.pending),
      acceptedCommitments: await this.repo.acceptedForZone(this.db.manager, zoneId),
    };
  }
}
