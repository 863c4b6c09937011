import { Body, Controller, Get, Headers, OnModuleInit, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException, notFound } from '../../infra/http/app-exception';
import { EVIDENCE_READERS, etagOf, parseIfMatch } from '../assessments/evidence-scope';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { FileSourceRegistry } from '../files/file-source.registry';
import { Access, Authenticated, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { PHOTO_MAX_BYTES } from './photo-type';
import {
  CoverageDto, CoverageQuery, CreateObservationDto, CreateTrackDto, ObservationDto, TrackDto, UpdateObservationDto,
} from './survey.dto';
import { SurveyService, photoTooLarge } from './survey.service';

@ApiTags('survey')
@ApiBearerAuth()
@Controller()
export class SurveyController implements OnModuleInit {
  constructor(
    private readonly survey: SurveyService,
    private readonly history: HistoryRegistry,
    private readonly fileSources: FileSourceRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('observations', { entityType: 'observation', assertCanRead: async (p, id) => void (await this.survey.getObservation(p, id)) });
  }

  @Post('assessments/:id/tracks')
  @Access('assessor')
  @ApiOperation({ summary: 'Record a sweep-survey track (assessors on the assessment’s team)' })
  @ApiOkResponse({ type: TrackDto })
  createTrack(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreateTrackDto): Promise<TrackDto> {
    return this.survey.createTrack(actor, id, body);
  }

  @Get('assessments/:id/tracks')
  @Access(...EVIDENCE_READERS)
  @ApiOkResponse({ type: TrackDto, isArray: true })
  listTracks(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TrackDto[]> {
    return this.survey.listTracks(p, id);
  }

  @Get('assessments/:id/coverage')
  @Access(...EVIDENCE_READERS)
  @ApiOperation({ summary: 'Share of the zone within distanceM of a survey track (areas on the ellipsoid)' })
  @ApiOkResponse({ type: CoverageDto })
  coverage(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() q: CoverageQuery): Promise<CoverageDto> {
    return this.survey.coverage(p, id, q.distanceM ?? 50);
  }

  @Post('assessments/:id/observations')
  @Access('assessor')
  @ApiOperation({ summary: 'Record a survey observation (assessors on the assessment’s team)' })
  @ApiOkResponse({ type: ObservationDto })
  async createObservation(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CreateObservationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ObservationDto> {
    const o = await this.survey.createObservation(actor, id, body);
    void reply.header('etag', etagOf(o.rowVersion));
    return o;
  }

  @Get('assessments/:id/observations')
  @Access(...EVIDENCE_READERS)
  @ApiOkResponse({ type: ObservationDto, isArray: true })
  listObservations(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ObservationDto[]> {
    return this.survey.listObservations(p, id);
  }

  @Get('observations/:id')
  @Access(...EVIDENCE_READERS)
  @ApiOkResponse({ type: ObservationDto })
  async getObservation(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ObservationDto> {
    const o = await this.survey.getObservation(p, id);
    void reply.header('etag', etagOf(o.rowVersion));
    return o;
  }

  @Patch('observations/:id')
  @Access('assessor')
  @ApiHeader({ name: 'If-Match', required: true, description: 'the ETag from the last GET (row version)' })
  @ApiOperation({ summary: 'Edit an observation (team assessors); 412 when someone saved in between, 428 without If-Match' })
  @ApiOkResponse({ type: ObservationDto })
  async updateObservation(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateObservationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ObservationDto> {
    const o = await this.survey.updateObservation(actor, id, parseIfMatch(ifMatch), body);
    void reply.header('etag', etagOf(o.rowVersion));
    return o;
  }

  @Post('observations/:id/photos')
  @Access('assessor')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({ summary: 'Attach a photo (JPEG/PNG/WebP by content, ≤ 20 MB) to an observation; stored with its SHA-256' })
  @ApiOkResponse({ type: ObservationDto })
  async addPhoto(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
  ): Promise<ObservationDto> {
    await this.survey.assertCanAddPhoto(actor.principal!, id);
    const file: MultipartFile | undefined = await (req as FastifyRequest & { file(o?: unknown): Promise<MultipartFile | undefined> }).file({
      limits: { fileSize: PHOTO_MAX_BYTES, files: 1 },
    });
    if (!file || file.fieldname !== 'file') throw new AppException('photo_missing', 400);
    let bytes: Buffer;
    try {
      bytes = await file.toBuffer();
    } catch (e) {
      if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw photoTooLarge();
      throw e;
    }
    if (file.file.truncated) throw photoTooLarge();
    return this.survey.addPhoto(actor, id, { bytes, filename: file.filename || null });
  }

  @Get('files/:id')
  @Authenticated()
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'application/octet-stream')
  @ApiOperation({ summary: 'Download a stored file, if the caller may read what it belongs to (404 otherwise)' })
  async file(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const f = (await this.survey.readObservationPhoto(p, id)) ?? (await this.fileSources.read(p, id));
    if (!f) throw notFound('file_not_found');
    void reply
      .header('content-type', f.contentType)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.originalName ?? id)}`)
      .header('x-content-sha256', f.sha256)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store');
    return f.bytes;
  }
}
