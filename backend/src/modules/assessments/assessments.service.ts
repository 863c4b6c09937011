import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { AppException, forbiddenRole, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { checkTransition, compareAndSetState } from '../workflow/transitions';
import {
  ASSESSMENT_TRANSITIONS, AssessmentAction, RECORDING_STATES, TeamMember, mayDriveAssessment, mayManageTeam, mayRecordEvidence,
} from './assessment-transitions';
import { AddMemberDto, AssessmentDetailDto, AssessmentDto, CreateAssessmentDto } from './assessments.dto';
import { AssessmentRef, AssessmentsRepository } from './assessments.repository';
import { evidencePredicate } from './evidence-scope';

registerMessages({
  assessment_not_found: { 'zh-CN': '评估不存在', en: 'No such assessment' },
  assessment_not_applicable: {
    'zh-CN': '农业类/文旅类开发区不做整体评估，单个建设项目需单独申请考古调查勘探',
    en: 'Agricultural and cultural-tourism zones are not assessed as a whole; each construction project there applies individually for archaeological survey and exploration',
  },
  assessment_already_open: {
    'zh-CN': '该开发区已有进行中的评估（状态：{state}），完成后才能重新评估',
    en: 'This zone already has an assessment under way (state: {state}); reassess only after it concludes',
  },
  assessment_not_team_member: {
    'zh-CN': '只有评估组成员（或审核人员）才能执行此操作',
    en: 'Only members of the assessment team (or reviewers) may do this',
  },
  assessment_team_lead_only: { 'zh-CN': '只有评估组组长或审核人员才能调整评估组', en: 'Only the team lead or a reviewer may change the team' },
  assessment_not_recording: {
    'zh-CN': '评估当前状态为“{state}”，不能记录调查或勘探数据（仅在调查、勘探、分区阶段可以）',
    en: 'The assessment is "{state}"; survey and coring data can be recorded only while surveying, coring or zoning',
  },
  assessment_member_not_assessor: {
    'zh-CN': '评估组成员必须是有效的评估人员账号：{ids}',
    en: 'Team members must be active assessor accounts: {ids}',
  },
  assessment_last_lead: { 'zh-CN': '评估组至少需要一名组长', en: 'The team needs at least one lead' },
  assessment_concluded: { 'zh-CN': '评估已结束，评估组不能再调整', en: 'The assessment has concluded; its team can no longer change' },
  assessment_member_not_found: { 'zh-CN': '该用户不是评估组成员', en: 'That user is not on the team' },
});

@Injectable()
export class AssessmentsService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: AssessmentsRepository,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(p: Principal, zoneId: string | undefined): Promise<AssessmentDto[]> {
    const params = new SqlParams();
    return this.repo.list(evidencePredicate(this.scope, p, 'z.division_code', params), params, zoneId);
  }

  async get(p: Principal, id: string): Promise<AssessmentDetailDto> {
    const params = new SqlParams();
    const a = await this.repo.findById(this.db.manager, id, evidencePredicate(this.scope, p, 'z.division_code', params), params);
    if (!a) throw notFound('assessment_not_found');
    return { ...a, counts: await this.repo.counts(id) };
  }

  async create(actor: Actor, dto: CreateAssessmentDto): Promise<AssessmentDto> {
    const p = actor.principal!;
    await this.scope.assertZoneReadable(p, dto.zoneId).catch(() => {
      throw notFound('zone_not_found');
    });
    return this.db.transaction(async (m) => {
      const zone = await this.repo.zoneForAssessment(m, dto.zoneId);
      if (!zone) throw notFound('zone_not_found');
      if (zone.category !== 'industrial') throw new AppException('assessment_not_applicable', 409, {}, { category: zone.category });
      const open = await this.repo.openAssessmentOf(m, zone.id);
      if (open) throw new AppException('assessment_already_open', 409, { state: open.state }, { assessmentId: open.id, state: open.state });

      const requested = [...new Set(dto.memberIds ?? [])];
      const team: TeamMember[] = [];
      if (p.roles.includes('assessor')) team.push({ userId: p.userId, teamRole: 'lead' });
      for (const id of requested) if (!team.some((t) => t.userId === id)) team.push({ userId: id, teamRole: team.length === 0 ? 'lead' : 'member' });
      const valid = new Set(await this.repo.activeAssessors(m, team.map((t) => t.userId)));
      const invalid = team.filter((t) => !valid.has(t.userId)).map((t) => t.userId);
      if (invalid.length) throw new AppException('assessment_member_not_assessor', 422, { ids: invalid.join(', ') }, { userIds: invalid });

      const now = this.clock.now();
      const id = await this.repo.insert(m, { zoneId: zone.id, title: dto.title ?? null, createdBy: p.userId, now });
      await this.repo.upsertMembers(m, id, team, now);
      const after = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, { action: 'assessment.create', entityType: 'assessment', entityId: id, after });
      return after;
    });
  }

  async act(actor: Actor, id: string, action: AssessmentAction, reason: string | undefined): Promise<AssessmentDto> {
    const p = actor.principal!;
    await this.get(p, id); // 404 outside the reader's scope
    return this.db.transaction(async (m) => {
      // the row lock makes the compare-and-set below the only writer of this assessment's state
      const ref = await this.repo.lockRef(m, id);
      if (!ref) throw notFound('assessment_not_found');
      const rule = checkTransition(ASSESSMENT_TRANSITIONS, action, ref.state, p);
      if (!mayDriveAssessment(p, ref.team)) throw new AppException('assessment_not_team_member', 403);
      const before = (await this.repo.findById(m, id))!;
      const now = this.clock.now();
      // compareAndSetState sets updated_at itself; the workflow dates come from the injectable clock
      const stamp =
        rule.to === 'surveying' ? { extraSet: 'row_version = row_version + 1, started_at = coalesce(started_at, $4::timestamptz)', extraParams: [now] }
        : rule.to === 'concluded' ? { extraSet: 'row_version = row_version + 1, concluded_at = $4::timestamptz', extraParams: [now] }
        : { extraSet: 'row_version = row_version + 1', extraParams: [] };
      await compareAndSetState(m, { table: 'assessments', id, from: ref.state, to: rule.to, action, transitions: ASSESSMENT_TRANSITIONS, ...stamp });
      const after = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, {
        action: `assessment.${action}`, entityType: 'assessment', entityId: id, reason: reason ?? null,
        before: { state: before.state }, after: { state: after.state, startedAt: after.startedAt, concludedAt: after.concludedAt },
      });
      return after;
    });
  }

  async addMember(actor: Actor, id: string, dto: AddMemberDto): Promise<AssessmentDto> {
    const p = actor.principal!;
    await this.get(p, id);
    return this.db.transaction(async (m) => {
      const ref = await this.lockForTeamChange(m, p, id);
      const valid = await this.repo.activeAssessors(m, [dto.userId]);
      if (!valid.length) throw new AppException('assessment_member_not_assessor', 422, { ids: dto.userId }, { userIds: [dto.userId] });
      const teamRole = dto.teamRole ?? 'member';
      const wasLead = ref.team.some((t) => t.userId === dto.userId && t.teamRole === 'lead');
      if (wasLead && teamRole !== 'lead' && ref.team.filter((t) => t.teamRole === 'lead').length === 1) throw new AppException('assessment_last_lead', 409);
      const now = this.clock.now();
      await this.repo.upsertMembers(m, id, [{ userId: dto.userId, teamRole }], now);
      await this.repo.touch(m, id, now);
      const after = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, {
        action: 'assessment.member.add', entityType: 'assessment', entityId: id,
        before: { members: ref.team }, after: { members: after.members.map((x) => ({ userId: x.userId, teamRole: x.teamRole })) },
      });
      return after;
    });
  }

  async removeMember(actor: Actor, id: string, userId: string): Promise<AssessmentDto> {
    const p = actor.principal!;
    await this.get(p, id);
    return this.db.transaction(async (m) => {
      const ref = await this.lockForTeamChange(m, p, id);
      const member = ref.team.find((t) => t.userId === userId);
      if (!member) throw notFound('assessment_member_not_found');
      if (member.teamRole === 'lead' && ref.team.filter((t) => t.teamRole === 'lead').length === 1) throw new AppException('assessment_last_lead', 409);
      await this.repo.removeMember(m, id, userId);
      await this.repo.touch(m, id, this.clock.now());
      const after = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, {
        action: 'assessment.member.remove', entityType: 'assessment', entityId: id,
        before: { members: ref.team }, after: { members: after.members.map((x) => ({ userId: x.userId, teamRole: x.teamRole })) },
      });
      return after;
    });
  }

  private async lockForTeamChange(m: EntityManager, p: Principal, id: string): Promise<AssessmentRef> {
    const ref = await this.repo.lockRef(m, id);
    if (!ref) throw notFound('assessment_not_found');
    if (!mayManageTeam(p, ref.team)) throw new AppException('assessment_team_lead_only', 403);
    if (ref.state === 'concluded') throw new AppException('assessment_concluded', 409);
    return ref;
  }

  /**
   * For evidence writers (tracks, observations, photos, cores): locks the assessment (share lock would do,
   * but the row lock also orders writes against state changes), then requires an assessor on its team and a
   * recording state. 404 when the caller may not even read it.
   */
  async assertCanRecord(m: EntityManager, p: Principal, assessmentId: string): Promise<AssessmentRef> {
    if (!p.roles.includes('assessor')) throw forbiddenRole();
    const params = new SqlParams([assessmentId]);
    const readable: unknown[] = await m.query(
      `SELECT 1 FROM assessments a JOIN zones z ON z.id = a.zone_id WHERE a.id = $1 AND ${evidencePredicate(this.scope, p, 'z.division_code', params)}`,
      params.values,
    );
    if (!readable.length) throw notFound('assessment_not_found');
    const ref = await this.repo.lockRef(m, assessmentId);
    if (!ref) throw notFound('assessment_not_found');
    if (!mayRecordEvidence(p, ref.team)) throw new AppException('assessment_not_team_member', 403);
    if (!RECORDING_STATES.includes(ref.state)) throw new AppException('assessment_not_recording', 409, { state: ref.state }, { state: ref.state });
    return ref;
  }
}
