import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { pickLanguage } from '../../infra/i18n/language';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { Principal } from '../auth/roles';
import { ClearanceRequestDto, ClearanceResponseDto } from './clearance.dto';
import { ClearanceService } from './clearance.service';

@ApiTags('clearance')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('clearance')
export class ClearanceController {
  constructor(private readonly clearance: ClearanceService) {}

  @Post()
  @HttpCode(200)
  @Access('admin', 'assessor', 'reviewer', 'committee_officer', 'contractor', 'integrator')
  @ApiOperation({
    summary: 'Clearance verdict for a shape or a parcel (API.md; what land-transfer systems call)',
    description:
      'Reviewers, assessors, admins: anything. Committees: their zone’s parcels and shapes inside their zone. ' +
      'Contractors: parcels of their own projects only, never shapes. Integrators (X-Api-Key): any shape, rate-limited. ' +
      'Contractors and integrators never receive geometry.',
  })
  @ApiOkResponse({ type: ClearanceResponseDto })
  check(@CurrentPrincipal() p: Principal, @Body() body: ClearanceRequestDto, @Headers('accept-language') acceptLanguage?: string): Promise<ClearanceResponseDto> {
    return this.clearance.check(p, body, pickLanguage(acceptLanguage));
  }
}
