import { Principal } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';

/**
 * Who sees which zoning plans (DOMAIN.md §3), as SQL over a plan alias and its zone alias, so the API,
 * lists and the map layer share one rule:
 * - admin, assessors, reviewers: every plan in their division scope (province for the demo accounts);
 * - authority officers: issued and superseded plans of zones in their division tree;
 * - committee officers: issued and superseded plans of their own zone(s), never rationale or evidence;
 * - contractors, integrators: nothing.
 */
export class ZoningVisibility {
  constructor(private readonly scope: ScopeService) {}

  private fullReaders(p: Principal, zone: string, params: SqlParams): string | null {
    if (p.roles.includes('admin')) return 'TRUE';
    if (!p.roles.some((r) => r === 'assessor' || r === 'reviewer')) return null;
    return this.scope.divisionPredicate(p, ['assessor', 'reviewer'], `${zone}.division_code`, params);
  }

  private authority(p: Principal, zone: string, params: SqlParams): string | null {
    if (!p.roles.includes('authority_officer')) return null;
    return this.scope.divisionPredicate(p, ['authority_officer'], `${zone}.division_code`, params);
  }

  private committee(p: Principal, zone: string, params: SqlParams): string | null {
    const a = p.assignments.filter((x) => x.role === 'committee_officer');
    const orgs = a.filter((x) => x.scopeType === 'org' && x.orgId).map((x) => x.orgId!);
    const zones = a.filter((x) => x.scopeType === 'zone' && x.zoneId).map((x) => x.zoneId!);
    const parts: string[] = [];
    if (orgs.length) parts.push(`${zone}.committee_org_id = ANY(${params.add(orgs)}::uuid[])`);
    if (zones.length) parts.push(`${zone}.id = ANY(${params.add(zones)}::uuid[])`);
    return parts.length ? `(${parts.join(' OR ')})` : null;
  }

  /** Plans the principal may read. */
  readable(p: Principal, plan: string, zone: string, params: SqlParams): string {
    const parts: string[] = [];
    const full = this.fullReaders(p, zone, params);
    if (full) parts.push(full);
    const published = `${plan}.state IN ('issued', 'superseded')`;
    const auth = this.authority(p, zone, params);
    if (auth) parts.push(`(${published} AND ${auth})`);
    const com = this.committee(p, zone, params);
    if (com) parts.push(`(${published} AND ${com})`);
    return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
  }

  /** Plans whose rationale and evidence links the principal may read (committees never). */
  detailed(p: Principal, plan: string, zone: string, params: SqlParams): string {
    const parts: string[] = [];
    const full = this.fullReaders(p, zone, params);
    if (full) parts.push(full);
    const auth = this.authority(p, zone, params);
    if (auth) parts.push(`(${plan}.state IN ('issued', 'superseded') AND ${auth})`);
    return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
  }
}
