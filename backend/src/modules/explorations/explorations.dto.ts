import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { GeoJsonGeometry, IsGeoJsonGeometry } from '../spatial/geojson';
import { EXPLORATION_RESULTS, EXPLORATION_STATES, ExplorationResult, ExplorationState } from './exploration.transitions';

/** `{ parcelId }` or `{ zoneId, geometry }`. */
export class CreateExplorationDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() parcelId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() zoneId?: string;
  @ApiPropertyOptional({ type: Object, description: 'GeoJSON Polygon or MultiPolygon, lon/lat' })
  @IsOptional() @IsGeoJsonGeometry(['Polygon', 'MultiPolygon'])
  geometry?: GeoJsonGeometry;
}

export class ExplorationActionDto {
  @ApiPropertyOptional({ enum: EXPLORATION_RESULTS, description: 'required to complete' }) @IsOptional() @IsIn(EXPLORATION_RESULTS) result?: ExplorationResult;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) notes?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class ExplorationListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() zoneId?: string;
  @ApiPropertyOptional({ enum: EXPLORATION_STATES }) @IsOptional() @IsIn(EXPLORATION_STATES) state?: ExplorationState;
}

export class ExplorationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty() zoneCode!: string;
  @ApiProperty() zoneName!: string;
  @ApiProperty({ enum: ['industrial', 'agricultural', 'cultural_tourism'] }) zoneCategory!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) parcelId!: string | null;
  @ApiProperty({ enum: EXPLORATION_STATES }) state!: ExplorationState;
  @ApiProperty({ nullable: true, enum: EXPLORATION_RESULTS }) result!: ExplorationResult | null;
  @ApiProperty({ nullable: true, type: String }) resultNotes!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'draft zoning revision opened by relics_found in an industrial zone' })
  revisionPlanId!: string | null;
  @ApiProperty() areaM2!: number;
  @ApiProperty() areaMu!: number;
  @ApiProperty() areaHa!: number;
  @ApiProperty({ type: Object }) geometry!: GeoJsonGeometry;
  @ApiProperty({ nullable: true, type: String }) createdAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty({ type: [String] }) allowedActions!: string[];
}
