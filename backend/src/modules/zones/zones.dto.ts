import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { GeoJsonGeometry, IsGeoJsonGeometry } from '../spatial/geojson';

export const ZONE_CATEGORIES = ['industrial', 'agricultural', 'cultural_tourism'] as const;
export type ZoneCategory = (typeof ZONE_CATEGORIES)[number];
export const ZONE_LEVELS = ['national', 'provincial'] as const;

export class DivisionRefDto {
  @ApiProperty({ example: '140405' }) code!: string;
  @ApiProperty({ example: '屯留区' }) name!: string;
}
export class OrgNameDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class ZoneDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'SX-CZ-TL' }) code!: string;
  @ApiProperty({ example: '屯留经济技术开发区' }) name!: string;
  @ApiProperty({ nullable: true, type: String }) nameEn!: string | null;
  @ApiProperty({ enum: ZONE_CATEGORIES }) category!: ZoneCategory;
  @ApiProperty({ enum: ZONE_LEVELS }) level!: string;
  @ApiProperty({ type: DivisionRefDto }) division!: DivisionRefDto;
  @ApiProperty({ type: OrgNameDto, nullable: true }) committeeOrg!: OrgNameDto | null;
  @ApiProperty({ description: 'area on the ellipsoid, m²' }) areaM2!: number;
  @ApiProperty({ description: '亩 (1 亩 = 10000/15 m²)' }) areaMu!: number;
  @ApiProperty({ description: 'hectares' }) areaHa!: number;
  @ApiProperty({ nullable: true, type: String, description: 'state of the latest assessment; not_started for an industrial zone without one; not_applicable for other categories (projects there apply individually)' })
  assessmentStatus!: string | null;
  @ApiProperty() isDemo!: boolean;
  @ApiProperty({ type: [Number], description: 'minLon, minLat, maxLon, maxLat' }) bbox!: number[];
}

export class ZoneDetailDto extends ZoneDto {
  @ApiProperty({ type: Object, description: 'GeoJSON MultiPolygon, lon/lat' }) boundary!: GeoJsonGeometry;
}

export class ZoneListQuery {
  @ApiPropertyOptional({ enum: ZONE_CATEGORIES }) @IsOptional() @IsIn(ZONE_CATEGORIES) category?: ZoneCategory;
  @ApiPropertyOptional({ example: '140400', description: 'zones in this division or below it' }) @IsOptional() @Matches(/^[0-9]{6}$/) division?: string;
  @ApiPropertyOptional({ description: 'search in name or code' }) @IsOptional() @IsString() @MaxLength(50) q?: string;
}

export class CreateZoneDto {
  @ApiProperty() @Matches(/^[A-Za-z0-9_-]{2,40}$/) code!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) nameEn?: string;
  @ApiProperty({ enum: ZONE_CATEGORIES }) @IsIn(ZONE_CATEGORIES) category!: ZoneCategory;
  @ApiProperty({ enum: ZONE_LEVELS }) @IsIn(ZONE_LEVELS) level!: 'national' | 'provincial';
  @ApiProperty({ example: '140405' }) @Matches(/^[0-9]{6}$/) divisionCode!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() committeeOrgId?: string;
  @ApiProperty({ type: Object, description: 'GeoJSON Polygon or MultiPolygon, lon/lat (EPSG:4490/4326)' })
  @IsGeoJsonGeometry(['Polygon', 'MultiPolygon'])
  boundary!: GeoJsonGeometry;
}

export class UpdateZoneDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) nameEn?: string;
  @ApiPropertyOptional({ enum: ZONE_CATEGORIES }) @IsOptional() @IsIn(ZONE_CATEGORIES) category?: ZoneCategory;
  @ApiPropertyOptional({ enum: ZONE_LEVELS }) @IsOptional() @IsIn(ZONE_LEVELS) level?: 'national' | 'provincial';
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9]{6}$/) divisionCode?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() committeeOrgId?: string;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsGeoJsonGeometry(['Polygon', 'MultiPolygon']) boundary?: GeoJsonGeometry;
}
