import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { GeoJsonGeometry, IsGeoJsonGeometry } from '../spatial/geojson';
import { IsIsoWithOffset } from '../assessments/evidence-scope';

export const OBSERVATION_KINDS = ['surface_scatter', 'section_exposure', 'relic_check'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

export class TrackDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ type: Object, description: 'GeoJSON MultiLineString, lon/lat' }) geometry!: GeoJsonGeometry;
  @ApiProperty({ description: 'length on the ellipsoid, m' }) lengthM!: number;
  @ApiProperty({ nullable: true, type: String }) recordedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) recordedBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CreateTrackDto {
  @ApiProperty({ example: '第 3 组 拉网调查 A 线' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ type: Object, description: 'GeoJSON LineString or MultiLineString, lon/lat' })
  @IsGeoJsonGeometry(['LineString', 'MultiLineString'])
  geometry!: GeoJsonGeometry;
  @ApiPropertyOptional({ example: '2026-11-27T09:30:00+08:00' }) @IsOptional() @IsIsoWithOffset() recordedAt?: string;
}

export class PhotoDto {
  @ApiProperty({ format: 'uuid' }) fileId!: string;
  @ApiProperty({ description: 'GET this to download the photo', example: '/api/files/…' }) url!: string;
  @ApiProperty({ description: 'SHA-256 of the stored bytes (hex)' }) sha256!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ enum: ['image/jpeg', 'image/png', 'image/webp'] }) contentType!: string;
  @ApiProperty({ nullable: true, type: String }) originalName!: string | null;
  @ApiProperty() createdAt!: string;
}

export class ObservationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) assessmentId!: string;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty({ type: Object, description: 'GeoJSON Point, lon/lat' }) geometry!: GeoJsonGeometry;
  @ApiProperty({ enum: OBSERVATION_KINDS }) kind!: ObservationKind;
  @ApiProperty({ nullable: true, type: String, example: '汉代' }) period!: string | null;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ nullable: true, type: String }) observedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) recordedBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ description: 'row revision; sent as ETag, expected back in If-Match' }) rowVersion!: number;
  @ApiProperty({ type: PhotoDto, isArray: true }) photos!: PhotoDto[];
}

export class CreateObservationDto {
  @ApiProperty({ type: Object, description: 'GeoJSON Point, lon/lat' }) @IsGeoJsonGeometry(['Point']) geometry!: GeoJsonGeometry;
  @ApiProperty({ enum: OBSERVATION_KINDS }) @IsIn(OBSERVATION_KINDS) kind!: ObservationKind;
  @ApiPropertyOptional({ example: '汉代' }) @IsOptional() @IsString() @MaxLength(100) period?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiPropertyOptional({ example: '2026-11-27T10:05:00+08:00' }) @IsOptional() @IsIsoWithOffset() observedAt?: string;
}

export class UpdateObservationDto {
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsGeoJsonGeometry(['Point']) geometry?: GeoJsonGeometry;
  @ApiPropertyOptional({ enum: OBSERVATION_KINDS }) @IsOptional() @IsIn(OBSERVATION_KINDS) kind?: ObservationKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) period?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsIsoWithOffset() observedAt?: string;
}

export class CoverageQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 1000, description: 'distance from a track that counts as walked, m' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) distanceM?: number;
}

export class CoverageDto {
  @ApiProperty() distanceM!: number;
  @ApiProperty({ description: 'zone area on the ellipsoid, m²' }) zoneAreaM2!: number;
  @ApiProperty({ description: 'area of the zone within distanceM of a track, m²' }) coveredM2!: number;
  @ApiProperty({ description: 'percent of the zone covered, 0..100' }) coveredShare!: number;
  @ApiProperty({ description: 'covered area in 亩' }) coveredMu!: number;
}
