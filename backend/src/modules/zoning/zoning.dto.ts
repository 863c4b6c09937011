import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { GeoJsonGeometry, IsGeoJsonGeometry } from '../spatial/geojson';
import { ZONING_CATEGORIES, ZONING_PLAN_ACTIONS, ZONING_PLAN_STATES, ZoningCategory, ZoningPlanAction, ZoningPlanState } from './zoning-plan.transitions';

export const EVIDENCE_TYPES = ['relic', 'core', 'observation'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export class EvidenceRefDto {
  @ApiProperty({ enum: EVIDENCE_TYPES }) @IsIn(EVIDENCE_TYPES) type!: EvidenceType;
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}

export class CreatePlanDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() zoneId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'copy the areas of this plan of the same zone' }) @IsOptional() @IsUUID() basedOn?: string;
  @ApiPropertyOptional({ description: 'copy the areas of the zone’s current issued plan' }) @IsOptional() @IsBoolean() fromIssued?: boolean;
}

export class PlanListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() zoneId?: string;
  @ApiPropertyOptional({ enum: ZONING_PLAN_STATES }) @IsOptional() @IsIn(ZONING_PLAN_STATES) state?: ZoningPlanState;
}

export class AddAreaDto {
  @ApiProperty({ enum: ZONING_CATEGORIES }) @IsIn(ZONING_CATEGORIES) category!: ZoningCategory;
  @ApiProperty({ type: Object, description: 'GeoJSON Polygon, lon/lat (EPSG:4490/4326); stored on a 1e-9° grid' })
  @IsGeoJsonGeometry(['Polygon'])
  geometry!: GeoJsonGeometry;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) rationale?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) label?: string;
  @ApiPropertyOptional({ type: [EvidenceRefDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => EvidenceRefDto)
  evidence?: EvidenceRefDto[];
}

export class UpdateAreaDto {
  @ApiPropertyOptional({ enum: ZONING_CATEGORIES }) @IsOptional() @IsIn(ZONING_CATEGORIES) category?: ZoningCategory;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsGeoJsonGeometry(['Polygon']) geometry?: GeoJsonGeometry;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) rationale?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) label?: string;
  @ApiPropertyOptional({ type: [EvidenceRefDto], description: 'replaces the evidence links' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => EvidenceRefDto)
  evidence?: EvidenceRefDto[];
}

export class SplitAreaDto {
  @ApiProperty({ type: Object, description: 'GeoJSON LineString crossing the area' }) @IsGeoJsonGeometry(['LineString']) line!: GeoJsonGeometry;
}

export class ValidateQuery {
  @ApiPropertyOptional({ default: 0.5 }) @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(10000) toleranceM2?: number;
  @ApiPropertyOptional({ default: 10 }) @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(100000) sliverM2?: number;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'run as a background job whatever the size' }) @IsOptional() @IsIn(['true', 'false']) async?: 'true' | 'false';
}

export class SubmitPlanDto {
  @ApiPropertyOptional({
    type: Object,
    description: 'justification text per warning, keyed by the `key` of each problem from /validate: `<code>:<areaIds sorted, comma-joined>` plus `@<subject>` when the finding is about a relic or a gap, e.g. `sliver:3f…,9a…` or `relic_not_avoided:@relic:<uuid>`',
    example: { 'sliver:2c1e…': '道路绿化带，宽度受现状限制' },
  })
  @IsOptional() @IsObject() justifications?: Record<string, string>;
}

export class ReturnPlanDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) reason!: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) reason?: string;
}

export class CreateCommentDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) body!: string;
  @ApiPropertyOptional({ type: Object, description: 'GeoJSON Point the comment is pinned to' }) @IsOptional() @IsGeoJsonGeometry(['Point']) location?: GeoJsonGeometry;
}

export class DiffQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'default: the plan this one is based on, else the zone’s issued plan' }) @IsOptional() @IsUUID() against?: string;
}

// ---- responses

export class PlanSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty({ description: 'number of the plan in its zone (v1, v2 …)' }) version!: number;
  @ApiProperty({ enum: ZONING_PLAN_STATES }) state!: ZoningPlanState;
  @ApiProperty() zoneName!: string;
  @ApiProperty() zoneCode!: string;
  @ApiProperty({ nullable: true, type: String }) documentNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) issuedAt!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class AreaDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ZONING_CATEGORIES }) category!: ZoningCategory;
  @ApiProperty({ type: Object }) geometry!: GeoJsonGeometry;
  @ApiProperty() areaM2!: number;
  @ApiProperty() areaMu!: number;
  @ApiProperty() areaHa!: number;
  @ApiProperty({ nullable: true, type: String, description: 'null for readers who may not see it (committees)' }) rationale!: string | null;
  @ApiProperty({ nullable: true, type: String }) label!: string | null;
  @ApiProperty({ type: [EvidenceRefDto], description: 'empty for readers who may not see evidence' }) evidence!: EvidenceRefDto[];
}

