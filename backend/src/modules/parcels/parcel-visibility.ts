import { hasRole, Principal, Role } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';

/** Roles that may see zoning geometry (DOMAIN.md §3): never contractors or integrators. */
const ZONING_VIEWERS: Role[] = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer'];

export function maySeeZoning(p: Principal): boolean {
  return p.kind === 'user' && hasRole(p, ...ZONING_VIEWERS);
}

/** Zone ids / committee orgs a committee officer manages. */
export function committeeScope(p: Principal): { orgIds: string[]; zoneIds: string[] } {
  const a = p.assignments.filter((x) => x.role === 'committee_officer');
  return {
    orgIds: a.filter((x) => x.scopeType === 'org' && x.orgId).map((x) => x.orgId!),
    zoneIds: a.filter((x) => x.scopeType === 'zone' && x.zoneId).map((x) => x.zoneId!),
  };
}

/** The contractor organisations a principal acts for. */
export function contractorOrgIds(p: Principal): string[] {
  return p.assignments.filter((x) => x.role === 'contractor').map((x) => x.orgId ?? p.org.id);
}

/** SQL: the zone (alias) is managed by the principal's committee, or FALSE. */
export function committeeZonePredicate(p: Principal, zone: string, params: SqlParams): string {
  const { orgIds, zoneIds } = committeeScope(p);
  const parts: string[] = [];
  if (orgIds.length) parts.push(`${zone}.committee_org_id = ANY(${params.add(orgIds)}::uuid[])`);
  if (zoneIds.length) parts.push(`${zone}.id = ANY(${params.add(zoneIds)}::uuid[])`);
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

/**
 * Who sees which parcels, as SQL over a parcel alias and its zone alias (lists, single reads, the
 * clearance check and the map all use it):
 * - admin all; assessors and reviewers their division scope (the province); authority officers their
 *   division tree; committees their own zone(s); contractors only parcels of their own projects;
 * - integrators only through the clearance check (`forClearance`), province-wide.
 */
export class ParcelVisibility {
  constructor(private readonly scope: ScopeService) {}

  readable(p: Principal, parcel: string, zone: string, params: SqlParams, opts: { forClearance?: boolean } = {}): string {
    if (hasRole(p, 'admin')) return 'TRUE';
    const parts: string[] = [];
    if (hasRole(p, 'assessor', 'reviewer')) parts.push(this.scope.divisionPredicate(p, ['assessor', 'reviewer'], `${zone}.division_code`, params));
    if (hasRole(p, 'authority_officer')) parts.push(this.scope.divisionPredicate(p, ['authority_officer'], `${zone}.division_code`, params));
    if (hasRole(p, 'committee_officer')) parts.push(committeeZonePredicate(p, zone, params));
    if (hasRole(p, 'contractor')) {
      const orgs = contractorOrgIds(p);
      if (orgs.length) {
        parts.push(`EXISTS (SELECT 1 FROM projects pr WHERE pr.parcel_id = ${parcel}.id AND pr.contractor_org_id = ANY(${params.add(orgs)}::uuid[]))`);
      }
    }
    if (opts.forClearance && hasRole(p, 'integrator')) parts.push(this.scope.divisionPredicate(p, ['integrator'], `${zone}.division_code`, params));
    return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
  }
}
