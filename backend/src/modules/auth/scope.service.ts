import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { forbiddenScope } from '../../infra/http/app-exception';
import { Principal, Role, RoleAssignment } from './roles';

/** Collects positional SQL parameters while predicates are composed. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(initial: unknown[] = []) {
    this.values.push(...initial);
  }
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** Roles that may read the zones registry (integrators ask for clearance only). */
const ZONE_READERS: Role[] = ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer', 'contractor'];

/**
 * Scope rules (DOMAIN.md §3) as SQL predicates, so lists, tiles, counts and searches all filter in the
 * database with the same rule. A division scope covers every division below it (path prefix).
 */
@Injectable()
export class ScopeService {
  constructor(private readonly db: DataSource) {}

  private assignmentsFor(p: Principal, roles: Role[]): RoleAssignment[] {
    return p.assignments.filter((a) => roles.includes(a.role));
  }

  /** `<divisionColumn>` lies in a division covered by one of the principal's division/province assignments. */
  divisionPredicate(p: Principal, roles: Role[], divisionColumn: string, params: SqlParams): string {
    const paths = this.assignmentsFor(p, roles)
      .filter((a) => (a.scopeType === 'province' || a.scopeType === 'division') && a.divisionPath)
      .map((a) => a.divisionPath!);
    if (paths.length === 0) return 'FALSE';
    const ref = params.add(paths);
    return `${divisionColumn} IN (SELECT d.code FROM divisions d, unnest(${ref}::text[]) AS sp(path)
                                   WHERE d.path = sp.path OR d.path LIKE sp.path || '.%')`;
  }

  /** Zones (alias.id, alias.division_code, alias.committee_org_id) the principal may read. */
  zonePredicate(p: Principal, alias: string, params: SqlParams): string {
    if (p.roles.includes('admin')) return 'TRUE';
    const parts: string[] = [];
    const readers = this.assignmentsFor(p, ZONE_READERS);
    if (readers.some((a) => a.scopeType === 'province' || a.scopeType === 'division')) {
      parts.push(this.divisionPredicate(p, ZONE_READERS, `${alias}.division_code`, params));
    }
    const zoneIds = readers.filter((a) => a.scopeType === 'zone' && a.zoneId).map((a) => a.zoneId!);
    if (zoneIds.length) parts.push(`${alias}.id = ANY(${params.add(zoneIds)}::uuid[])`);
    const committeeOrgs = readers.filter((a) => a.role === 'committee_officer' && a.scopeType === 'org' && a.orgId).map((a) => a.orgId!);
    if (committeeOrgs.length) parts.push(`${alias}.committee_org_id = ANY(${params.add(committeeOrgs)}::uuid[])`);
    for (const extra of this.zoneExtensions) {
      const sql = extra(p, alias, params);
      if (sql) parts.push(sql);
    }
    return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
  }

  /**
   * Later modules widen zone visibility through their own relations (a contractor sees the zones of its
   * projects) without this service knowing their tables.
   */
  private readonly zoneExtensions: Array<(p: Principal, alias: string, params: SqlParams) => string | null> = [];
  extendZoneVisibility(fn: (p: Principal, alias: string, params: SqlParams) => string | null): void {
    this.zoneExtensions.push(fn);
  }

  async assertZoneReadable(p: Principal, zoneId: string): Promise<void> {
    const params = new SqlParams([zoneId]);
    const pred = this.zonePredicate(p, 'z', params);
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM zones z WHERE z.id = $1 AND ${pred}`, params.values);
    if (rows.length === 0) throw forbiddenScope();
  }

  /** A division-scoped officer (or province) covers this division code. */
  async coversDivision(p: Principal, roles: Role[], divisionCode: string): Promise<boolean> {
    const params = new SqlParams([divisionCode]);
    const pred = this.divisionPredicate(p, roles, '$1', params);
    const rows: Array<{ ok: boolean }> = await this.db.query(`SELECT (${pred}) AS ok`, params.values);
    return rows[0]?.ok === true;
  }
}
