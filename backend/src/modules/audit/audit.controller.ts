import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { notFound } from '../../infra/http/app-exception';
import { Access, Authenticated, CurrentPrincipal } from '../auth/access.decorator';
import { Principal } from '../auth/roles';
import { AuditEventDto, AuditService } from './audit.service';
import { HistoryRegistry } from './history.registry';

class AuditVerifyDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty() checked!: number;
  @ApiProperty({ required: false, description: 'id of the first event whose link is broken' }) brokenAt?: number;
}

class AuditActorDto {
  @ApiProperty({ nullable: true, type: String }) userId!: string | null;
  @ApiProperty({ nullable: true, type: String }) orgId!: string | null;
  @ApiProperty({ nullable: true, type: String }) label!: string | null;
}
class AuditEventResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty() action!: string;
  @ApiProperty() entityType!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: Object }) before!: unknown;
  @ApiProperty({ nullable: true, type: Object }) after!: unknown;
  @ApiProperty() hash!: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly registry: HistoryRegistry,
  ) {}

  @Get('audit/verify')
  @Access('admin', 'reviewer')
  @ApiOperation({ summary: 'Recompute the hash chain of the audit log' })
  @ApiOkResponse({ type: AuditVerifyDto })
  verify(): Promise<AuditVerifyDto> {
    return this.audit.verify();
  }

  @Get(':collection/:id/history')
  @Authenticated()
  @ApiOperation({ summary: "A document's audit events, oldest first (same read check as the document)" })
  @ApiOkResponse({ type: AuditEventResponseDto, isArray: true })
  async history(@CurrentPrincipal() p: Principal, @Param('collection') collection: string, @Param('id') id: string): Promise<AuditEventDto[]> {
    const source = this.registry.get(collection);
    if (!source) throw notFound();
    await source.assertCanRead(p, id);
    return this.audit.history(source.entityType, id);
  }
}
