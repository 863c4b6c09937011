export const ROLES = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer', 'contractor', 'integrator'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_TYPES = ['province', 'division', 'zone', 'org'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

export const ORG_TYPES = ['bureau', 'institute', 'local_authority', 'zone_committee', 'contractor'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export interface RoleAssignment {
  role: Role;
  scopeType: ScopeType;
  divisionCode: string | null;
  /** materialised path of the division (140000.140400.140405), for "covers" tests */
  divisionPath: string | null;
  zoneId: string | null;
  orgId: string | null;
}

/** Who is calling: resolved once per request by the AccessGuard from a bearer token or an API key. */
export interface Principal {
  kind: 'user' | 'api_key';
  userId: string;
  username: string;
  displayName: string;
  org: { id: string; type: OrgType; name: string; divisionCode: string };
  roles: Role[];
  assignments: RoleAssignment[];
  apiKeyId?: string;
}

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return p.roles.some((r) => roles.includes(r));
}
