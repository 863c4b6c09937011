import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Min } from 'class-validator';
import type { FeatureCollection } from 'geojson';
import { DEFAULT_IMPORT_LIMITS } from './import-limits';
import type { CrsSource, ImportFormat } from './parsed-layer';

export const IMPORT_FORMATS: ImportFormat[] = ['geojson', 'kml', 'kmz', 'shapefile_zip', 'csv', 'gpx', 'dxf'];

/** The multipart form of POST /api/imports/preview (documentation only: fields are read from the stream). */
export class ImportPreviewForm {
  @ApiProperty({ type: 'string', format: 'binary', description: 'GeoJSON, KML/KMZ, zipped Shapefile, CSV (x/y columns), GPX or DXF' })
  file!: unknown;
  @ApiPropertyOptional({ example: '4547', description: 'EPSG code the coordinates are in (overrides the file); needed for CSV/DXF without a detectable CRS' })
  srid?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: swap X and Y; false: never swap automatically; absent: detect' })
  swapXY?: string;
  @ApiPropertyOptional({ enum: ['true'], description: 'repair invalid geometries (ST_MakeValid); without it they are reported and cannot be committed' })
  repair?: string;
  @ApiPropertyOptional({ example: 'zone-boundary', description: 'the import target: warns early about features of a geometry type it does not take' })
  target?: string;
}

export class ImportCrsDto {
  @ApiProperty({ example: 4526, description: 'EPSG code of the source coordinates' }) epsg!: number;
  @ApiProperty({ enum: ['prj', 'geojson_crs', 'kml_spec', 'gpx_spec', 'coordinates', 'user'], nullable: true, type: String })
  detectedFrom!: CrsSource | null;
}

export class ImportWarningDto {
  @ApiProperty({ example: 'invalid_geometry', description: 'axis_swapped, no_crs, crs_mismatch, invalid_geometry, geometry_repaired, encoding_guessed, features_skipped, rows_skipped, entities_skipped, multiple_layers, csv_no_header, z_dropped, geometry_type_not_accepted' })
  code!: string;
  @ApiProperty({ description: 'in the language of Accept-Language' }) message!: string;
  @ApiPropertyOptional({ description: 'index of the feature concerned (the feature id in `features`)' }) featureIndex?: number;
  @ApiPropertyOptional({ type: [Number], description: 'indexes of the features concerned, when the warning covers several' }) featureIndexes?: number[];
  @ApiPropertyOptional({ description: 'PostGIS ST_IsValidDetail reason, e.g. "Self-intersection"' }) reason?: string;
  @ApiPropertyOptional({ type: Object, description: 'GeoJSON Point (lon/lat, EPSG:4490) where the problem is' }) location?: { type: 'Point'; coordinates: [number, number] };
}

export class ImportPreviewDto {
  @ApiProperty({ format: 'uuid' }) importId!: string;
  @ApiProperty({ enum: IMPORT_FORMATS }) format!: ImportFormat;
  @ApiProperty({ type: ImportCrsDto }) crs!: ImportCrsDto;
  @ApiProperty() featureCount!: number;
  @ApiProperty({ type: Object, description: 'FeatureCollection in EPSG:4490 lon/lat; each feature id is its index, properties._valid its validity' })
  features!: FeatureCollection;
  @ApiProperty({ type: [ImportWarningDto] }) warnings!: ImportWarningDto[];
  @ApiProperty({ description: 'the preview can be committed until then (ISO 8601, +08:00)' }) expiresAt!: string;
}

export class ImportCommitDto {
  @ApiProperty({ example: 'zone-boundary', description: 'registered import target' })
  @IsString() @IsNotEmpty() @Matches(/^[a-z0-9-]{1,60}$/)
  target!: string;

  @ApiPropertyOptional({ type: [Number], description: 'indexes of the features to write; all when absent' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(DEFAULT_IMPORT_LIMITS.maxFeatures) @IsInt({ each: true }) @Min(0, { each: true })
  featureIndexes?: number[];

  @ApiPropertyOptional({ type: Object, example: { zoneId: '3f0c…' }, description: 'what the target needs (zone, assessment …)' })
  @IsOptional() @IsObject()
  options?: Record<string, unknown>;
}

export class ImportCommitResultDto {
  @ApiProperty({ example: 'zone-boundary' }) target!: string;
  @ApiProperty({ description: 'rows written' }) written!: number;
  @ApiPropertyOptional({ type: [String], description: 'ids of the records written, when the target reports them' }) ids?: string[];
}
