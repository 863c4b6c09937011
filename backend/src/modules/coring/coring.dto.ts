import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsIsoWithOffset } from '../assessments/evidence-scope';
import { GeoJsonGeometry, IsGeoJsonGeometry } from '../spatial/geojson';
import { CORE_RESULTS, CORE_STATUSES, CoreResult, CoreStatus } from './core-result';

export const GRID_PATTERNS = ['square', 'quincunx'] as const;
export type GridPattern = (typeof GRID_PATTERNS)[number];
export const MAX_GRID_POINTS = 200_000;

export class GenerateGridDto {
  @ApiPropertyOptional({ type: Object, description: 'GeoJSON Polygon (lon/lat); default: the zone boundary. Points are kept inside this polygon and the zone boundary.' })
  @IsOptional()
  @IsGeoJsonGeometry(['Polygon'])
  polygon?: GeoJsonGeometry;

  @ApiProperty({ minimum: 5, maximum: 500, example: 25, description: 'distance between neighbouring cores in a row, and between rows, in metres' })
  @Type(() => Number)
  @IsNumber()
  @Min(5)
  @Max(500)
  spacingM!: number;

  @ApiProperty({ enum: GRID_PATTERNS, description: 'square, or quincunx (梅花): every other row shifted by half the spacing' })
  @IsIn(GRID_PATTERNS)
  pattern!: GridPattern;

  @ApiPropertyOptional({ description: 'first delete this assessment’s planned (not yet cored) points inside the polygon' })
  @IsOptional()
  @IsBoolean()
  replacePlanned?: boolean;
}

export class GridResultDto {
  @ApiProperty({ description: 'planned cores created' }) created!: number;
  @ApiProperty({ description: 'planned cores removed first (replacePlanned)' }) removed!: number;
  @ApiProperty() spacingM!: number;
  @ApiProperty({ enum: GRID_PATTERNS }) pattern!: GridPattern;
  @ApiProperty({ example: 4547, description: 'the CGCS2000 3-degree Gauss–Krüger projection (no zone prefix) the grid was laid out in' }) epsg!: number;
}

export class RecordCoreDto {
  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: 9999, description: 'depth reached, metres' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(9999)
  depthM?: number | null;

  @ApiPropertyOptional({ enum: CORE_RESULTS, nullable: true, description: 'a result marks the core cored; null returns it to planned' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(CORE_RESULTS)
  result?: CoreResult | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'stratigraphy notes (地层描述)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(4000)
  stratigraphy?: string | null;

  @ApiPropertyOptional({ example: '2026-11-27T10:30:00+08:00', description: 'when the core was drilled, ISO 8601 with offset; defaults to now when a result is first recorded' })
  @IsOptional()
  @IsIsoWithOffset()
  coredAt?: string;
}

export class PointGeometryDto {
  @ApiProperty({ enum: ['Point'] }) type!: 'Point';
  @ApiProperty({ type: [Number], example: [112.892, 36.318] }) coordinates!: number[];
}

export class CoreDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'TLETDZ-000123' }) code!: string | null;
  @ApiProperty({ type: PointGeometryDto }) location!: PointGeometryDto;
  @ApiProperty({ enum: CORE_STATUSES }) status!: CoreStatus;
  @ApiProperty({ nullable: true, type: Number }) depthM!: number | null;
  @ApiProperty({ enum: CORE_RESULTS, nullable: true }) result!: CoreResult | null;
  @ApiProperty({ description: 'cultural_layer, tomb or feature' }) positive!: boolean;
  @ApiProperty({ nullable: true, type: String }) stratigraphy!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-27T10:30:00.000+08:00' }) coredAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) recordedBy!: string | null;
  @ApiProperty({ description: 'row revision; the ETag header is "<rowVersion>"' }) rowVersion!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CorePageDto {
  @ApiProperty({ type: [CoreDto] }) items!: CoreDto[];
  @ApiProperty({ description: 'cores matching the filter (in the caller’s scope)' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class CoreListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() assessmentId?: string;
  @ApiPropertyOptional({ description: 'minLon,minLat,maxLon,maxLat' }) @IsOptional() @IsString() bbox?: string;
  @ApiPropertyOptional({ enum: [...CORE_RESULTS, 'positive'], description: 'a result, or "positive" for cultural_layer/tomb/feature' })
  @IsOptional()
  @IsIn([...CORE_RESULTS, 'positive'])
  result?: CoreResult | 'positive';
  @ApiPropertyOptional({ enum: CORE_STATUSES }) @IsOptional() @IsIn(CORE_STATUSES) status?: CoreStatus;
  @ApiPropertyOptional({ default: 1000, maximum: 5000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5000) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class CoreSummaryDto {
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'counts by status', example: { planned: 120, cored: 880 } }) byStatus!: Record<CoreStatus, number>;
  @ApiProperty({ description: 'counts of cored points by result', example: { negative: 800, cultural_layer: 40, tomb: 5, feature: 20, disturbed: 15 } })
  byResult!: Record<CoreResult, number>;
  @ApiProperty({ description: 'cultural_layer + tomb + feature' }) positive!: number;
}

