import { Body, Controller, Delete, Get, Headers, HttpCode, OnModuleInit, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppException } from '../../infra/http/app-exception';
import { pickLanguage } from '../../infra/i18n/language';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import {
  AddAreaDto, CommentDto, CreateCommentDto, CreatePlanDto, DiffQuery, OptionalReasonDto, PlanDetailDto, PlanDiffDto, PlanListQuery, PlanSummaryDto,
  ReturnPlanDto, SplitAreaDto, SplitResultDto, SubmitPlanDto, UpdateAreaDto, ValidateQuery, ValidationJobDto, ValidationResultDto,
} from './zoning.dto';
import { ZoningService } from './zoning.service';

/** Roles that may read some zoning plans (each sees what ZoningVisibility allows); contractors and integrators never. */
const PLAN_READERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer'] as const;
const REVIEW_PARTIES = ['admin', 'assessor', 'reviewer'] as const;

/** `If-Match` carries the ETag we sent ("3", W/"3" or 3); null when absent, NaN when malformed. */
export function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined || header === '') return null;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!m) throw new AppException('conflict_stale', 412);
  return Number(m[1]);
}

const withEtag = (reply: FastifyReply, plan: PlanDetailDto): PlanDetailDto => {
  void reply.header('ETag', `"${plan.rowVersion}"`);
  return plan;
};

@ApiTags('zoning')
@ApiBearerAuth()
@Controller('zoning-plans')
export class ZoningController implements OnModuleInit {
  constructor(
    private readonly zoning: ZoningService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('zoning-plans', { entityType: 'zoning_plan', assertCanRead: (p, id) => this.zoning.assertCanRead(p, id) });
  }

  @Get()
  @Access(...PLAN_READERS)
  @ApiOperation({ summary: 'Zoning plans the caller may read (API.md)' })
  @ApiOkResponse({ type: PlanSummaryDto, isArray: true })
  list(@CurrentPrincipal() p: Principal, @Query() q: PlanListQuery): Promise<PlanSummaryDto[]> {
    return this.zoning.list(p, q);
  }

