import { registerDecorator, ValidationOptions } from 'class-validator';
import { ISO_WITH_OFFSET } from '../../infra/clock/time';
import { Principal, Role } from '../auth/roles';
import { ScopeService, SqlParams } from '../auth/scope.service';

/**
 * Who may read sensitive field evidence (relics, observations, survey tracks, cores): admin, assessors and
 * reviewers (province) and authority officers (their division tree). Committees, contractors and
 * integrators never — not even as counts or extents (DOMAIN.md §3).
 */
export const EVIDENCE_READERS = ['admin', 'assessor', 'reviewer', 'authority_officer'] as const satisfies readonly Role[];
const DIVISION_SCOPED_READERS: Role[] = ['assessor', 'reviewer', 'authority_officer'];

/** SQL predicate on a division-code column: the evidence the principal may read. 'FALSE' when none. */
export function evidencePredicate(scope: ScopeService, p: Principal, divisionColumn: string, params: SqlParams): string {
  if (p.roles.includes('admin')) return 'TRUE';
  return scope.divisionPredicate(p, DIVISION_SCOPED_READERS, divisionColumn, params);
}

/** Timestamps in requests must carry an offset (DOMAIN.md §4.7): a bare local time is a 400. */
export function IsIsoWithOffset(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isIsoWithOffset',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (v: unknown) => typeof v === 'string' && ISO_WITH_OFFSET.test(v) && !Number.isNaN(Date.parse(v)),
        defaultMessage: () => 'must be an ISO 8601 timestamp with an offset',
      },
    });
  };
}

/** `If-Match` carries the row version we sent as ETag ("3", W/"3" or 3). */
export function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined) return null;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  return m ? Number(m[1]) : NaN;
}

export const etagOf = (rowVersion: number): string => `"${rowVersion}"`;
