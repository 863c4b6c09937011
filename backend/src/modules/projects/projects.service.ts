import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppException, forbiddenScope, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { hasRole, Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';
import { committeeZonePredicate, contractorOrgIds } from '../parcels/parcel-visibility';
import { mayManageZone, ParcelsService } from '../parcels/parcels.service';
import { ContractorOrgDto, CreateProjectDto, ProjectDetailDto, ProjectDto, ProjectListQuery } from './projects.dto';
import { ProjectsRepository } from './projects.repository';

registerMessages({
  project_not_found: { 'zh-CN': '施工项目不存在', en: 'No such construction project' },
  project_parcel_not_transferred: {
    'zh-CN': '地块“{code}”尚未办理土地出让，不能登记施工项目',
    en: 'Parcel "{code}" has not been transferred; no construction project can be registered on it',
  },
  project_contractor_invalid: { 'zh-CN': '施工单位必须是“施工单位”类型的机构', en: 'The contractor must be an organisation of type contractor' },
});

@Injectable()
export class ProjectsService implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly repo: ProjectsRepository,
    private readonly parcels: ParcelsService,
    private readonly scope: ScopeService,
    private readonly audit: AuditService,
  ) {}

  /** A contractor sees the zones its projects are in (the outline only: zoning stays hidden from it). */
  onModuleInit(): void {
    this.scope.extendZoneVisibility((p, alias, params) => {
      const orgs = hasRole(p, 'contractor') ? contractorOrgIds(p) : [];
      if (!orgs.length) return null;
      return `EXISTS (SELECT 1 FROM projects pr_v WHERE pr_v.zone_id = ${alias}.id AND pr_v.contractor_org_id = ANY(${params.add(orgs)}::uuid[]))`;
    });
  }

  /** Contractors: their org's projects; committees: their zone's; reviewers, assessors, admin: all; authority: its division tree. */
  private readable(p: Principal, params: SqlParams): string {
    if (hasRole(p, 'admin')) return 'TRUE';
    const parts: string[] = [];
    if (hasRole(p, 'assessor', 'reviewer')) parts.push(this.scope.divisionPredicate(p, ['assessor', 'reviewer'], 'z.division_code', params));
    if (hasRole(p, 'authority_officer')) parts.push(this.scope.divisionPredicate(p, ['authority_officer'], 'z.division_code', params));
    if (hasRole(p, 'committee_officer')) parts.push(committeeZonePredicate(p, 'z', params));
    if (hasRole(p, 'contractor')) {
      const orgs = contractorOrgIds(p);
      if (orgs.length) parts.push(`pr.contractor_org_id = ANY(${params.add(orgs)}::uuid[])`);
    }
    return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
  }

  list(p: Principal, q: ProjectListQuery): Promise<ProjectDto[]> {
    const params = new SqlParams();
    return this.repo.list(this.readable(p, params), params, q);
  }

  async get(p: Principal, id: string): Promise<ProjectDetailDto> {
    const params = new SqlParams();
    const r = await this.repo.findById(this.db.manager, id, this.readable(p, params), params);
    if (!r) throw notFound('project_not_found');
    return r;
  }

  async assertCanRead(p: Principal, id: string): Promise<void> {
    await this.get(p, id);
  }

  /** The contractors a committee may choose from when it registers a project. */
  contractorOrgs(): Promise<ContractorOrgDto[]> {
    return this.repo.contractorOrgs();
  }

  async create(actor: Actor, dto: CreateProjectDto): Promise<ProjectDetailDto> {
    const p = actor.principal!;
    return this.db.transaction(async (m) => {
      const parcel = await this.parcels.find(p, dto.parcelId, m, { lock: true });
      if (!mayManageZone(p, { id: parcel.zoneId, committeeOrgId: parcel.committeeOrgId })) throw forbiddenScope();
      if (!parcel.transferredAt) throw new AppException('project_parcel_not_transferred', 409, { code: parcel.code }, { parcelId: parcel.id, transferredAt: null });
      if ((await this.repo.orgType(m, dto.contractorOrgId)) !== 'contractor') throw new AppException('project_contractor_invalid', 422);
      const id = await this.repo.insert(m, { parcelId: parcel.id, zoneId: parcel.zoneId, name: dto.name.trim(), contractorOrgId: dto.contractorOrgId, createdBy: p.userId });
      const created = (await this.repo.findById(m, id))!;
      await this.audit.record(m, actor, {
        action: 'project.create', entityType: 'project', entityId: id,
        after: { name: created.name, parcelId: created.parcelId, zoneId: created.zoneId, contractor: created.contractor, state: created.state },
      });
      return created;
    });
  }
}
