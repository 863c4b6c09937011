import { Body, Controller, Get, Headers, HttpCode, OnModuleInit, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createValidationPipe } from '../../infra/http/validation';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, Authenticated, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import {
  AuthorizeResumptionDto, CompleteMeasuresDto, CreateDiscoveryDto, DiscoveryCreatedDto, DiscoveryDto, DiscoveryListQuery, IssueOpinionDto,
  NotificationChannelsDto, NotificationDto, RecordArrivalDto, RecordNationalAnswerDto, StopWorkOrderDto, UpdateNotificationChannelsDto,
} from './discoveries.dto';
import { DiscoveriesService } from './discoveries.service';
import { DISCOVERY_PHOTO_LIMITS, isMultipart, PhotoUpload, readDiscoveryForm } from './discovery-photos';
import { FileSourceRegistry } from '../files/file-source.registry';

const validation = createValidationPipe();

/** JSON, or API.md's multipart (`data` JSON + `photos` files): the body validated as `dto`, and the checked photos. */
async function readBody<T extends object>(req: FastifyRequest, body: unknown, dto: new () => T): Promise<{ body: T; photos: PhotoUpload[] }> {
  const form = isMultipart(req) ? await readDiscoveryForm(req) : { data: body ?? {}, photos: [] };
  const valid = (await validation.transform(form.data, { type: 'body', metatype: dto, data: '' })) as T;
  return { body: valid, photos: form.photos };
}

const L = DISCOVERY_PHOTO_LIMITS;
const PHOTO_RULES = `Photos: JPEG, PNG, WebP or HEIC by content (a text file named .jpg → 415), ≤ ${L.maxFileBytes / 1048576} MB each, ≤ ${L.maxTotalBytes / 1048576} MB together, at most ${L.maxFiles} (413/400 otherwise); EXIF time and GPS are read.`;
function multipartSchema(dto: new () => object, description: string) {
  return {
    required: true,
    content: {
      'application/json': { schema: { $ref: getSchemaPath(dto) } },
      'multipart/form-data': {
        schema: {
          type: 'object', required: ['data'],
          properties: {
            data: { type: 'string', description },
            photos: { type: 'array', items: { type: 'string', format: 'binary' } },
          },
        },
      },
    },
  };
}

/** Sensitive evidence: committees and integrators never read finds (their location stays hidden). */
const DISCOVERY_READERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'contractor'] as const;

@ApiTags('discoveries')
@ApiBearerAuth()
@ApiExtraModels(CreateDiscoveryDto, RecordArrivalDto)
@Controller()
export class DiscoveriesController implements OnModuleInit {
  constructor(
    private readonly discoveries: DiscoveriesService,
    private readonly history: HistoryRegistry,
    private readonly fileSources: FileSourceRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('discoveries', { entityType: 'discovery_report', assertCanRead: (p, id) => this.discoveries.assertCanRead(p, id) });
    this.fileSources.register('discovery-photos', (p, fileId) => this.discoveries.readPhoto(p, fileId));
  }

  @Post('discoveries')
  @Access('contractor')
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'a UUID the client generates once per report and repeats on every retry' })
  @ApiOperation({
    summary: 'Report a find on one of the contractor’s projects: stops work, starts the 24 h / 7 day clock (201; a retry with the same key, body and photos → 200 with the original answer; anything different → 422)',
    description: `JSON, or multipart with the JSON in the field \`data\` and files in \`photos\`. ${PHOTO_RULES}`,
    requestBody: multipartSchema(CreateDiscoveryDto, 'CreateDiscoveryDto as JSON'),
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiCreatedResponse({ type: DiscoveryCreatedDto })
  async create(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: FastifyRequest,
    @Body() raw: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DiscoveryCreatedDto> {
    const { body, photos } = await readBody(req, raw, CreateDiscoveryDto);
    const result = await this.discoveries.create(actor, key, body, photos);
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
  @ApiOperation({
    summary: 'The authority records its arrival on site (meets the 24 h deadline): reported → on_site',
    description: `JSON, or multipart with the JSON in \`data\` and site photos in \`photos\`. ${PHOTO_RULES}`,
    requestBody: multipartSchema(RecordArrivalDto, 'RecordArrivalDto as JSON'),
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOkResponse({ type: DiscoveryDto })
  async recordArrival(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest, @Body() raw: unknown): Promise<DiscoveryDto> {
    const { body, photos } = await readBody(req, raw, RecordArrivalDto);
    return this.discoveries.recordArrival(a, id, body, photos);
  }

  @Post('discoveries/:id/issue-opinion')
  @HttpCode(200)
  @Access(...DISCOVERY_READERS)
  @ApiOperation({ summary: 'The handling opinion (meets the 7 day deadline; important → 15 day national deadline): on_site → opinion_issued' })
  @ApiOkResponse({ type: DiscoveryDto })
  issueOpinion(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: IssueOpinionDto): Promise<DiscoveryDto> {
    return this.discoveries.issueOpinion(a, id, body);
  }

  @Post('discoveries/:id/record-national-answer')
  @HttpCode(200)
  @Access(...DISCOVERY_READERS)
  @ApiOperation({
    summary: 'Record the national administration’s answer on an important find (meets the 15 day national deadline); not a state change',
    description: '409 discovery_national_answer_not_expected when the opinion did not mark the find important, 409 discovery_national_answer_recorded when already recorded; 422 when answeredAt is in the future or before reportedAt.',
  })
  @ApiOkResponse({ type: DiscoveryDto })
  recordNationalAnswer(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: RecordNationalAnswerDto): Promise<DiscoveryDto> {
    return this.discoveries.recordNationalAnswer(a, id, body);
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

  @Get('notification-channels/:orgId')
  @Access('admin')
  @ApiOperation({ summary: 'An organisation’s e-mail address and signed webhook for notifications (the secret is never shown again)' })
  @ApiOkResponse({ type: NotificationChannelsDto })
  channels(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<NotificationChannelsDto> {
    return this.discoveries.getChannels(orgId);
  }

  @Put('notification-channels/:orgId')
  @Access('admin')
  @ApiOperation({
    summary: 'Set an organisation’s e-mail address and webhook (null switches one off); a webhook without a given secret gets a generated one, returned once',
    description: 'Webhook calls: POST JSON, X-Qianzhi-Timestamp (unix seconds), X-Qianzhi-Signature = "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body), X-Qianzhi-Delivery (the same on retries). Non-2xx answers are retried with exponential backoff.',
  })
  @ApiOkResponse({ type: NotificationChannelsDto })
  setChannels(@CurrentActor() a: Actor, @Param('orgId', ParseUUIDPipe) orgId: string, @Body() body: UpdateNotificationChannelsDto): Promise<NotificationChannelsDto> {
    return this.discoveries.setChannels(a, orgId, body);
  }
}
