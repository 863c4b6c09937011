import { Body, Controller, Get, OnModuleInit, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { ContractorOrgDto, CreateProjectDto, ProjectDetailDto, ProjectDto, ProjectListQuery } from './projects.dto';
import { ProjectsService } from './projects.service';

const PROJECT_READERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer', 'contractor'] as const;

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController implements OnModuleInit {
  constructor(
    private readonly projects: ProjectsService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('projects', { entityType: 'project', assertCanRead: (p, id) => this.projects.assertCanRead(p, id) });
  }

  @Get()
  @Access(...PROJECT_READERS)
  @ApiOperation({ summary: 'The caller’s projects (API.md): [ { id, name, state, zoneId, parcelId } ]' })
  @ApiOkResponse({ type: ProjectDto, isArray: true })
  list(@CurrentPrincipal() p: Principal, @Query() q: ProjectListQuery): Promise<ProjectDto[]> {
    return this.projects.list(p, q);
  }

  @Get(':id')
  @Access(...PROJECT_READERS)
  @ApiOkResponse({ type: ProjectDetailDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ProjectDetailDto> {
    return this.projects.get(p, id);
  }

  @Post()
  @Access('committee_officer', 'admin')
  @ApiOperation({ summary: 'Register a construction project on a transferred parcel and assign its contractor (409 if not transferred)' })
  @ApiOkResponse({ type: ProjectDetailDto })
  create(@CurrentActor() a: Actor, @Body() body: CreateProjectDto): Promise<ProjectDetailDto> {
    return this.projects.create(a, body);
  }
}

@ApiTags('projects')
@ApiBearerAuth()
@Controller('contractor-orgs')
export class ContractorOrgsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @Access('committee_officer', 'admin')
  @ApiOperation({ summary: 'Contractor organisations a committee may assign to a project: [ { id, name } ]' })
  @ApiOkResponse({ type: ContractorOrgDto, isArray: true })
  list(): Promise<ContractorOrgDto[]> {
    return this.projects.contractorOrgs();
  }
}