export class CategoryTotalDto {
  @ApiProperty({ enum: ZONING_CATEGORIES }) category!: ZoningCategory;
  @ApiProperty() count!: number;
  @ApiProperty() areaM2!: number;
  @ApiProperty() areaMu!: number;
  @ApiProperty() areaHa!: number;
}

export class OpinionRefDto {
  @ApiProperty() documentNumber!: string;
  @ApiProperty() sha256!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty() url!: string;
}

export class PlanDetailDto extends PlanSummaryDto {
  @ApiProperty({ nullable: true, type: String }) basedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) assessmentId!: string | null;
  @ApiProperty({ description: 'row revision, also sent as the ETag' }) rowVersion!: number;
  @ApiProperty({ nullable: true, type: String }) approvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) returnedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) returnReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) supersededAt!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'warning justifications stored with the submission (not for committees)' }) justifications!: Record<string, string> | null;
  @ApiProperty({ type: OpinionRefDto, nullable: true }) opinion!: OpinionRefDto | null;
  @ApiProperty({ enum: ZONING_PLAN_ACTIONS, isArray: true, description: 'workflow actions the state allows (role permitting)' }) allowedActions!: ZoningPlanAction[];
  @ApiProperty({ type: [AreaDto] }) areas!: AreaDto[];
  @ApiProperty({ type: [CategoryTotalDto] }) totals!: CategoryTotalDto[];
}

export class ProblemDto {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: ['error', 'warning'] }) severity!: 'error' | 'warning';
  @ApiProperty() message!: string;
  @ApiProperty({ type: [String] }) areaIds!: string[];
  @ApiProperty({ type: Object }) location!: GeoJsonGeometry;
  @ApiProperty({ description: 'key for the justification of a warning at submit' }) key!: string;
}

export class ValidationResultDto {
  @ApiProperty({ type: [ProblemDto] }) problems!: ProblemDto[];
  @ApiProperty() toleranceM2!: number;
  @ApiProperty() sliverM2!: number;
}

export class ValidationJobDto {
  @ApiProperty() jobId!: string;
  @ApiProperty({ enum: ['waiting', 'active', 'completed', 'failed', 'delayed', 'unknown'] }) status!: string;
  @ApiPropertyOptional() progress?: number;
  @ApiPropertyOptional({ type: ValidationResultDto }) result?: ValidationResultDto;
  @ApiPropertyOptional() error?: string;
}

export class DiffEntryDto {
  @ApiProperty({ enum: ['added', 'removed', 'recategorised', 'reshaped'] }) change!: string;
  @ApiProperty({ nullable: true, type: String }) areaId!: string | null;
  @ApiProperty({ nullable: true, type: String }) previousAreaId!: string | null;
  @ApiProperty({ nullable: true, type: String }) category!: string | null;
  @ApiProperty({ nullable: true, type: String }) previousCategory!: string | null;
  @ApiProperty({ type: Object, description: 'the changed geometry: the area (added/removed/recategorised) or the symmetric difference (reshaped)' }) geometry!: GeoJsonGeometry;
  @ApiProperty({ description: 'm² of the changed geometry' }) changedM2!: number;
  @ApiProperty() changedMu!: number;
}

export class PlanDiffDto {
  @ApiProperty() planId!: string;
  @ApiProperty({ nullable: true, type: String }) againstPlanId!: string | null;
  @ApiProperty({ type: [DiffEntryDto] }) changes!: DiffEntryDto[];
}

export class CommentDto {
  @ApiProperty() id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty() author!: { id: string; displayName: string };
  @ApiProperty() body!: string;
  @ApiProperty({ nullable: true, type: Object }) location!: GeoJsonGeometry | null;
  @ApiProperty() createdAt!: string;
}

export class SplitResultDto {
  @ApiProperty({ type: [AreaDto] }) pieces!: AreaDto[];
  @ApiProperty({ type: PlanDetailDto }) plan!: PlanDetailDto;
}