  @Post()
  @Access('assessor')
  @ApiOperation({ summary: 'Start a draft (version = next number in the zone); basedOn or fromIssued copies areas' })
  @ApiOkResponse({ type: PlanDetailDto })
  async create(@CurrentActor() a: Actor, @Body() body: CreatePlanDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.create(a, body));
  }

  @Get(':id')
  @Access(...PLAN_READERS)
  @ApiOperation({ summary: 'A plan with its areas; ETag = row revision (committees get no rationale/evidence)' })
  @ApiOkResponse({ type: PlanDetailDto })
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.get(p, id));
  }

  @Post(':id/areas')
  @Access('assessor')
  @ApiHeader({ name: 'If-Match', required: true, description: 'the plan’s ETag' })
  @ApiOperation({ summary: 'Add an area to a draft (If-Match required: 428 without, 412 when stale)' })
  @ApiOkResponse({ type: PlanDetailDto })
  async addArea(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Headers('if-match') ifMatch: string | undefined, @Body() body: AddAreaDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.addArea(a, id, parseIfMatch(ifMatch), body));
  }

  @Patch(':id/areas/:areaId')
  @Access('assessor')
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOkResponse({ type: PlanDetailDto })
  async updateArea(
    @CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('areaId', ParseUUIDPipe) areaId: string,
    @Headers('if-match') ifMatch: string | undefined, @Body() body: UpdateAreaDto, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.updateArea(a, id, areaId, parseIfMatch(ifMatch), body));
  }

  @Delete(':id/areas/:areaId')
  @Access('assessor')
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOkResponse({ type: PlanDetailDto })
  async deleteArea(
    @CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('areaId', ParseUUIDPipe) areaId: string,
    @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.deleteArea(a, id, areaId, parseIfMatch(ifMatch)));
  }

  @Post(':id/areas/:areaId/split')
  @Access('assessor')
  @ApiHeader({ name: 'If-Match', required: true })
  @ApiOperation({ summary: 'Split an area with a line (ST_Split); the pieces replace it' })
  @ApiOkResponse({ type: SplitResultDto })
  async split(
    @CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('areaId', ParseUUIDPipe) areaId: string,
    @Headers('if-match') ifMatch: string | undefined, @Body() body: SplitAreaDto, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SplitResultDto> {
    const out = await this.zoning.splitArea(a, id, areaId, parseIfMatch(ifMatch), body.line);
    withEtag(reply, out.plan);
    return out;
  }

  @Post(':id/validate')
  @HttpCode(200)
  @Access(...REVIEW_PARTIES)
  @ApiOperation({ summary: 'Validate in PostGIS (API.md); plans over 300 areas (or ?async=true) answer 202 { jobId, status }' })
  @ApiOkResponse({ type: ValidationResultDto })
  @ApiAcceptedResponse({ type: ValidationJobDto })
  async validate(
    @CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: ValidateQuery,
    @Headers('accept-language') al: string | undefined, @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ValidationResultDto | ValidationJobDto> {
    const out = await this.zoning.validate(p, id, { toleranceM2: q.toleranceM2, sliverM2: q.sliverM2, async: q.async === 'true' }, pickLanguage(al));
    if ('job' in out) {
      void reply.status(202);
      return out.job;
    }
    return out.sync;
  }

  @Get(':id/validation/:jobId')
  @Access(...REVIEW_PARTIES)
  @ApiOperation({ summary: 'Status, progress and (when completed) the result of a validation job' })
  @ApiOkResponse({ type: ValidationJobDto })
  validationJob(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('jobId') jobId: string, @Headers('accept-language') al: string | undefined): Promise<ValidationJobDto> {
    return this.zoning.validationJob(p, id, jobId, pickLanguage(al));
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'draft → submitted (assessor). Validation errors → 422; each warning needs justifications[problem.key]' })
  @ApiOkResponse({ type: PlanDetailDto })
  async submit(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: SubmitPlanDto, @Headers('accept-language') al: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.act(a, id, 'submit', body, pickLanguage(al)));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'submitted → approved (reviewer)' })
  @ApiOkResponse({ type: PlanDetailDto })
  async approve(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalReasonDto, @Headers('accept-language') al: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.act(a, id, 'approve', body, pickLanguage(al)));
  }

  @Post(':id/return')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'submitted → returned (reviewer, reason required)' })
  @ApiOkResponse({ type: PlanDetailDto })
  async return(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReturnPlanDto, @Headers('accept-language') al: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.act(a, id, 'return', body, pickLanguage(al)));
  }

  @Post(':id/revise')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'returned → draft (assessor)' })
  @ApiOkResponse({ type: PlanDetailDto })
  async revise(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalReasonDto, @Headers('accept-language') al: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.act(a, id, 'revise', body, pickLanguage(al)));
  }

  @Post(':id/issue')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'approved → issued (reviewer): number, PDF with SHA-256, supersedes the zone’s issued plan' })
  @ApiOkResponse({ type: PlanDetailDto })
  async issue(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: OptionalReasonDto, @Headers('accept-language') al: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<PlanDetailDto> {
    return withEtag(reply, await this.zoning.act(a, id, 'issue', body, pickLanguage(al)));
  }

  @Get(':id/opinion.pdf')
  @Access(...PLAN_READERS)
  @ApiOperation({ summary: 'The issued opinion PDF (X-Content-SHA256 = the stored SHA-256)' })
  @ApiProduces('application/pdf')
  async opinion(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const f = await this.zoning.opinion(p, id);
    void reply
      .header('content-type', 'application/pdf')
      .header('x-content-sha256', f.sha256)
      .header('content-disposition', `inline; filename="opinion.pdf"; filename*=UTF-8''${encodeURIComponent(`${f.documentNumber}.pdf`)}`)
      .header('cache-control', 'private, no-store');
    return f.bytes;
  }

  @Get(':id/diff')
  @Access(...REVIEW_PARTIES)
  @ApiOperation({ summary: 'Areas added, removed, recategorised and reshaped against another plan (default: the base plan, else the issued one)' })
  @ApiOkResponse({ type: PlanDiffDto })
  diff(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: DiffQuery): Promise<PlanDiffDto> {
    return this.zoning.diff(p, id, q.against);
  }

  @Get(':id/comments')
  @Access(...REVIEW_PARTIES)
  @ApiOkResponse({ type: CommentDto, isArray: true })
  comments(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CommentDto[]> {
    return this.zoning.comments(p, id);
  }

  @Post(':id/comments')
  @Access(...REVIEW_PARTIES)
  @ApiOperation({ summary: 'A review comment, optionally pinned to a map location' })
  @ApiOkResponse({ type: CommentDto })
  addComment(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateCommentDto): Promise<CommentDto> {
    return this.zoning.addComment(a, id, body);
  }
}
