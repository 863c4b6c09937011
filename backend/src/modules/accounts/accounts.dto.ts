import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested,
} from 'class-validator';
import { ORG_TYPES, OrgType, ROLES, Role, SCOPE_TYPES, ScopeType } from '../auth/roles';

export class DivisionDto {
  @ApiProperty({ example: '140405' }) code!: string;
  @ApiProperty({ example: '屯留区' }) name!: string;
  @ApiProperty({ nullable: true, type: String }) nameEn!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '140400' }) parentCode!: string | null;
  @ApiProperty({ enum: ['province', 'city', 'county'] }) level!: string;
}

export class CreateDivisionDto {
  @ApiProperty({ example: '140405' }) @Matches(/^[0-9]{6}$/) code!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) nameEn?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9]{6}$/) parentCode?: string;
  @ApiProperty({ enum: ['province', 'city', 'county'] }) @IsIn(['province', 'city', 'county']) level!: 'province' | 'city' | 'county';
}

export class OrgDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ORG_TYPES }) type!: OrgType;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) nameEn!: string | null;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() divisionName!: string;
  @ApiProperty() userCount!: number;
}

export class CreateOrgDto {
  @ApiProperty({ enum: ORG_TYPES }) @IsIn(ORG_TYPES) type!: OrgType;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) nameEn?: string;
  @ApiProperty({ example: '140405' }) @Matches(/^[0-9]{6}$/) divisionCode!: string;
}

export class UpdateOrgDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) nameEn?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9]{6}$/) divisionCode?: string;
}

export class RoleAssignmentInput {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
  @ApiProperty({ enum: SCOPE_TYPES }) @IsIn(SCOPE_TYPES) scopeType!: ScopeType;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9]{6}$/) divisionCode?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() zoneId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() orgId?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ format: 'uuid' }) orgId!: string;
  @ApiProperty() orgName!: string;
  @ApiProperty() isActive!: boolean;
  @ApiProperty() isServiceAccount!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'ISO 8601 with offset' }) lockedUntil!: string | null;
  @ApiProperty({ type: RoleAssignmentInput, isArray: true }) roles!: RoleAssignmentInput[];
}

export class CreateUserDto {
  @ApiProperty() @Matches(/^[A-Za-z0-9_.-]{3,50}$/) username!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) displayName!: string;
  @ApiProperty() @IsString() @MaxLength(200) password!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() orgId!: string;
  @ApiProperty({ type: RoleAssignmentInput, isArray: true })
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => RoleAssignmentInput)
  roles!: RoleAssignmentInput[];
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) displayName?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isActive?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) password?: string;
  @ApiPropertyOptional({ type: RoleAssignmentInput, isArray: true })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => RoleAssignmentInput)
  roles?: RoleAssignmentInput[];
}

export class CreateServiceAccountDto {
  @ApiProperty() @Matches(/^[A-Za-z0-9_.-]{3,50}$/) username!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) displayName!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() orgId!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: '土地出让系统' }) @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() prefix!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'the key itself — shown once, only its hash is stored' }) key!: string;
}
