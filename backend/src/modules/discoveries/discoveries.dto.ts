import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsNotEmpty, IsNumber, IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsIsoWithOffset } from '../assessments/evidence-scope';
import { GeoJsonGeometry, IsGeoJsonGeometry } from '../spatial/geojson';

export const DISCOVERY_STATES = ['reported', 'on_site', 'opinion_issued', 'measures_done', 'closed'] as const;
export type DiscoveryState = (typeof DISCOVERY_STATES)[number];
export const DISCOVERY_ACTIONS = ['record-arrival', 'issue-opinion', 'complete-measures', 'authorize-resumption'] as const;
export type DiscoveryAction = (typeof DISCOVERY_ACTIONS)[number];
export const MEASURES = ['rescue_excavation', 'preserve_in_situ', 'no_cultural_value'] as const;
export type Measures = (typeof MEASURES)[number];
export const DEADLINE_KINDS = ['on_site', 'opinion', 'national'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** API.md: `POST /api/discoveries` body (JSON, or the `data` field of a multipart request). */
export class CreateDiscoveryDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() projectId!: string;
  @ApiProperty({ type: Object, example: { type: 'Point', coordinates: [112.892, 36.318] }, description: 'GeoJSON Point, lon/lat (CGCS2000)' })
  @IsGeoJsonGeometry(['Point'])
  location!: GeoJsonGeometry;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'device GPS accuracy in metres (null for a map tap)' })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  accuracyM?: number | null;
  @ApiProperty({ example: '2026-11-27T09:40:00+08:00', description: 'when the find was made (the clock starts at reportedAt)' })
  @IsIsoWithOffset()
  foundAt!: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @Type(() => Number) @IsNumber() @Min(0) depthM?: number | null;
  @ApiProperty({ example: '挖掘机开挖基槽时发现青砖墓室一角' }) @IsString() @IsNotEmpty() @MaxLength(4000) description!: string;
  @ApiProperty({ example: 'tomb' }) @IsString() @IsNotEmpty() @MaxLength(100) suspectedType!: string;
}

export class DiscoveryPhotoDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'the stored file: GET /api/files/{fileId}' }) fileId!: string;
  @ApiProperty({ example: '/api/files/…' }) url!: string;
  @ApiProperty({ enum: ['report', 'arrival'], description: 'the contractor’s report or the authority’s arrival' }) step!: 'report' | 'arrival';
  @ApiProperty() sha256!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ enum: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] }) contentType!: string;
  @ApiProperty({ nullable: true, type: String }) originalName!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'EXIF DateTimeOriginal (camera time; +08:00 when the camera wrote no offset)' }) exifTakenAt!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'EXIF GPS position (GeoJSON Point)' }) exifLocation!: GeoJsonGeometry | null;
  @ApiProperty({ nullable: true, type: Number, description: 'metres from the EXIF position to the reported point (ellipsoid)' }) distanceM!: number | null;
  @ApiProperty({ description: 'the EXIF position is far from the reported point (DISCOVERY_PHOTO_FAR_M plus the GPS accuracy)' }) farFromReport!: boolean;
  @ApiProperty() createdAt!: string;
}

export class DiscoveryWarningDto {
  @ApiProperty({ example: 'photo_far_from_report' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ format: 'uuid' }) photoId?: string;
  @ApiPropertyOptional() distanceM?: number;
}

export class DiscoveryDeadlinesDto {
  @ApiProperty() onSiteDue!: string;
  @ApiProperty() opinionDue!: string;
}

/** API.md: the answer to `POST /api/discoveries`. */
export class DiscoveryCreatedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['reported'] }) state!: 'reported';
  @ApiProperty() reportedAt!: string;
  @ApiProperty({ format: 'uuid' }) stopWorkOrderId!: string;
  @ApiProperty({ type: DiscoveryDeadlinesDto }) deadlines!: DiscoveryDeadlinesDto;
  @ApiPropertyOptional({ type: [DiscoveryPhotoDto], description: 'the photos received with the report (multipart only)' })
  photos?: DiscoveryPhotoDto[];
  @ApiPropertyOptional({ type: [DiscoveryWarningDto], description: 'photo checks, e.g. an EXIF position far from the reported point (zh-CN)' })
  warnings?: DiscoveryWarningDto[];
}

export class DeadlineDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DEADLINE_KINDS }) kind!: DeadlineKind;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ nullable: true, type: String }) metAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) remindedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) breachedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) escalatedTo!: string | null;
}

export class StopWorkOrderDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) reportId!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty({ enum: ['active', 'lifted'] }) state!: 'active' | 'lifted';
  @ApiProperty() issuedAt!: string;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) liftedAt!: string | null;
}

/** The national administration's (国家文物局) answer on an important find, as the authority recorded it. */
export class DiscoveryNationalAnswerDto {
  @ApiProperty({ example: '2026-12-08T16:00:00.000+08:00', description: 'when the national administration answered' }) answeredAt!: string;
  @ApiProperty({ example: '文物博函〔2026〕88号', description: 'the answer’s document number' }) reference!: string;
  @ApiProperty({ nullable: true, type: String }) text!: string | null;
  @ApiProperty({ description: 'when the authority recorded it' }) recordedAt!: string;
}

