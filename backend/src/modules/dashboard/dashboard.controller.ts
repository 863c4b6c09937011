import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { Principal } from '../auth/roles';
import { DashboardSummaryDto } from './dashboard.dto';
import { DASHBOARD_READERS, DashboardService } from './dashboard.service';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Access(...DASHBOARD_READERS)
  @ApiOperation({
    summary: 'Province dashboard: zones by category and assessment status, zoning areas (亩/ha), discovery reports and the share of deadlines met, per division — within the caller’s division tree',
  })
  @ApiOkResponse({ type: DashboardSummaryDto })
  summary(@CurrentPrincipal() p: Principal): Promise<DashboardSummaryDto> {
    return this.dashboard.summary(p);
  }
}
