import { Body, Controller, Delete, Get, HttpCode, OnModuleInit, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { ZonesRepository } from '../zones/zones.repository';
import {
  AddMemberDto, AssessmentActionDto, AssessmentDetailDto, AssessmentDto, AssessmentListQuery, CreateAssessmentDto,
} from './assessments.dto';
import { AssessmentsService } from './assessments.service';
import { EVIDENCE_READERS } from './evidence-scope';

@ApiTags('assessments')
@ApiBearerAuth()
@Controller('assessments')
export class AssessmentsController implements OnModuleInit {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly history: HistoryRegistry,
    private readonly zones: ZonesRepository,
  ) {}

  onModuleInit(): void {
    this.history.register('assessments', { entityType: 'assessment', assertCanRead: async (p, id) => void (await this.assessments.get(p, id)) });
    // /api/zones shows the state of each zone's latest assessment: the open one if any (at most one), else the
    // most recently concluded
    this.zones.assessmentStatusSql = (z) =>
      `CASE WHEN ${z}.category <> 'industrial' THEN 'not_applicable'
            ELSE coalesce((SELECT a.state FROM assessments a WHERE a.zone_id = ${z}.id
                            ORDER BY (a.state <> 'concluded') DESC, a.concluded_at DESC NULLS LAST, a.created_at DESC LIMIT 1), 'not_started') END`;
  }

  @Get()
  @Access(...EVIDENCE_READERS)
  @ApiOperation({ summary: 'Assessments the caller may read (optionally of one zone)' })
  @ApiOkResponse({ type: AssessmentDto, isArray: true })
  list(@CurrentPrincipal() p: Principal, @Query() q: AssessmentListQuery): Promise<AssessmentDto[]> {
    return this.assessments.list(p, q.zoneId);
  }

  @Get(':id')
  @Access(...EVIDENCE_READERS)
  @ApiOkResponse({ type: AssessmentDetailDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AssessmentDetailDto> {
    return this.assessments.get(p, id);
  }

  @Post()
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'Open a regional assessment of an industrial zone (409 assessment_not_applicable for other categories)' })
  @ApiOkResponse({ type: AssessmentDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateAssessmentDto): Promise<AssessmentDto> {
    return this.assessments.create(actor, body);
  }

  @Post(':id/members')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'Add an assessor to the team or change their team role (team lead or reviewer)' })
  @ApiOkResponse({ type: AssessmentDto })
  addMember(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: AddMemberDto): Promise<AssessmentDto> {
    return this.assessments.addMember(actor, id, body);
  }

  @Delete(':id/members/:userId')
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'Remove someone from the team (team lead or reviewer)' })
  @ApiOkResponse({ type: AssessmentDto })
  removeMember(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<AssessmentDto> {
    return this.assessments.removeMember(actor, id, userId);
  }

  @Post(':id/start-survey')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'planned → surveying (sweep survey starts); team assessors or reviewers' })
  @ApiOkResponse({ type: AssessmentDto })
  startSurvey(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssessmentActionDto): Promise<AssessmentDto> {
    return this.assessments.act(actor, id, 'start-survey', body?.reason);
  }

  @Post(':id/start-coring')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'surveying → coring (wide-spacing coring starts)' })
  @ApiOkResponse({ type: AssessmentDto })
  startCoring(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssessmentActionDto): Promise<AssessmentDto> {
    return this.assessments.act(actor, id, 'start-coring', body?.reason);
  }

  @Post(':id/start-zoning')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'coring → zoning (multidisciplinary assessment and zoning plan)' })
  @ApiOkResponse({ type: AssessmentDto })
  startZoning(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssessmentActionDto): Promise<AssessmentDto> {
    return this.assessments.act(actor, id, 'start-zoning', body?.reason);
  }

  @Post(':id/conclude')
  @HttpCode(200)
  @Access('assessor', 'reviewer')
  @ApiOperation({ summary: 'zoning → concluded (the zone may later be reassessed with a new assessment)' })
  @ApiOkResponse({ type: AssessmentDto })
  conclude(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssessmentActionDto): Promise<AssessmentDto> {
    return this.assessments.act(actor, id, 'conclude', body?.reason);
  }
}
