import { Body, Controller, Get, Headers, HttpCode, OnModuleInit, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { forbiddenRole } from '../../infra/http/app-exception';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { EVIDENCE_READERS, etagOf, parseIfMatch } from '../assessments/evidence-scope';
import { CoreDto, CoreListQuery, CorePageDto, CoreSummaryDto, GenerateGridDto, GridResultDto, RecordCoreDto } from './coring.dto';
import { CoringService } from './coring.service';

/**
 * Wide-spacing coring (大孔距实探). Cores are sensitive evidence: admin, assessors, reviewers and authority
 * officers (their division tree) read them; only assessors on the assessment's team write them.
 */
@ApiTags('coring')
@ApiBearerAuth()
@Controller()
export class CoringController implements OnModuleInit {
  constructor(
    private readonly coring: CoringService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    // the shared history route admits every role: the same role rule as GET /cores/:id (403), then its scope (404)
    this.history.register('cores', {
      entityType: 'coring_point',
      assertCanRead: async (p, id) => {
        if (!p.roles.some((r) => (EVIDENCE_READERS as readonly string[]).includes(r))) throw forbiddenRole();
        await this.coring.get(p, id);
      },
    });
  }

  @Post('assessments/:id/cores/grid')
  @HttpCode(201)
  @Access('assessor')
  @ApiOperation({
    summary: 'Generate a grid of planned cores (square or quincunx 梅花) inside a polygon or the zone boundary',
    description: 'Laid out in the zone’s CGCS2000 3-degree Gauss–Krüger projection without zone prefix (EPSG 4534 + zone − 25), '
      + 'on a lattice anchored at multiples of the spacing. Quincunx: rows `spacingM` apart, points in a row `spacingM` apart, every other row '
      + 'shifted by spacingM/2 (so the nearest neighbours of a point are in its row at spacingM; those in the next rows at spacingM·√5/2). '
      + 'More than 200,000 points → 422 grid_too_many_points. Team assessors only, while surveying, coring or zoning.',
  })
  @ApiCreatedResponse({ type: GridResultDto })
  grid(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: GenerateGridDto): Promise<GridResultDto> {
    return this.coring.generateGrid(actor, id, body);
  }

  @Get('assessments/:id/cores/summary')
  @Access(...EVIDENCE_READERS)
  @ApiOperation({ summary: 'Counts of an assessment’s cores by status and by result' })
  @ApiOkResponse({ type: CoreSummaryDto })
  summary(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CoreSummaryDto> {
    return this.coring.summary(p, id);
  }

  @Get('cores')
  @Access(...EVIDENCE_READERS)
  @ApiOperation({ summary: 'Cores in the caller’s scope, filtered by assessment, bbox, result or status; paged (limit ≤ 5000)' })
  @ApiOkResponse({ type: CorePageDto })
  list(@CurrentPrincipal() p: Principal, @Query() q: CoreListQuery): Promise<CorePageDto> {
    return this.coring.list(p, q);
  }

  @Get('cores/:id')
  @Access(...EVIDENCE_READERS)
  @ApiOperation({ summary: 'One core; the ETag header carries its row version for If-Match' })
  @ApiOkResponse({ type: CoreDto })
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<CoreDto> {
    const core = await this.coring.get(p, id);
    void reply.header('etag', etagOf(core.rowVersion));
    return core;
  }

  @Patch('cores/:id')
  @Access('assessor')
  @ApiOperation({
    summary: 'Record a core: depth, result (a result marks it cored; null returns it to planned), stratigraphy, coredAt',
    description: 'Requires `If-Match` with the ETag from GET (`"<rowVersion>"`; `W/"<rowVersion>"` and a bare number are accepted too): '
      + 'missing → 428 precondition_required, stale → 412 conflict_stale with the current ETag. Team assessors only.',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'the core’s ETag, e.g. "3"' })
  @ApiOkResponse({ type: CoreDto })
  async record(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: RecordCoreDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CoreDto> {
    const core = await this.coring.record(actor, id, parseIfMatch(ifMatch), body);
    void reply.header('etag', etagOf(core.rowVersion));
    return core;
  }
}
