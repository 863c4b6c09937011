import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, APP_CONFIG } from '../../infra/config/config';
import { Clock } from '../../infra/clock/clock';
import { AppException, forbiddenScope, notFound } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { Actor, AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { hashPassword, passwordMeetsPolicy } from '../auth/password';
import { Principal, Role, ScopeType } from '../auth/roles';
import {
  ApiKeyDto, CreateApiKeyDto, CreateDivisionDto, CreateOrgDto, CreateServiceAccountDto, CreateUserDto, CreatedApiKeyDto,
  DivisionDto, OrgDto, RoleAssignmentInput, UpdateOrgDto, UpdateUserDto, UserDto,
} from './accounts.dto';
import { AccountsRepository } from './accounts.repository';

registerMessages({
  username_taken: { 'zh-CN': '用户名“{username}”已被使用', en: 'The username "{username}" is already taken' },
  org_not_found: { 'zh-CN': '机构不存在', en: 'No such organisation' },
  org_name_taken: { 'zh-CN': '机构名称“{name}”已存在', en: 'An organisation named "{name}" already exists' },
  user_not_found: { 'zh-CN': '用户不存在', en: 'No such user' },
  division_not_found: { 'zh-CN': '行政区划 {code} 不存在', en: 'Administrative division {code} does not exist' },
  division_exists: { 'zh-CN': '行政区划 {code} 已存在', en: 'Administrative division {code} already exists' },
  zone_not_found: { 'zh-CN': '开发区不存在', en: 'No such development zone' },
  api_key_not_found: { 'zh-CN': 'API 密钥不存在或已吊销', en: 'No such API key, or it is already revoked' },
  password_policy: {
    'zh-CN': '密码至少 {min} 位，且包含大写字母、小写字母、数字、符号中的至少 {classes} 类',
    en: 'Passwords need at least {min} characters from at least {classes} of: upper case, lower case, digits, symbols',
  },
  role_scope_mismatch: {
    'zh-CN': '角色“{role}”不能使用“{scopeType}”范围（允许：{allowed}）',
    en: 'Role "{role}" cannot have a "{scopeType}" scope (allowed: {allowed})',
  },
  scope_target_missing: { 'zh-CN': '范围“{scopeType}”缺少{field}', en: 'A "{scopeType}" scope needs {field}' },
  role_org_mismatch: {
    'zh-CN': '角色“{role}”只能授予{orgTypes}类型机构的用户',
    en: 'Role "{role}" can only be given to users of {orgTypes} organisations',
  },
});

/** Which scope each role may carry, and which organisations may hold it (DOMAIN.md §3). */
const ROLE_RULES: Record<Role, { scopes: ScopeType[]; orgTypes: string[] }> = {
  admin: { scopes: ['province'], orgTypes: ['bureau'] },
  assessor: { scopes: ['province', 'division'], orgTypes: ['institute', 'bureau', 'local_authority'] },
  reviewer: { scopes: ['province'], orgTypes: ['bureau'] },
  authority_officer: { scopes: ['division'], orgTypes: ['local_authority'] },
  committee_officer: { scopes: ['org', 'zone'], orgTypes: ['zone_committee'] },
  contractor: { scopes: ['org'], orgTypes: ['contractor'] },
  integrator: { scopes: ['province'], orgTypes: ['bureau', 'institute', 'local_authority', 'zone_committee', 'contractor'] },
};

@Injectable()
export class AccountsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly repo: AccountsRepository,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly clock: Clock,
  ) {}

  listDivisions(): Promise<DivisionDto[]> {
    return this.repo.listDivisions();
  }

  async createDivision(actor: Actor, dto: CreateDivisionDto): Promise<DivisionDto> {
    return this.db.transaction(async (m) => {
      if (await this.repo.findDivisionPath(m, dto.code)) throw new AppException('division_exists', 409, { code: dto.code });
      let path = dto.code;
      if (dto.parentCode) {
        const parentPath = await this.repo.findDivisionPath(m, dto.parentCode);
        if (!parentPath) throw new AppException('division_not_found', 422, { code: dto.parentCode });
        path = `${parentPath}.${dto.code}`;
      }
      const d = { code: dto.code, name: dto.name, nameEn: dto.nameEn ?? null, parentCode: dto.parentCode ?? null, level: dto.level, path };
      await this.repo.insertDivision(m, d);
      await this.audit.record(m, actor, { action: 'division.create', entityType: 'division', entityId: dto.code, after: d });
      return { code: d.code, name: d.name, nameEn: d.nameEn, parentCode: d.parentCode, level: d.level };
    });
  }

  listOrgs(): Promise<OrgDto[]> {
    return this.repo.listOrgs();
  }

  async createOrg(actor: Actor, dto: CreateOrgDto): Promise<OrgDto> {
    const id = await this.db.transaction(async (m) => {
      if (!(await this.repo.findDivisionPath(m, dto.divisionCode))) throw new AppException('division_not_found', 422, { code: dto.divisionCode });
      const exists: unknown[] = await m.query(`SELECT 1 FROM organizations WHERE name = $1`, [dto.name]);
      if (exists.length) throw new AppException('org_name_taken', 409, { name: dto.name });
      const newId = await this.repo.insertOrg(m, { type: dto.type, name: dto.name, nameEn: dto.nameEn ?? null, divisionCode: dto.divisionCode });
      await this.audit.record(m, actor, { action: 'org.create', entityType: 'org', entityId: newId, after: dto });
      return newId;
    });
    return (await this.repo.listOrgs()).find((o) => o.id === id)!;
  }

  async updateOrg(actor: Actor, id: string, dto: UpdateOrgDto): Promise<OrgDto> {
    await this.db.transaction(async (m) => {
      const before = await this.repo.findOrg(m, id);
      if (!before) throw notFound('org_not_found');
      const after = { name: dto.name ?? before.name, nameEn: dto.nameEn ?? before.nameEn, divisionCode: dto.divisionCode ?? before.divisionCode };
      if (!(await this.repo.findDivisionPath(m, after.divisionCode))) throw new AppException('division_not_found', 422, { code: after.divisionCode });
      await this.repo.updateOrg(m, id, after);
      await this.audit.record(m, actor, { action: 'org.update', entityType: 'org', entityId: id, before, after });
    });
    return (await this.repo.listOrgs()).find((o) => o.id === id)!;
  }

  /** An organisation's members: admins see any org, everyone else only their own. */
  async listOrgUsers(p: Principal, orgId: string): Promise<UserDto[]> {
    if (!p.roles.includes('admin') && p.org.id !== orgId) throw forbiddenScope();
    if (!(await this.repo.findOrg(this.db.manager, orgId))) throw notFound('org_not_found');
    return this.repo.listUsers(orgId);
  }

  listUsers(): Promise<UserDto[]> {
    return this.repo.listUsers();
  }

  async getUser(id: string): Promise<UserDto> {
    const u = await this.repo.findUser(this.db.manager, id);
    if (!u) throw notFound('user_not_found');
    return u;
  }

  private assertPassword(password: string): void {
    const { minLength, requireClasses } = this.config.passwordPolicy;
    if (!passwordMeetsPolicy(password, this.config.passwordPolicy)) {
      throw new AppException('validation_failed', 400, {}, [
        { field: 'password', constraint: 'passwordPolicy', fallback: 'password too weak', params: { min: minLength, classes: requireClasses } },
      ]);
    }
  }

  private async assertRoles(m: EntityManager, orgType: string, roles: RoleAssignmentInput[]): Promise<void> {
    for (const r of roles) {
      const rule = ROLE_RULES[r.role];
      if (!rule.scopes.includes(r.scopeType)) {
        throw new AppException('role_scope_mismatch', 422, { role: r.role, scopeType: r.scopeType, allowed: rule.scopes });
      }
      if (!rule.orgTypes.includes(orgType)) throw new AppException('role_org_mismatch', 422, { role: r.role, orgTypes: rule.orgTypes });
      if (r.scopeType === 'province' || r.scopeType === 'division') {
        if (!r.divisionCode) throw new AppException('scope_target_missing', 422, { scopeType: r.scopeType, field: 'divisionCode' });
        if (!(await this.repo.findDivisionPath(m, r.divisionCode))) throw new AppException('division_not_found', 422, { code: r.divisionCode });
      }
      if (r.scopeType === 'zone') {
        if (!r.zoneId) throw new AppException('scope_target_missing', 422, { scopeType: r.scopeType, field: 'zoneId' });
        if (!(await this.repo.existsZone(m, r.zoneId))) throw new AppException('zone_not_found', 422);
      }
      if (r.scopeType === 'org') {
        if (!r.orgId) throw new AppException('scope_target_missing', 422, { scopeType: r.scopeType, field: 'orgId' });
        if (!(await this.repo.findOrg(m, r.orgId))) throw new AppException('org_not_found', 422);
      }
      // only the fields of the chosen scope type are stored
      if (r.scopeType !== 'province' && r.scopeType !== 'division') delete r.divisionCode;
      if (r.scopeType !== 'zone') delete r.zoneId;
      if (r.scopeType !== 'org') delete r.orgId;
    }
  }

  async createUser(actor: Actor, dto: CreateUserDto): Promise<UserDto> {
    this.assertPassword(dto.password);
    const passwordHash = await hashPassword(dto.password);
    return this.db.transaction(async (m) => {
      const org = await this.repo.findOrg(m, dto.orgId);
      if (!org) throw new AppException('org_not_found', 422);
      if (await this.repo.usernameTaken(m, dto.username)) throw new AppException('username_taken', 409, { username: dto.username });
      await this.assertRoles(m, org.type, dto.roles);
      const id = await this.repo.insertUser(m, {
        username: dto.username, displayName: dto.displayName, passwordHash, orgId: dto.orgId, isServiceAccount: false, at: this.clock.now(),
      });
      await this.repo.replaceRoles(m, id, dto.roles);
      const user = (await this.repo.findUser(m, id))!;
      await this.audit.record(m, actor, { action: 'user.create', entityType: 'user', entityId: id, after: user });
      return user;
    });
  }

  async updateUser(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserDto> {
    if (dto.password !== undefined) this.assertPassword(dto.password);
    const passwordHash = dto.password !== undefined ? await hashPassword(dto.password) : undefined;
    return this.db.transaction(async (m) => {
      const before = await this.repo.findUser(m, id);
      if (!before) throw notFound('user_not_found');
      if (dto.roles) {
        const org = (await this.repo.findOrg(m, before.orgId))!;
        await this.assertRoles(m, org.type, dto.roles);
        await this.repo.replaceRoles(m, id, dto.roles);
      }
      const now = this.clock.now();
      await this.repo.updateUser(m, id, { displayName: dto.displayName, isActive: dto.isActive, passwordHash, at: now });
      // a deactivated user or a new password ends every open session
      if (dto.isActive === false || passwordHash) await this.repo.revokeUserSessions(m, id, now);
      const after = (await this.repo.findUser(m, id))!;
      await this.audit.record(m, actor, {
        action: 'user.update', entityType: 'user', entityId: id, before, after: { ...after, passwordChanged: passwordHash !== undefined },
      });
      return after;
    });
  }

  async unlockUser(actor: Actor, id: string): Promise<UserDto> {
    return this.db.transaction(async (m) => {
      const before = await this.repo.findUser(m, id);
      if (!before) throw notFound('user_not_found');
      await this.repo.unlockUser(m, id);
      const after = (await this.repo.findUser(m, id))!;
      await this.audit.record(m, actor, { action: 'user.unlock', entityType: 'user', entityId: id, before: { lockedUntil: before.lockedUntil }, after: { lockedUntil: null } });
      return after;
    });
  }

  /** Integrators are service accounts: no password, province-wide clearance role, API keys only. */
  async createServiceAccount(actor: Actor, dto: CreateServiceAccountDto): Promise<UserDto> {
    return this.db.transaction(async (m) => {
      const org = await this.repo.findOrg(m, dto.orgId);
      if (!org) throw new AppException('org_not_found', 422);
      if (await this.repo.usernameTaken(m, dto.username)) throw new AppException('username_taken', 409, { username: dto.username });
      const province: Array<{ code: string }> = await m.query(`SELECT code FROM divisions WHERE level = 'province' ORDER BY code LIMIT 1`);
      if (!province[0]) throw new AppException('division_not_found', 422, { code: 'province' });
      const id = await this.repo.insertUser(m, {
        username: dto.username, displayName: dto.displayName, passwordHash: null, orgId: dto.orgId, isServiceAccount: true, at: this.clock.now(),
      });
      await this.repo.replaceRoles(m, id, [{ role: 'integrator', scopeType: 'province', divisionCode: province[0].code }]);
      const user = (await this.repo.findUser(m, id))!;
      await this.audit.record(m, actor, { action: 'service_account.create', entityType: 'user', entityId: id, after: user });
      return user;
    });
  }

  async createApiKey(actor: Actor, userId: string, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const { key, prefix, hash } = this.auth.generateApiKey();
    return this.db.transaction(async (m) => {
      const user = await this.repo.findUser(m, userId);
      if (!user) throw notFound('user_not_found');
      if (!user.isServiceAccount) throw new AppException('user_not_found', 422);
      const id = await this.repo.insertApiKey(m, { userId, name: dto.name, prefix, keyHash: hash, createdBy: actor.principal!.userId, at: this.clock.now() });
      const [created] = await this.repo.listApiKeys(m, id);
      await this.audit.record(m, actor, { action: 'api_key.create', entityType: 'api_key', entityId: id, after: created });
      return { ...created!, key };
    });
  }

  listApiKeys(): Promise<ApiKeyDto[]> {
    return this.repo.listApiKeys();
  }

  async revokeApiKey(actor: Actor, id: string): Promise<ApiKeyDto> {
    return this.db.transaction(async (m) => {
      if (!(await this.repo.revokeApiKey(m, id, this.clock.now()))) throw notFound('api_key_not_found');
      const [after] = await this.repo.listApiKeys(m, id);
      await this.audit.record(m, actor, { action: 'api_key.revoke', entityType: 'api_key', entityId: id, after });
      return after!;
    });
  }
}
