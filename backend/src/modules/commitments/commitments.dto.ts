import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { GeoJsonGeometry } from '../spatial/geojson';
import { COMMITMENT_ACTIONS, COMMITMENT_STATES, CommitmentState } from './commitment.transitions';

export class CreateCommitmentDto {
  @ApiProperty({ format: 'uuid', description: 'an issued zoning plan of the committee’s zone' }) @IsUUID() planId!: string;
  @ApiProperty({ example: '孙管委' }) @IsString() @IsNotEmpty() @MaxLength(50) signatoryName!: string;
  @ApiProperty({ example: '管委会主任' }) @IsString() @IsNotEmpty() @MaxLength(50) signatoryTitle!: string;
  @ApiPropertyOptional({ type: [String], description: 'clauses the committee adds after the standard obligations' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(500, { each: true })
  extraClauses?: string[];
}

/** The form's current values: the letter as it would read if signed today (nothing is written). */
export class PreviewCommitmentDto {
  @ApiProperty({ format: 'uuid', description: 'an issued zoning plan of the committee’s zone' }) @IsUUID() planId!: string;
  @ApiPropertyOptional({ example: '孙管委', description: 'may be empty while the form is being filled in' }) @IsOptional() @IsString() @MaxLength(50) signatoryName?: string;
  @ApiPropertyOptional({ example: '管委会主任' }) @IsOptional() @IsString() @MaxLength(50) signatoryTitle?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(500, { each: true })
  extraClauses?: string[];
}

export class UpdateCommitmentDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(50) signatoryName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(50) signatoryTitle?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(500, { each: true })
  extraClauses?: string[];
}

export class CommitmentActionDto {
  @ApiPropertyOptional({ description: 'required to reject' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class CommitmentListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() zoneId?: string;
  @ApiPropertyOptional({ enum: COMMITMENT_STATES }) @IsOptional() @IsIn(COMMITMENT_STATES) state?: CommitmentState;
}

export class LetterTextDto {
  @ApiProperty() title!: string;
  @ApiProperty() addressee!: string;
  @ApiProperty() preamble!: string;
  @ApiProperty({ type: [String] }) clauses!: string[];
  @ApiProperty() closing!: string;
  @ApiProperty({ type: [String] }) signature!: string[];
}

export class ReleaseAreaRefDto {
  @ApiProperty() label!: string;
  @ApiProperty() areaM2!: number;
  @ApiProperty() areaMu!: number;
  @ApiProperty() areaHa!: number;
}

export class CommitmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ enum: COMMITMENT_STATES }) state!: CommitmentState;
  @ApiPropertyOptional({ description: 'SHA-256 (hex) of the frozen PDF, once submitted' }) pdfSha256?: string;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty() zoneCode!: string;
  @ApiProperty() zoneName!: string;
  @ApiProperty() planVersion!: number;
  @ApiProperty({ nullable: true, type: String }) documentNumber!: string | null;
  @ApiProperty() signatoryName!: string;
  @ApiProperty() signatoryTitle!: string;
  @ApiProperty({ type: [String] }) extraClauses!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'signing (submission) time, +08:00' }) signedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) rejectReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) createdAt!: string | null;
  @ApiProperty({ type: [String], enum: COMMITMENT_ACTIONS, description: 'actions the caller may take now' }) allowedActions!: string[];
}

export class CommitmentDetailDto extends CommitmentDto {
  @ApiProperty({ type: LetterTextDto, description: 'the letter as frozen (or, for a draft, the live preview)' }) letter!: LetterTextDto;
  @ApiProperty({ type: [ReleaseAreaRefDto] }) releaseAreas!: ReleaseAreaRefDto[];
  @ApiProperty({ description: 'total release land covered, 亩' }) releaseMu!: number;
}

export class CommitmentPreviewDto {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty() planVersion!: number;
  @ApiProperty({ nullable: true, type: String }) documentNumber!: string | null;
  @ApiProperty({ description: 'the date the letter will carry if submitted today, Asia/Shanghai (YYYY-MM-DD)' }) letterDate!: string;
  @ApiProperty({ type: LetterTextDto }) letter!: LetterTextDto;
  @ApiProperty({ type: [ReleaseAreaRefDto] }) releaseAreas!: ReleaseAreaRefDto[];
  @ApiProperty({ description: 'total release land covered, 亩' }) releaseMu!: number;
}

export class VerifyResultDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty() recordedSha256!: string;
  @ApiProperty() actualSha256!: string;
  @ApiProperty() bytes!: number;
}

export class AreaFiguresDto {
  @ApiProperty() m2!: number;
  @ApiProperty() mu!: number;
  @ApiProperty() ha!: number;
}

export class ReleaseStatusDto {
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the issued plan, or null when the zone has none' }) planId!: string | null;
  @ApiProperty({ nullable: true, type: Number }) planVersion!: number | null;
  @ApiProperty({ nullable: true, type: String }) documentNumber!: string | null;
  @ApiProperty({ type: AreaFiguresDto, description: 'release land of the issued plan' }) release!: AreaFiguresDto;
  @ApiProperty({ type: AreaFiguresDto, description: 'released: covered by accepted commitments' }) released!: AreaFiguresDto;
  @ApiProperty({ type: AreaFiguresDto, description: 'release land still waiting for an accepted commitment' }) pendingCommitment!: AreaFiguresDto;
  @ApiProperty({ type: Object, nullable: true, description: 'GeoJSON MultiPolygon' }) releasedGeometry!: GeoJsonGeometry | null;
  @ApiProperty({ type: Object, nullable: true, description: 'GeoJSON MultiPolygon' }) pendingGeometry!: GeoJsonGeometry | null;
  @ApiProperty({ type: [Object], description: 'accepted commitments of the zone (any plan version)' })
  acceptedCommitments!: Array<{ id: string; planVersion: number; signedAt: string | null; decidedAt: string | null }>;
}
