import { Body, Controller, Get, OnModuleInit, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { CreateZoneDto, UpdateZoneDto, ZoneDetailDto, ZoneDto, ZoneListQuery } from './zones.dto';
import { ZonesService } from './zones.service';

const ZONE_READERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer', 'contractor'] as const;

@ApiTags('zones')
@ApiBearerAuth()
@Controller('zones')
export class ZonesController implements OnModuleInit {
  constructor(
    private readonly zones: ZonesService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('zones', { entityType: 'zone', assertCanRead: async (p, id) => void (await this.zones.get(p, id)) });
  }

  @Get()
  @Access(...ZONE_READERS)
  @ApiOperation({ summary: 'Development zones in the caller’s scope (API.md)' })
  @ApiOkResponse({ type: ZoneDto, isArray: true })
  list(@CurrentPrincipal() p: Principal, @Query() q: ZoneListQuery): Promise<ZoneDto[]> {
    return this.zones.list(p, q);
  }

  @Get(':id')
  @Access(...ZONE_READERS)
  @ApiOkResponse({ type: ZoneDetailDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ZoneDetailDto> {
    return this.zones.get(p, id);
  }

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Register a zone (admin); area is computed on the ellipsoid' })
  @ApiOkResponse({ type: ZoneDetailDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateZoneDto): Promise<ZoneDetailDto> {
    return this.zones.create(actor, body);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOkResponse({ type: ZoneDetailDto })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateZoneDto): Promise<ZoneDetailDto> {
    return this.zones.update(actor, id, body);
  }
}
