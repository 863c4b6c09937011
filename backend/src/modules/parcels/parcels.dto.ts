import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsIsoWithOffset } from '../assessments/evidence-scope';
import { ClearanceResponseDto } from '../clearance/clearance.dto';
import { GeoJsonGeometry, IsGeoJsonGeometry } from '../spatial/geojson';

export class CreateParcelDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() zoneId!: string;
  @ApiProperty({ example: 'TL-2026-07', description: 'unique within the zone' }) @IsString() @Matches(/^\S(.*\S)?$/) @MaxLength(60) code!: string;
  @ApiProperty({ example: '新材料产业园三号地块' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: '工业用地' }) @IsString() @IsNotEmpty() @MaxLength(100) plannedUse!: string;
  @ApiProperty({ type: Object, description: 'GeoJSON Polygon or MultiPolygon, lon/lat' })
  @IsGeoJsonGeometry(['Polygon', 'MultiPolygon'])
  geometry!: GeoJsonGeometry;
}

export class ParcelListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() zoneId?: string;
}

export class TransferParcelDto {
  @ApiProperty({ example: '2026-12-01T10:00:00+08:00', description: 'ISO 8601 with an offset' }) @IsIsoWithOffset() transferredAt!: string;
}

export class ParcelVerdictDto {
  @ApiProperty() verdict!: string;
  @ApiProperty({ type: [Object] }) reasons!: Array<{ code: string; message: string }>;
}

export class ParcelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty() zoneCode!: string;
  @ApiProperty() zoneName!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() plannedUse!: string;
  @ApiProperty() areaM2!: number;
  @ApiProperty() areaMu!: number;
  @ApiProperty() areaHa!: number;
  @ApiProperty({ nullable: true, type: String, description: 'ISO 8601, +08:00' }) transferredAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) createdAt!: string | null;
  @ApiProperty({ type: ClearanceResponseDto, description: 'the current clearance verdict (no geometry for contractors)' }) clearance!: ClearanceResponseDto;
}

export class ParcelDetailDto extends ParcelDto {
  @ApiProperty({ type: Object, description: 'GeoJSON MultiPolygon, lon/lat' }) geometry!: GeoJsonGeometry;
}
