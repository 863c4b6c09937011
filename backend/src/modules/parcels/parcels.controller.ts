import { Body, Controller, Get, Headers, HttpCode, OnModuleInit, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { pickLanguage } from '../../infra/i18n/language';
import { Actor } from '../audit/audit.service';
import { HistoryRegistry } from '../audit/history.registry';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { CurrentActor } from '../auth/actor.decorator';
import { Principal } from '../auth/roles';
import { CreateParcelDto, ParcelDetailDto, ParcelDto, ParcelListQuery, TransferParcelDto } from './parcels.dto';
import { ParcelsService } from './parcels.service';

const PARCEL_READERS = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer', 'contractor'] as const;

@ApiTags('parcels')
@ApiBearerAuth()
@Controller('parcels')
export class ParcelsController implements OnModuleInit {
  constructor(
    private readonly parcels: ParcelsService,
    private readonly history: HistoryRegistry,
  ) {}

  onModuleInit(): void {
    this.history.register('parcels', { entityType: 'parcel', assertCanRead: (p, id) => this.parcels.assertCanRead(p, id) });
  }

  @Get()
  @Access(...PARCEL_READERS)
  @ApiOperation({ summary: 'Land parcels in the caller’s scope, each with its current clearance verdict' })
  @ApiOkResponse({ type: ParcelDto, isArray: true })
  list(@CurrentPrincipal() p: Principal, @Query() q: ParcelListQuery, @Headers('accept-language') lang?: string): Promise<ParcelDto[]> {
    return this.parcels.list(p, q, pickLanguage(lang));
  }

  @Get(':id')
  @Access(...PARCEL_READERS)
  @ApiOkResponse({ type: ParcelDetailDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Headers('accept-language') lang?: string): Promise<ParcelDetailDto> {
    return this.parcels.get(p, id, pickLanguage(lang));
  }

  @Post()
  @Access('committee_officer', 'admin')
  @ApiOperation({ summary: 'Register a parcel (the zone’s committee, or an admin); code unique per zone' })
  @ApiOkResponse({ type: ParcelDetailDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateParcelDto, @Headers('accept-language') lang?: string): Promise<ParcelDetailDto> {
    return this.parcels.create(actor, body, pickLanguage(lang));
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @Access('committee_officer', 'admin')
  @ApiOperation({ summary: 'Record land transfer (土地出让): only when the verdict is cleared, otherwise 409 with the verdict and what stands in the way' })
  @ApiOkResponse({ type: ParcelDetailDto })
  transfer(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: TransferParcelDto, @Headers('accept-language') lang?: string): Promise<ParcelDetailDto> {
    return this.parcels.transfer(actor, id, body, pickLanguage(lang));
  }
}
