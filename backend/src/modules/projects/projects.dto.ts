import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export const PROJECT_STATES = ['active', 'stopped', 'completed'] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];

export class CreateProjectDto {
  @ApiProperty({ format: 'uuid', description: 'a transferred parcel of the committee’s zone' }) @IsUUID() parcelId!: string;
  @ApiProperty({ example: '晋通新材料厂房一期' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ format: 'uuid', description: 'an organisation of type contractor' }) @IsUUID() contractorOrgId!: string;
}

export class ProjectListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() zoneId?: string;
  @ApiPropertyOptional({ enum: PROJECT_STATES }) @IsOptional() @IsIn(PROJECT_STATES) state?: ProjectState;
}

/** API.md: `GET /api/projects` → `[ { id, name, state, zoneId, parcelId } ]`. */
export class ProjectDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PROJECT_STATES }) state!: ProjectState;
  @ApiProperty({ format: 'uuid' }) zoneId!: string;
  @ApiProperty({ format: 'uuid' }) parcelId!: string;
}

export class ProjectContractorDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class ProjectDetailDto extends ProjectDto {
  @ApiProperty() zoneCode!: string;
  @ApiProperty() zoneName!: string;
  @ApiProperty() parcelCode!: string;
  @ApiProperty() parcelName!: string;
  @ApiProperty({ type: ProjectContractorDto }) contractor!: ProjectContractorDto;
  @ApiProperty({ nullable: true, type: String }) createdAt!: string | null;
}

/** A contractor organisation a committee may assign to a project (name only: nothing else about it). */
export class ContractorOrgDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}
