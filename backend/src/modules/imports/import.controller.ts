import { Body, Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { pickLanguage } from '../../infra/i18n/language';
import { Actor } from '../audit/audit.service';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { ImportCommitDto, ImportCommitResultDto, ImportPreviewDto, ImportPreviewForm } from './import.dto';
import { ImportService } from './import.service';

/** Everyone who brings data in: committees (parcels), assessors (evidence), admins (zone boundaries)… — not integrators. */
const IMPORTERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer', 'contractor'] as const;

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportController {
  constructor(private readonly imports: ImportService) {}

  @Post('preview')
  @HttpCode(200)
  @Access(...IMPORTERS)
  @ApiOperation({ summary: 'Upload a spatial file: features in lon/lat (CGCS2000), the detected CRS and warnings; kept 24 h for the commit' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportPreviewForm })
  @ApiOkResponse({ type: ImportPreviewDto })
  async preview(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Headers('accept-language') acceptLanguage?: string): Promise<ImportPreviewDto> {
    const upload = await this.imports.readUpload(req);
    return this.imports.preview(p, upload, pickLanguage(acceptLanguage));
  }

  @Post(':importId/commit')
  @HttpCode(200)
  @Access(...IMPORTERS)
  @ApiOperation({ summary: 'Write the chosen features of a preview into a target layer, in one transaction (only the uploader, once)' })
  @ApiOkResponse({ type: ImportCommitResultDto })
  commit(
    @CurrentActor() actor: Actor,
    @Param('importId', ParseUUIDPipe) importId: string,
    @Body() body: ImportCommitDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<ImportCommitResultDto> {
    return this.imports.commit(actor, importId, body, pickLanguage(acceptLanguage));
  }
}
