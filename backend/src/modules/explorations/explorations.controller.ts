import { Body, Controller, Get, HttpCode, OnModuleInit, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AppException } from '../../infra/http/app-exception';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { EXPLORATION_ACTIONS, ExplorationAction } from './exploration.transitions';
import { CreateExplorationDto, ExplorationActionDto, ExplorationDto, ExplorationListQuery } from './explorations.dto';
import { ExplorationsService } from './explorations.service';

const READERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer'] as const;

@ApiTags('explorations')
@ApiBearerAuth()
@Controller('explorations')
export class ExplorationsController implements OnModuleInit {
  constructor(
    private readonly explorations: ExplorationsService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('explorations', { entityType: 'exploration', assertCanRead: (p, id) => this.explorations.assertCanRead(p, id) });
  }

  @Get()
  @Access(...READERS)
  @ApiOkResponse({ type: ExplorationDto, isArray: true })
  list(@CurrentPrincipal() p: Principal, @Query() q: ExplorationListQuery): Promise<ExplorationDto[]> {
    return this.explorations.list(p, q);
  }

  @Get(':id')
  @Access(...READERS)
  @ApiOkResponse({ type: ExplorationDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ExplorationDto> {
    return this.explorations.get(p, id);
  }

  @Post()
  @Access('committee_officer', 'admin')
  @ApiOperation({ summary: 'Apply for archaeological exploration (勘探) of a parcel or polygon: exploration areas of industrial zones, anywhere in agricultural/tourism zones' })
  @ApiOkResponse({ type: ExplorationDto })
  create(@CurrentActor() a: Actor, @Body() body: CreateExplorationDto): Promise<ExplorationDto> {
    return this.explorations.create(a, body);
  }

  @Post(':id/:action')
  @HttpCode(200)
  @Access('assessor', 'authority_officer')
  @ApiOperation({ summary: 'start (requested → in_progress), complete { result: no_relics | relics_found, notes }' })
  @ApiParam({ name: 'action', enum: EXPLORATION_ACTIONS })
  @ApiOkResponse({ type: ExplorationDto })
  act(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('action') action: string, @Body() body: ExplorationActionDto): Promise<ExplorationDto> {
    if (!(EXPLORATION_ACTIONS as readonly string[]).includes(action)) throw new AppException('route_not_found', 404, { method: 'POST', path: `/api/explorations/${id}/${action}` });
    return this.explorations.act(a, id, action as ExplorationAction, body ?? {});
  }
}
