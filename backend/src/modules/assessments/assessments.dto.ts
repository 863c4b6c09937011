import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ASSESSMENT_ACTIONS, ASSESSMENT_STATES, AssessmentAction, AssessmentState } from './assessment-transitions';

export class AssessmentZoneRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'SX-CZ-TLETDZ' }) code!: string;
  @ApiProperty({ example: '屯留经济技术开发区' }) name!: string;
  @ApiProperty({ example: '140405' }) divisionCode!: string;
}

export class AssessmentMemberDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ['lead', 'member'] }) teamRole!: 'lead' | 'member';
}

export class AssessmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty({ type: AssessmentZoneRefDto }) zone!: AssessmentZoneRefDto;
  @ApiProperty({ enum: ASSESSMENT_STATES }) state!: AssessmentState;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-27T10:00:00.000+08:00' }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) concludedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ description: 'row revision (ETag)' }) rowVersion!: number;
  @ApiProperty({ enum: ASSESSMENT_ACTIONS, isArray: true, description: 'workflow actions allowed from the current state' })
  allowedActions!: AssessmentAction[];
  @ApiProperty({ type: AssessmentMemberDto, isArray: true }) members!: AssessmentMemberDto[];
}

export class AssessmentCountsDto {
  @ApiProperty() tracks!: number;
  @ApiProperty({ description: 'total length of the survey tracks, m (on the ellipsoid)' }) trackLengthM!: number;
  @ApiProperty() observations!: number;
  @ApiProperty({ type: Object, nullable: true, description: 'cores by result (negative, cultural_layer, tomb, feature, disturbed, planned …); null before coring exists', example: { negative: 120, tomb: 2 } })
  coresByResult!: Record<string, number> | null;
}

export class AssessmentDetailDto extends AssessmentDto {
  @ApiProperty({ type: AssessmentCountsDto }) counts!: AssessmentCountsDto;
}

export class CreateAssessmentDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() zoneId!: string;
  @ApiPropertyOptional({ example: '屯留经开区区域文物保护评估' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) title?: string;
  @ApiPropertyOptional({ type: [String], description: 'assessors on the team; the creating assessor (or else the first listed) leads it' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) memberIds?: string[];
}

export class AssessmentListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() zoneId?: string;
}

export class AssessmentActionDto {
  @ApiPropertyOptional({ description: 'why (kept in the audit log)' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class AddMemberDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
  @ApiPropertyOptional({ enum: ['lead', 'member'], default: 'member' }) @IsOptional() @IsIn(['lead', 'member']) teamRole?: 'lead' | 'member';
}
