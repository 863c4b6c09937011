import { Body, Controller, Get, Headers, OnModuleInit, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVIDENCE_READERS, etagOf, parseIfMatch } from '../assessments/evidence-scope';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { parseBbox } from '../spatial/bbox';
import { CreateRelicDto, RelicDto, RelicListQuery, UpdateRelicDto } from './relics.dto';
import { RelicsService } from './relics.service';

@ApiTags('relics')
@ApiBearerAuth()
@Controller('relics')
export class RelicsController implements OnModuleInit {
  constructor(
    private readonly relics: RelicsService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('relics', { entityType: 'relic', assertCanRead: async (p, id) => void (await this.relics.get(p, id)) });
  }

  @Get()
  @Access(...EVIDENCE_READERS)
  @ApiOperation({ summary: 'Registered immovable relics in the caller’s scope (sensitive: never committees, contractors, integrators)' })
  @ApiOkResponse({ type: RelicDto, isArray: true })
  list(@CurrentPrincipal() p: Principal, @Query() q: RelicListQuery): Promise<RelicDto[]> {
    return this.relics.list(p, { zoneId: q.zoneId, bbox: parseBbox(q.bbox) });
  }

  @Get(':id')
  @Access(...EVIDENCE_READERS)
  @ApiOkResponse({ type: RelicDto })
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<RelicDto> {
    const r = await this.relics.get(p, id);
    void reply.header('etag', etagOf(r.rowVersion));
    return r;
  }

  @Post()
  @Access(...EVIDENCE_READERS)
  @ApiOperation({ summary: 'Register a relic (point or polygon) with optional protection range and construction-control zone' })
  @ApiOkResponse({ type: RelicDto })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateRelicDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<RelicDto> {
    const r = await this.relics.create(actor, body);
    void reply.header('etag', etagOf(r.rowVersion));
    return r;
  }

  @Patch(':id')
  @Access(...EVIDENCE_READERS)
  @ApiHeader({ name: 'If-Match', required: true, description: 'the ETag from the last GET (row version)' })
  @ApiOperation({ summary: 'Edit a relic; 412 when someone saved in between, 428 without If-Match' })
  @ApiOkResponse({ type: RelicDto })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateRelicDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RelicDto> {
    const r = await this.relics.update(actor, id, parseIfMatch(ifMatch), body);
    void reply.header('etag', etagOf(r.rowVersion));
    return r;
  }
}