export class DiscoveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() projectName!: string;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ enum: DISCOVERY_STATES }) state!: DiscoveryState;
  @ApiProperty({ description: 'a deadline was missed' }) overdue!: boolean;
  @ApiProperty({ type: Object }) location!: GeoJsonGeometry;
  @ApiProperty({ nullable: true, type: Number }) accuracyM!: number | null;
  @ApiProperty() foundAt!: string;
  @ApiProperty() reportedAt!: string;
  @ApiProperty({ nullable: true, type: Number }) depthM!: number | null;
  @ApiProperty() description!: string;
  @ApiProperty() suspectedType!: string;
  @ApiProperty({ type: Object, nullable: true }) arrival!: { arrivedAt: string; people: string[]; notes: string | null } | null;
  @ApiProperty({ type: Object, nullable: true }) opinion!: { measures: Measures; important: boolean; text: string; issuedAt: string } | null;
  @ApiProperty({ type: DiscoveryNationalAnswerDto, nullable: true, description: 'the national answer on an important find (meets the national deadline); null until recorded' })
  nationalAnswer!: DiscoveryNationalAnswerDto | null;
  @ApiProperty({ nullable: true, type: String }) measuresDoneAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ type: StopWorkOrderDto }) stopWorkOrder!: StopWorkOrderDto;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the draft zoning revision a preserve_in_situ opinion opened' }) revisionPlanId!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'the clearance hold around the find; liftedReason: discovery_closed | revised_plan_issued' })
  hold!: { active: boolean; liftedAt: string | null; liftedReason: string | null } | null;
  @ApiProperty({ type: [DeadlineDto] }) deadlines!: DeadlineDto[];
  @ApiProperty({ type: [DiscoveryPhotoDto] }) photos!: DiscoveryPhotoDto[];
  @ApiProperty({ enum: DISCOVERY_ACTIONS, isArray: true, description: 'actions the state allows next' }) allowedActions!: DiscoveryAction[];
}

export class DiscoveryListQuery {
  @ApiPropertyOptional({ enum: DISCOVERY_STATES }) @IsOptional() @IsIn(DISCOVERY_STATES) state?: DiscoveryState;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() projectId?: string;
}

export class RecordArrivalDto {
  @ApiProperty({ example: '2026-11-27T15:00:00+08:00' }) @IsIsoWithOffset() arrivedAt!: string;
  @ApiProperty({ type: [String], example: ['赵文保', '钱考古'] })
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @IsNotEmpty({ each: true })
  people!: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) notes?: string;
}

export class IssueOpinionDto {
  @ApiProperty({ enum: MEASURES }) @IsIn(MEASURES) measures!: Measures;
  @ApiProperty({ description: 'an important find: the national answer is due within 15 days' }) @IsBoolean() important!: boolean;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(8000) text!: string;
}

/** Not a state change: the national answer may come while the opinion's measures run, or after the report is closed. */
export class RecordNationalAnswerDto {
  @ApiProperty({ example: '2026-12-08T16:00:00+08:00', description: 'when the national administration answered (not in the future, not before reportedAt)' })
  @IsIsoWithOffset()
  answeredAt!: string;
  @ApiProperty({ example: '文物博函〔2026〕88号', maxLength: 100, description: 'the answer’s document number' })
  @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'reference must not be blank' }) @MaxLength(100)
  reference!: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) text?: string;
}

export class CompleteMeasuresDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) notes?: string;
}

export class AuthorizeResumptionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) reason?: string;
}

export class NotificationDeliveryDto {
  @ApiProperty({ enum: ['email', 'webhook'] }) channel!: 'email' | 'webhook';
  @ApiProperty({ enum: ['pending', 'sent', 'failed'] }) state!: 'pending' | 'sent' | 'failed';
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) sentAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
}

/** An organisation's delivery channels beyond the in-app inbox (the webhook secret is shown only when it is set). */
export class NotificationChannelsDto {
  @ApiProperty({ format: 'uuid' }) orgId!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) webhookUrl!: string | null;
  @ApiProperty() hasWebhookSecret!: boolean;
  @ApiPropertyOptional({ description: 'only in the answer that set or generated it: keep it, it is not shown again' }) webhookSecret?: string;
}

export class UpdateNotificationChannelsDto {
  @ApiPropertyOptional({ nullable: true, type: String, example: 'wenwu@tunliu.gov.cn', description: 'null switches e-mail off' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsEmail() @MaxLength(320)
  email?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'https://sms-gateway.example.cn/qianzhi', description: 'null switches the webhook off' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }) @MaxLength(2000)
  webhookUrl?: string | null;
  @ApiPropertyOptional({ description: 'the HMAC secret (≥ 16 characters); omitted with a new webhook → one is generated' })
  @IsOptional() @IsString() @MinLength(16) @MaxLength(200)
  webhookSecret?: string;
  @ApiPropertyOptional({ description: 'generate a new secret' }) @IsOptional() @IsBoolean() rotateSecret?: boolean;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['discovery_reported', 'deadline_reminder', 'deadline_escalation', 'stop_work_lifted'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) reportId!: string | null;
  @ApiProperty({ nullable: true, type: String }) deadlineId!: string | null;
  @ApiProperty({ type: Object }) payload!: Record<string, unknown>;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) readAt!: string | null;
  @ApiProperty({ type: [NotificationDeliveryDto], description: 'e-mail / webhook deliveries of this notification' }) deliveries!: NotificationDeliveryDto[];
}
