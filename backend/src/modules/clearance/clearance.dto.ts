import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { GeoJsonGeometry, IsGeoJsonGeometry } from '../spatial/geojson';
import { BUCKETS, CLEARANCE_VERDICTS, ClearanceVerdict } from './clearance-verdict';

/** API.md: exactly one of `{ geometry }`, `{ parcelId }`, `{ zoneCode, parcelCode }`. */
export class ClearanceRequestDto {
  @ApiPropertyOptional({ type: Object, description: 'GeoJSON Polygon or MultiPolygon, lon/lat' })
  @IsOptional()
  @IsGeoJsonGeometry(['Polygon', 'MultiPolygon'])
  geometry?: GeoJsonGeometry;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() parcelId?: string;
  @ApiPropertyOptional({ example: 'SX-CZ-TLETDZ' }) @IsOptional() @IsString() @MaxLength(40) zoneCode?: string;
  @ApiPropertyOptional({ example: 'TL-2026-01' }) @IsOptional() @IsString() @Matches(/\S/) @MaxLength(60) parcelCode?: string;
}

export class ReasonDto {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

export class ObligationDto {
  @ApiProperty() code!: string;
  @ApiProperty() text!: string;
}

export class ClearanceZoneDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['industrial', 'agricultural', 'cultural_tourism'] }) category!: string;
}

export class BucketAreaDto {
  @ApiProperty({ description: 'm² on the ellipsoid' }) m2!: number;
  @ApiProperty({ description: '亩' }) mu!: number;
  @ApiProperty({ description: 'percent of the polygon; the five buckets sum to 100' }) share!: number;
}

export class AreaTotalDto {
  @ApiProperty({ description: 'm² on the ellipsoid' }) m2!: number;
  @ApiProperty({ description: '亩' }) mu!: number;
  @ApiProperty({ description: 'hectares' }) ha!: number;
}

export class ExploredClearDto {
  @ApiProperty({ description: 'm² on the ellipsoid' }) m2!: number;
  @ApiProperty({ description: '亩' }) mu!: number;
}

export class ClearanceAreasDto {
  @ApiProperty({ type: BucketAreaDto }) avoidance!: BucketAreaDto;
  @ApiProperty({ type: BucketAreaDto }) exploration!: BucketAreaDto;
  @ApiProperty({ type: BucketAreaDto }) release!: BucketAreaDto;
  @ApiProperty({ type: BucketAreaDto }) unzoned!: BucketAreaDto;
  @ApiProperty({ type: BucketAreaDto }) outside!: BucketAreaDto;
}

export class ClearanceParcelRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class ClearanceResponseDto {
  @ApiProperty({ enum: CLEARANCE_VERDICTS }) verdict!: ClearanceVerdict;
  @ApiProperty({ type: [ReasonDto] }) reasons!: ReasonDto[];
  @ApiProperty({ type: ClearanceZoneDto, nullable: true }) zone!: ClearanceZoneDto | null;
  @ApiProperty({ type: ClearanceAreasDto, description: `buckets: ${BUCKETS.join(', ')}` }) areas!: ClearanceAreasDto;
  @ApiProperty({ type: [ObligationDto] }) obligations!: ObligationDto[];
  @ApiProperty({ type: AreaTotalDto, description: 'polygon area: m², 亩, ha' }) total!: AreaTotalDto;
  @ApiProperty({ type: ExploredClearDto, description: 'part of the polygon explored without finds (counts as cleared), m² and 亩' })
  exploredClear!: ExploredClearDto;
  @ApiPropertyOptional({ type: ClearanceParcelRefDto, description: 'when a parcel was asked about' }) parcel?: ClearanceParcelRefDto;
  @ApiPropertyOptional({
    type: Object,
    description: 'only for roles that may see zoning: the parts standing in the way, clipped to the polygon (kind: avoidance | exploration | individual_survey | pending_commitment)',
  })
  blockingAreas?: { type: 'FeatureCollection'; features: unknown[] };
}
