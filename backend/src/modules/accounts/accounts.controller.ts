import { Body, Controller, Get, HttpCode, OnModuleInit, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { forbiddenRole } from '../../infra/http/app-exception';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, Authenticated, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import {
  ApiKeyDto, CreateApiKeyDto, CreateDivisionDto, CreateOrgDto, CreateServiceAccountDto, CreateUserDto, CreatedApiKeyDto,
  DivisionDto, OrgDto, UpdateOrgDto, UpdateUserDto, UserDto,
} from './accounts.dto';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class AccountsController implements OnModuleInit {
  constructor(
    private readonly accounts: AccountsService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    const adminOnly = async (p: Principal): Promise<void> => {
      if (!p.roles.includes('admin')) throw forbiddenRole();
    };
    this.history.register('users', { entityType: 'user', assertCanRead: adminOnly });
    this.history.register('orgs', { entityType: 'org', assertCanRead: adminOnly });
    this.history.register('api-keys', { entityType: 'api_key', assertCanRead: adminOnly });
  }

  @Get('divisions')
  @Authenticated()
  @ApiOperation({ summary: 'The register of administrative divisions (行政区划), as a flat tree' })
  @ApiOkResponse({ type: DivisionDto, isArray: true })
  divisions(): Promise<DivisionDto[]> {
    return this.accounts.listDivisions();
  }

  @Post('admin/divisions')
  @Access('admin')
  @ApiOkResponse({ type: DivisionDto })
  createDivision(@CurrentActor() actor: Actor, @Body() body: CreateDivisionDto): Promise<DivisionDto> {
    return this.accounts.createDivision(actor, body);
  }

  @Get('admin/orgs')
  @Access('admin')
  @ApiOkResponse({ type: OrgDto, isArray: true })
  orgs(): Promise<OrgDto[]> {
    return this.accounts.listOrgs();
  }

  @Post('admin/orgs')
  @Access('admin')
  @ApiOkResponse({ type: OrgDto })
  createOrg(@CurrentActor() actor: Actor, @Body() body: CreateOrgDto): Promise<OrgDto> {
    return this.accounts.createOrg(actor, body);
  }

  @Patch('admin/orgs/:id')
  @Access('admin')
  @ApiOkResponse({ type: OrgDto })
  updateOrg(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateOrgDto): Promise<OrgDto> {
    return this.accounts.updateOrg(actor, id, body);
  }

  @Get('orgs/:id/users')
  @Authenticated()
  @ApiOperation({ summary: "An organisation's users: admins any org, everyone else only their own" })
  @ApiOkResponse({ type: UserDto, isArray: true })
  orgUsers(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<UserDto[]> {
    return this.accounts.listOrgUsers(p, id);
  }

  @Get('admin/users')
  @Access('admin')
  @ApiOkResponse({ type: UserDto, isArray: true })
  users(): Promise<UserDto[]> {
    return this.accounts.listUsers();
  }

  @Get('admin/users/:id')
  @Access('admin')
  @ApiOkResponse({ type: UserDto })
  user(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return this.accounts.getUser(id);
  }

  @Post('admin/users')
  @Access('admin')
  @ApiOkResponse({ type: UserDto })
  createUser(@CurrentActor() actor: Actor, @Body() body: CreateUserDto): Promise<UserDto> {
    return this.accounts.createUser(actor, body);
  }

  @Patch('admin/users/:id')
  @Access('admin')
  @ApiOkResponse({ type: UserDto })
  updateUser(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return this.accounts.updateUser(actor, id, body);
  }

  @Post('admin/users/:id/unlock')
  @HttpCode(200)
  @Access('admin')
  @ApiOkResponse({ type: UserDto })
  unlock(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return this.accounts.unlockUser(actor, id);
  }

  @Post('admin/service-accounts')
  @Access('admin')
  @ApiOperation({ summary: 'A service account for an integrator (no password; authenticates with API keys)' })
  @ApiOkResponse({ type: UserDto })
  createServiceAccount(@CurrentActor() actor: Actor, @Body() body: CreateServiceAccountDto): Promise<UserDto> {
    return this.accounts.createServiceAccount(actor, body);
  }

  @Post('admin/service-accounts/:id/api-keys')
  @Access('admin')
  @ApiOperation({ summary: 'Issue an API key; the key is returned once and stored only as a peppered hash' })
  @ApiOkResponse({ type: CreatedApiKeyDto })
  createApiKey(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.accounts.createApiKey(actor, id, body);
  }

  @Get('admin/api-keys')
  @Access('admin')
  @ApiOkResponse({ type: ApiKeyDto, isArray: true })
  apiKeys(): Promise<ApiKeyDto[]> {
    return this.accounts.listApiKeys();
  }

  @Post('admin/api-keys/:id/revoke')
  @HttpCode(200)
  @Access('admin')
  @ApiOkResponse({ type: ApiKeyDto })
  revokeApiKey(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyDto> {
    return this.accounts.revokeApiKey(actor, id);
  }
}
