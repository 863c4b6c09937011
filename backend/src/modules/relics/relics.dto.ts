import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { GeoJsonGeometry, IsGeoJsonGeometry } from '../spatial/geojson';
import { PROTECTION_LEVELS, ProtectionLevel } from './relic-level';

export class RelicZoneRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class RelicDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String, example: '140405-0012' }) code!: string | null;
  @ApiProperty({ example: '西村古墓' }) name!: string;
  @ApiProperty({ enum: PROTECTION_LEVELS }) protectionLevel!: ProtectionLevel;
  @ApiProperty({ nullable: true, type: String, example: '汉' }) period!: string | null;
  @ApiProperty({ type: Object, description: 'GeoJSON Point, Polygon or MultiPolygon, lon/lat' }) geometry!: GeoJsonGeometry;
  @ApiProperty({ type: Object, nullable: true, description: '保护范围, GeoJSON MultiPolygon' }) protectionRange!: GeoJsonGeometry | null;
  @ApiProperty({ type: Object, nullable: true, description: '建设控制地带, GeoJSON MultiPolygon' }) controlZone!: GeoJsonGeometry | null;
  @ApiProperty({ type: RelicZoneRefDto, nullable: true, description: 'the development zone it lies in (computed)' }) zone!: RelicZoneRefDto | null;
  @ApiProperty({ example: '140405' }) divisionCode!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'protection range area on the ellipsoid, m²' }) protectionRangeM2!: number | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ description: 'row revision; sent as ETag, expected back in If-Match' }) rowVersion!: number;
}

export class CreateRelicDto {
  @ApiPropertyOptional({ example: '140405-0012' }) @IsOptional() @Matches(/^[\p{L}\p{N}_\-.·]{1,60}$/u) code?: string;
  @ApiProperty({ example: '西村古墓' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ enum: PROTECTION_LEVELS }) @IsIn(PROTECTION_LEVELS) protectionLevel!: ProtectionLevel;
  @ApiPropertyOptional({ example: '汉' }) @IsOptional() @IsString() @MaxLength(100) period?: string;
  @ApiProperty({ type: Object, description: 'GeoJSON Point, Polygon or MultiPolygon, lon/lat' })
  @IsGeoJsonGeometry(['Point', 'Polygon', 'MultiPolygon'])
  geometry!: GeoJsonGeometry;
  @ApiPropertyOptional({ type: Object, description: '保护范围 (Polygon/MultiPolygon); must cover the relic' })
  @IsOptional() @IsGeoJsonGeometry(['Polygon', 'MultiPolygon'])
  protectionRange?: GeoJsonGeometry | null;
  @ApiPropertyOptional({ type: Object, description: '建设控制地带 (Polygon/MultiPolygon); must cover the protection range' })
  @IsOptional() @IsGeoJsonGeometry(['Polygon', 'MultiPolygon'])
  controlZone?: GeoJsonGeometry | null;
  @ApiPropertyOptional({ example: '140405', description: 'when omitted, the division of the zone the relic lies in' })
  @IsOptional() @Matches(/^[0-9]{6}$/) divisionCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
}

export class UpdateRelicDto {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[\p{L}\p{N}_\-.·]{1,60}$/u) code?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: PROTECTION_LEVELS }) @IsOptional() @IsIn(PROTECTION_LEVELS) protectionLevel?: ProtectionLevel;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) period?: string;
  @ApiPropertyOptional({ type: Object }) @IsOptional() @IsGeoJsonGeometry(['Point', 'Polygon', 'MultiPolygon']) geometry?: GeoJsonGeometry;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'null removes it' })
  @IsOptional() @IsGeoJsonGeometry(['Polygon', 'MultiPolygon'])
  protectionRange?: GeoJsonGeometry | null;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'null removes it' })
  @IsOptional() @IsGeoJsonGeometry(['Polygon', 'MultiPolygon'])
  controlZone?: GeoJsonGeometry | null;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9]{6}$/) divisionCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
}

export class RelicListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() zoneId?: string;
  @ApiPropertyOptional({ example: '112.85,36.28,112.93,36.35', description: 'minLon,minLat,maxLon,maxLat (relic or its ranges intersect)' })
  @IsOptional() @IsString() bbox?: string;
}
