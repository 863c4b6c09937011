import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ORG_TYPES, OrgType, Principal, ROLES, Role } from './roles';

export class LoginDto {
  @ApiProperty({ example: 'assessor' }) @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  @ApiProperty({ example: 'Qianzhi@2026' }) @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) refreshToken!: string;
}

export class OrgRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ORG_TYPES }) type!: OrgType;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '140405' }) divisionCode!: string;
}

export class ScopeDto {
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ enum: ['province', 'division', 'zone', 'org'] }) scopeType!: string;
  @ApiProperty({ nullable: true, type: String }) divisionCode!: string | null;
  @ApiProperty({ nullable: true, type: String }) zoneId!: string | null;
  @ApiProperty({ nullable: true, type: String }) orgId!: string | null;
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ type: OrgRefDto }) org!: OrgRefDto;
  @ApiProperty({ type: ScopeDto, isArray: true }) scopes!: ScopeDto[];
}

export class LoginResponseDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ description: 'access token lifetime in seconds' }) expiresIn!: number;
  @ApiProperty({ type: SessionUserDto }) user!: SessionUserDto;
}

export function mapSessionUser(p: Principal): SessionUserDto {
  return {
    id: p.userId,
    username: p.username,
    displayName: p.displayName,
    roles: p.roles,
    org: { id: p.org.id, type: p.org.type, name: p.org.name, divisionCode: p.org.divisionCode },
    scopes: p.assignments.map((a) => ({ role: a.role, scopeType: a.scopeType, divisionCode: a.divisionCode, zoneId: a.zoneId, orgId: a.orgId })),
  };
}
