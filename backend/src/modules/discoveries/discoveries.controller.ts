import { Body, Controller, Get, Headers, HttpCode, OnModuleInit, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, Authenticated, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import {
  AuthorizeResumptionDto, CompleteMeasuresDto, CreateDiscoveryDto, DiscoveryCreatedDto, DiscoveryDto, DiscoveryListQuery, IssueOpinionDto,
  NotificationDto, RecordArrivalDto, StopWorkOrderDto,
} from './discoveries.dto';
import { DiscoveriesService } from './discoveries.service';

/** Sensitive evidence: committees and integrators never read finds (their location stays hidden). */
const DISCOVERY_READERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'contractor'] as const;

@ApiTags('discoveries')
@ApiBearerAuth()
@Controller()
export class DiscoveriesController implements OnModuleInit {
  constructor(
    private readonly discoveries: DiscoveriesService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('discoveries', { entityType: 'discovery_report', assertCanRead: (p, id) => this.discoveries.assertCanRead(p, id) });
  }

  @Post('discoveries')
  @Access('contractor')
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'a UUID the client generates once per report and repeats on every retry' })
  @ApiOperation({ summary: 'Report a find on one of the contractor’s projects: stops work, starts the 24 h / 7 day clock (201; a retry with the same key and body → 200 with the original answer; another body → 422)' })
  @ApiCreatedResponse({ type: DiscoveryCreatedDto })
  async create(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: CreateDiscoveryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DiscoveryCreatedDto> {
    const result = await this.discoveries.create(actor, key, body);
    if (result.replayed) void reply.status(200);
    return result.response;
  }

  @Get('discoveries')
  @Access(...DISCOVERY_READERS)
  @ApiOkResponse({ type: DiscoveryDto, isArray: true })
  list(@CurrentPrincipal() p: Principal, @Query() q: DiscoveryListQuery): Promise<DiscoveryDto[]> {
    return this.discoveries.list(p, q);
  }

  @Get('discoveries/:id')
  @Access(...DISCOVERY_READERS)
  @ApiOkResponse({ type: DiscoveryDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DiscoveryDto> {
    return this.discoveries.get(p, id);
  }

  @Post('discoveries/:id/record-arrival')
  @HttpCode(200)
  @Access(...DISCOVERY_READERS)
  @ApiOperation({ summary: 'The authority records its arrival on site (meets the 24 h deadline): reported → on_site' })
  @ApiOkResponse({ type: DiscoveryDto })
  recordArrival(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: RecordArrivalDto): Promise<DiscoveryDto> {
    return this.discoveries.recordArrival(a, id, body);
  }

  @Post('discoveries/:id/issue-opinion')
  @HttpCode(200)
  @Access(...DISCOVERY_READERS)
  @ApiOperation({ summary: 'The handling opinion (meets the 7 day deadline; important → 15 day national deadline): on_site → opinion_issued' })
  @ApiOkResponse({ type: DiscoveryDto })
  issueOpinion(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: IssueOpinionDto): Promise<DiscoveryDto> {
    return this.discoveries.issueOpinion(a, id, body);
  }

  @Post('discoveries/:id/complete-measures')
  @HttpCode(200)
  @Access(...DISCOVERY_READERS)
  @ApiOperation({ summary: 'The measures of the opinion are done: opinion_issued → measures_done' })
  @ApiOkResponse({ type: DiscoveryDto })
  completeMeasures(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: CompleteMeasuresDto): Promise<DiscoveryDto> {
    return this.discoveries.completeMeasures(a, id, body ?? {});
  }

  @Post('discoveries/:id/authorize-resumption')
  @HttpCode(200)
  @Access(...DISCOVERY_READERS)
  @ApiOperation({ summary: 'Lift the stop-work order and the clearance hold, close the report (409 before measures are done)' })
  @ApiOkResponse({ type: DiscoveryDto })
  authorizeResumption(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: AuthorizeResumptionDto): Promise<DiscoveryDto> {
    return this.discoveries.authorizeResumption(a, id, body ?? {});
  }

  @Post('stop-work-orders/:id/acknowledge')
  @HttpCode(200)
  @Access('contractor')
  @ApiOperation({ summary: 'The contractor acknowledges a stop-work order on its project (time recorded once)' })
  @ApiOkResponse({ type: StopWorkOrderDto })
  acknowledge(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<StopWorkOrderDto> {
    return this.discoveries.acknowledge(a, id);
  }

  @Get('notifications')
  @Authenticated()
  @ApiOperation({ summary: 'The in-app inbox of the caller’s organisation, newest first (?unread=true for unread only)' })
  @ApiOkResponse({ type: NotificationDto, isArray: true })
  inbox(@CurrentPrincipal() p: Principal, @Query('unread') unread?: string): Promise<NotificationDto[]> {
    return this.discoveries.inbox(p, unread === 'true');
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @Authenticated()
  @ApiOkResponse({ type: NotificationDto })
  markRead(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<NotificationDto> {
    return this.discoveries.markRead(p, id);
  }
}
