import { Body, Controller, Get, HttpCode, OnModuleInit, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppException } from '../../infra/http/app-exception';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { COMMITMENT_ACTIONS, CommitmentAction } from './commitment.transitions';
import {
  CommitmentActionDto, CommitmentDetailDto, CommitmentDto, CommitmentListQuery, CommitmentPreviewDto, CreateCommitmentDto, PreviewCommitmentDto, ReleaseStatusDto, UpdateCommitmentDto, VerifyResultDto,
} from './commitments.dto';
import { CommitmentsService } from './commitments.service';

/** Every party of a letter reads it (DOMAIN.md §4.3); contractors and integrators are not parties. */
const LETTER_READERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer'] as const;

@ApiTags('commitments')
@ApiBearerAuth()
@Controller('commitments')
export class CommitmentsController implements OnModuleInit {
  constructor(
    private readonly commitments: CommitmentsService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('commitments', { entityType: 'commitment', assertCanRead: (p, id) => this.commitments.assertCanRead(p, id) });
  }

  @Get()
  @Access(...LETTER_READERS)
  @ApiOperation({ summary: 'Commitment letters in the caller’s scope (reviewers: ?state=submitted is the queue)' })
  @ApiOkResponse({ type: CommitmentDto, isArray: true })
  list(@CurrentPrincipal() p: Principal, @Query() q: CommitmentListQuery): Promise<CommitmentDto[]> {
    return this.commitments.list(p, q);
  }

  @Post()
  @Access('committee_officer')
  @ApiOperation({ summary: 'Draft a commitment letter for the zone’s issued plan (API.md)' })
  @ApiOkResponse({ type: CommitmentDetailDto })
  create(@CurrentActor() a: Actor, @Body() body: CreateCommitmentDto): Promise<CommitmentDetailDto> {
    return this.commitments.create(a, body);
  }

  @Post('preview')
  @HttpCode(200)
  @Access('committee_officer')
  @ApiOperation({ summary: 'The letter text for the form’s current values (live preview; nothing is stored)' })
  @ApiOkResponse({ type: CommitmentPreviewDto })
  preview(@CurrentPrincipal() p: Principal, @Body() body: PreviewCommitmentDto): Promise<CommitmentPreviewDto> {
    return this.commitments.preview(p, body);
  }

  @Get(':id')
  @Access(...LETTER_READERS)
  @ApiOperation({ summary: 'A letter: { id, planId, state, pdfSha256 (once submitted) } plus the text and release areas' })
  @ApiOkResponse({ type: CommitmentDetailDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<CommitmentDetailDto> {
    return this.commitments.get(p, id);
  }

  @Patch(':id')
  @Access('committee_officer')
  @ApiOperation({ summary: 'Edit a draft (signatory, extra clauses); a submitted letter is frozen (409)' })
  @ApiOkResponse({ type: CommitmentDetailDto })
  update(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCommitmentDto): Promise<CommitmentDetailDto> {
    return this.commitments.update(a, id, body);
  }

  @Get(':id/letter.pdf')
  @Access(...LETTER_READERS)
  @ApiOperation({ summary: 'The frozen PDF (X-Content-SHA256 = the recorded SHA-256)' })
  @ApiProduces('application/pdf')
  async pdf(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const f = await this.commitments.pdf(p, id);
    void reply
      .header('content-type', 'application/pdf')
      .header('x-content-sha256', f.sha256)
      .header('content-disposition', `inline; filename="commitment.pdf"; filename*=UTF-8''${encodeURIComponent(f.name)}`)
      .header('cache-control', 'private, no-store');
    return f.bytes;
  }

  @Get(':id/verify')
  @Access(...LETTER_READERS)
  @ApiOperation({ summary: 'Re-hash the stored PDF and compare with the recorded SHA-256' })
  @ApiOkResponse({ type: VerifyResultDto })
  verify(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<VerifyResultDto> {
    return this.commitments.verify(p, id);
  }

  @Post(':id/:action')
  @HttpCode(200)
  @Access('committee_officer', 'reviewer')
  @ApiOperation({ summary: 'Workflow action: submit (committee; freezes the letter), accept / reject (reviewer; reject needs a reason)' })
  @ApiParam({ name: 'action', enum: COMMITMENT_ACTIONS })
  @ApiOkResponse({ type: CommitmentDetailDto })
  act(@CurrentActor() a: Actor, @Param('id', ParseUUIDPipe) id: string, @Param('action') action: string, @Body() body: CommitmentActionDto): Promise<CommitmentDetailDto> {
    if (!(COMMITMENT_ACTIONS as readonly string[]).includes(action)) throw new AppException('route_not_found', 404, { method: 'POST', path: `/api/commitments/${id}/${action}` });
    return this.commitments.act(a, id, action as CommitmentAction, body ?? {});
  }
}

@ApiTags('commitments')
@ApiBearerAuth()
@Controller('zones')
export class ReleaseStatusController {
  constructor(private readonly commitments: CommitmentsService) {}

  @Get(':id/release-status')
  @Access(...LETTER_READERS)
  @ApiOperation({ summary: 'Released land of a zone: issued release areas ∩ accepted commitments; the rest pending_commitment' })
  @ApiOkResponse({ type: ReleaseStatusDto })
  status(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ReleaseStatusDto> {
    return this.commitments.releaseStatus(p, id);
  }
}
